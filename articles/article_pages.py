"""Article pages are rendered when their content changes, not on every request.

A published article's page is rendered once and stored on its row with the render version it
was made for: a hash of the templates, static files and site settings. A request reads one row;
when the stored page is current it is the response. Anything that changes what the page shows
(the article, its callouts, FAQ entries, byline or section) marks the stored page stale, and the
next request renders and stores it again. `page_revision` guards the race where content changes
while a page is being rendered: the render is stored only if nothing marked it stale meanwhile.
"""

import hashlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import http_date

from .context_processors import site
from .models import Article
from .structured_data import article_graph, json_ld_script

STORED_FIELDS = ["pk", "page_html", "page_key", "page_revision", "page_modified"]
# Read with the page for its Content-Usage header (articles/ai_preferences.py).
AI_FIELDS = ["ai_training", "ai_answers", "ai_user_fetch"]
# Stand-ins the lookup is compiled with; each request puts the real values in their places.
_ANY_SLUG = "stored-page-lookup-slug"
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@cache
def render_version():
    """Changes whenever a deploy changes how a page looks: templates, static files, settings."""
    digest = hashlib.sha256()
    for value in (settings.SITE_URL, settings.SITE_NAME, settings.LANGUAGE_CODE):
        digest.update(value.encode() + b"\0")
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders.append(Path(__file__).resolve().parent / "templates")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    files = sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*"))
    for path in [*files, manifest]:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def render_article_page(article, preview=False):
    """The page's HTML, from the template alone: nothing in it depends on the request."""
    context = {
        **site(None),
        "article": article,
        "preview": preview,
        "related": article.related(),
        # A preview is not for crawlers: no structured data.
        "structured_data": "" if preview else json_ld_script(article_graph(article)),
    }
    return render_to_string("articles/article_detail.html", context)


@cache
def _stored_page_lookup(vendor):
    """The hot query as SQL, compiled once per process from the one published() queryset.

    Compiling an ORM query costs more CPU than PostgreSQL takes to answer it; the stand-in
    values mark where each request's slug and clock go.
    """
    query = (
        Article.objects.published(now=_ANY_TIME)
        .filter(slug=_ANY_SLUG)
        .order_by()
        .values_list(*STORED_FIELDS, *AI_FIELDS)[:1]
    )
    sql, params = query.query.sql_with_params()
    any_time = connection.ops.adapt_datetimefield_value(_ANY_TIME)
    slots = ["slug" if p == _ANY_SLUG else "now" if p == any_time else None for p in params]
    if not slots.count("slug") == slots.count("now") == 1:
        raise RuntimeError(f"Cannot place the slug and time in {sql!r} {params!r}")
    return sql, params, slots


def _stored_row(slug):
    sql, params, slots = _stored_page_lookup(connection.vendor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = [
        slug if slot == "slug" else now if slot == "now" else param
        for param, slot in zip(params, slots, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()


def published_page(slug):
    """(last_modified, html, AI-use overrides) of a published article's page, or None.

    One query reads the stored page. A stale page is rendered from the article, its section,
    byline, FAQ, corrections and related stories (five reads) and stored (one write).
    """
    row = _stored_row(slug)
    if row is None:
        return None
    pk, html, key, revision, modified, *overrides = row
    overrides = dict(zip(AI_FIELDS, overrides, strict=True))
    if key == render_version() and html:
        return modified, html, overrides
    article = Article.objects.for_page().get(pk=pk)
    html, modified = render_article_page(article), http_date(article.updated_at.timestamp())
    stored = Article.objects.filter(pk=pk, page_revision=revision)
    stored.update(page_html=html, page_key=render_version(), page_modified=modified)
    return modified, html, overrides


def mark_stale(articles):
    """The stored pages of these articles (a queryset) no longer show their content."""
    articles.update(page_key="", page_revision=F("page_revision") + 1)
