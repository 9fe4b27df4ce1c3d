from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles import editor

from . import health
from .security import serve_media

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} newsroom"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(f"{settings.ADMIN_PATH}markdownx/markdownify/", editor.markdown_preview),
    path(f"{settings.ADMIN_PATH}markdownx/upload/", editor.image_upload),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("articles.urls")),
    path("", include("live.urls")),
    path("", include("newsletter.urls")),
    path("", include("distribution.urls")),
]

if settings.BENCH_FLOOR_FILE:
    from bench.floor import floor

    urlpatterns.insert(0, path("__floor__/", floor))

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media))
