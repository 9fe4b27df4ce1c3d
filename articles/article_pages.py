"""Article pages are rendered when their content changes, not on every request.

A published article's page is rendered once and stored on its row with the render version it
was made for: a hash of the templates, static files and site settings. A request reads one row;
when the stored page is current it is the response. Anything that changes what the page shows
(the article, its callouts, FAQ entries, byline or section) marks the stored page stale, and the
next request renders and stores it again. `page_revision` guards the race where content changes
while a page is being rendered: the render is stored only if nothing marked it stale meanwhile.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.template.loader import render_to_string

from .context_processors import site
from .models import Article
from .structured_data import article_graph, json_ld_script

STORED_FIELDS = ["pk", "page_html", "page_key", "page_revision", "updated_at"]


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


def published_page(slug):
    """(updated_at, html) of a published article's page, or None when there is no such article.

    One query reads the stored page. A stale page is rendered from the article, its section,
    byline, FAQ, corrections and related stories (five reads) and stored (one write).
    """
    rows = Article.objects.published().filter(slug=slug).order_by().values(*STORED_FIELDS)
    row = next(iter(rows[:1]), None)
    if row is None:
        return None
    if row["page_key"] == render_version() and row["page_html"]:
        return row["updated_at"], row["page_html"]
    article = Article.objects.for_page().get(pk=row["pk"])
    html = render_article_page(article)
    stored = Article.objects.filter(pk=row["pk"], page_revision=row["page_revision"])
    stored.update(page_html=html, page_key=render_version())
    return row["updated_at"], html


def mark_stale(articles):
    """The stored pages of these articles (a queryset) no longer show their content."""
    articles.update(page_key="", page_revision=F("page_revision") + 1)
