"""Reader views of live coverage: older pages of updates, an update's permalink, the JSON the
optional script polls and the Atom feed. Page 1 is the article view (articles/views.py)."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.http import http_date

from articles.article_pages import render_article_page
from articles.models import Article
from pages.decorators import cache_public_page

from .models import Update
from .pages import coverage_of, live_headers, page_for, page_path

# The script asks for at most this many new updates at once; more means "reload".
NEW_UPDATES_LIMIT = 20


def _published(slug):
    articles = Article.objects.for_page().select_related("coverage")
    return get_object_or_404(articles.published(), slug=slug)


# Older pages keep their own canonical (themselves) and are not indexed (the page's robots
# meta says "noindex, follow"): their contents slide to later pages each time an update is
# posted, so a search result would point at updates no longer there. Page 1 (the article),
# the feed and the Markdown form carry every update to search engines instead.
@cache_public_page(stored="listing")
def older_updates(request, slug, number):
    article = _published(slug)
    if number == 1:
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    response = HttpResponse(render_article_page(article, live_number=number))
    response["X-Robots-Tag"] = "noindex, follow"
    return live_headers(response, article)


def update_permalink(request, slug, pk):
    """302 to the page that shows the update now (it moves to older pages as others arrive)."""
    article = _published(slug)
    update = get_object_or_404(Update, pk=pk, coverage__article=article)
    return redirect(f"{page_path(article, page_for(update))}#{update.anchor}")


def _after(request):
    """?after=<pk>, or None when it is not a number."""
    value = request.GET.get("after", "0")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@cache_public_page(params=["after"])
def new_updates(request, slug):
    """{"count": N, "latest": pk, "html": fragment}: the updates posted after ?after=<pk>,
    newest first, rendered and sanitized on the server, at most NEW_UPDATES_LIMIT of them."""
    article = _published(slug)
    coverage = coverage_of(article)
    if coverage is None:
        raise Http404("This article has no live updates.")
    after = _after(request)
    if after is None:
        error = "?after= takes the number of the newest update the page shows."
        return JsonResponse({"error": error}, status=400)
    newer = coverage.updates.stream().filter(pk__gt=after)
    updates = list(newer.for_page()[:NEW_UPDATES_LIMIT])
    html = render_to_string("live/updates.html", {"updates": updates, "article": article})
    count = newer.count() if len(updates) == NEW_UPDATES_LIMIT else len(updates)
    data = {
        "count": count,
        # More than fit in one answer: the script offers a reload instead of a gap.
        "complete": count == len(updates),
        "latest": max((update.pk for update in updates), default=after),
        "running": coverage.is_running,
        "html": html if updates else "",
    }
    response = JsonResponse(data)
    response["Last-Modified"] = http_date(coverage.changed_at.timestamp())
    return live_headers(response, article)
