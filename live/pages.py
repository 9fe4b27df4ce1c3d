"""A live article's updates as one page shows them, and the JSON-LD built from that page.

Page 1 is the article's own page: the pinned updates on top, then the newest PAGE_SIZE.
Older updates are on /news/<slug>/live/<n>/. The same `LivePage` feeds the HTML and the
`liveBlogUpdate` list, so the markup always lists exactly the updates the page shows.
"""

from dataclasses import dataclass, field

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import http_date

from articles.canonical import absolute_url, asset_url
from articles.structured_data import author_node, iso_datetime, organization_id
from pages.entries import MAX_AGE_HEADER

from .models import Coverage

PAGE_SIZE = 20
# Cache-Control max-age of a running live page, for browsers and shared caches: long enough
# to absorb a burst of readers, short enough that a browser's copy is 15 s behind at worst
# (30 s behind a CDN that is not purged; Varnish is purged at each change).
RUNNING_MAX_AGE = 15


def page_path(article, number):
    if number == 1:
        return article.get_absolute_url()
    return reverse("live:live-page", args=[article.slug, number])


@dataclass
class LivePage:
    coverage: Coverage
    number: int
    page: object  # the paginator's page of the stream
    pinned: list = field(default_factory=list)

    @property
    def article(self):
        return self.coverage.article

    @property
    def updates(self):
        return self.page.object_list

    @property
    def visible(self):
        """Every update this page shows, in the order it shows them."""
        return [*self.pinned, *self.updates]

    @property
    def running(self):
        return self.coverage.is_running

    @property
    def url(self):
        return absolute_url(page_path(self.article, self.number))

    @property
    def canonical_url(self):
        # Page 1 is the article, with its own canonical; older pages are their own.
        return "" if self.number == 1 else self.url

    @property
    def latest_pk(self):
        return max((update.pk for update in self.visible), default=0)

    def newer_path(self):
        return page_path(self.article, self.number - 1) if self.page.has_previous() else ""

    def older_path(self):
        return page_path(self.article, self.number + 1) if self.page.has_next() else ""

    def update_url(self, update):
        return f"{self.url}#{update.anchor}"


def coverage_of(article):
    """The article's coverage or None; Django keeps the answer on the article, so asking
    twice costs one query."""
    try:
        return article.coverage
    except Coverage.DoesNotExist:
        return None


def live_page(article, number=1):
    """The article's live page `number`, or None for an article without coverage; a page that
    does not exist is a 404."""
    coverage = coverage_of(article)
    if coverage is None:
        if number != 1:
            raise Http404("This article has no live updates.")
        return None
    updates = coverage.updates.for_page()
    try:
        page = Paginator(updates.stream(), PAGE_SIZE).page(number)
    except InvalidPage as error:
        raise Http404(f"No such page of updates: {error}") from None
    page.object_list = list(page.object_list)  # read once, shown and marked up from the list
    pinned = list(updates.filter(pinned=True)) if number == 1 else []
    return LivePage(coverage, number, page, pinned)


def page_for(update):
    """The number of the page that shows `update` (pinned ones stand on page 1)."""
    if update.pinned:
        return 1
    newer = (
        update.coverage.updates.stream()
        .filter(published_at__gte=update.published_at)
        .exclude(published_at=update.published_at, pk__lte=update.pk)
        .count()
    )
    return newer // PAGE_SIZE + 1


def blog_posting(live, update):
    url = live.update_url(update)
    node = {
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "headline": update.headline or update.excerpt,
        "datePublished": iso_datetime(update.published_at),
        "articleBody": " ".join(strip_tags(update.body_html).split()),
        "author": [author_node(author) for author in update.authors.all()]
        or [{"@id": organization_id()}],
        "publisher": {"@id": organization_id()},
    }
    if update.image:
        node["image"] = asset_url(update.image.url)
    return node


def mark_up(graph, live):
    """Make the article's NewsArticle node a LiveBlogPosting (a NewsArticle's properties are
    all valid there: LiveBlogPosting is a BlogPosting, an Article) with this page's updates."""
    [node] = [node for node in graph["@graph"] if node.get("@type") == "NewsArticle"]
    coverage = live.coverage
    node["@type"] = "LiveBlogPosting"
    if live.number != 1:
        node["mainEntityOfPage"] = live.url
    node["coverageStartTime"] = iso_datetime(coverage.started_at)
    if coverage.ended_at:
        node["coverageEndTime"] = iso_datetime(coverage.ended_at)
    if coverage.about:
        node["about"] = {"@type": "Thing", "name": coverage.about}
    newest = newest_update_at(live)
    if newest and newest > live.article.modified_at:
        node["dateModified"] = iso_datetime(newest)
    node["liveBlogUpdate"] = [blog_posting(live, update) for update in live.visible]
    return graph


def newest_update_at(live):
    """When the newest update was published: on page 1 it is on the page."""
    if live.number == 1:
        return max((update.published_at for update in live.visible), default=None)
    newest = live.coverage.updates.newest_first().values_list("published_at", flat=True)
    return newest.first()


def live_headers(response, article):
    """A live article's page changes with every update: Last-Modified follows the coverage's
    last change, and while it runs the page asks every cache to keep it only briefly."""
    coverage = coverage_of(article)
    if coverage is None:
        return response
    changed = max(article.updated_at, coverage.changed_at)
    response["Last-Modified"] = http_date(changed.timestamp())
    if coverage.is_running:
        response[MAX_AGE_HEADER] = str(RUNNING_MAX_AGE)
    return response
