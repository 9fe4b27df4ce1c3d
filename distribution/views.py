from django.conf import settings
from django.http import Http404, HttpResponse


def indexnow_key(request, key):
    """The key file IndexNow fetches to check we own the host: /<key>.txt holding the key."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404
    response = HttpResponse(settings.INDEXNOW_KEY, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
