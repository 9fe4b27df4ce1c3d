"""The uncached page's reads in plain SQL give what the ORM gives, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status
from pages import hot_reads, stored, versions
from pages.entries import CachedPage
from pages.models import StoredListing, StoredPage, TagVersion
from pages.release import release_id

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _page(valid_until):
    return CachedPage(
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Usage": "train-ai=n"},
        bodies={"identity": "<p>Ünïcode ✓</p>".encode(), "gzip": b"\x1f\x8b gz", "br": b"\x00br"},
        digest="d",
        last_modified=NOW,
        vary=("Accept",),
        tags=("article-1", "listings"),
        versions={"article-1": 7, "listings": None},
        valid_until=valid_until,
    )


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Status.PUBLISHED, NOW - timedelta(days=1)),
        (Status.PUBLISHED, NOW),  # live at this very second
        (Status.PUBLISHED, NOW + timedelta(seconds=1)),  # scheduled
        (Status.DRAFT, NOW - timedelta(days=1)),
        (Status.REVIEW, NOW - timedelta(days=1)),
        (Status.UNPUBLISHED, NOW - timedelta(days=1)),
    ],
)
def test_the_article_read_follows_the_published_rule(status, published_at):
    article = ArticleFactory(status=status, published_at=published_at)
    expected = Article.objects.published(now=NOW).filter(slug=article.slug).first()
    found = hot_reads.stored_article(article.slug, NOW)
    assert (found[0] if found else None) == (expected.pk if expected else None)
    if found:
        assert found[1:] == (None, None)  # no stored page yet


def test_an_unknown_slug_finds_nothing():
    ArticleFactory()
    assert hot_reads.stored_article("no-such-story", NOW) is None


@pytest.mark.parametrize("valid_until", [None, datetime(2031, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)])
def test_a_kept_article_page_reads_back_as_it_was_stored(valid_until):
    article = ArticleFactory()
    stored.save(article.pk, _page(valid_until))
    pk, release, kept = hot_reads.stored_article(article.slug, NOW)
    row = StoredPage.objects.get(pk=article.pk)
    html, gzip, brotli, kept_versions, until, last_modified, headers = kept
    assert (pk, release) == (article.pk, release_id())
    assert html == row.html == "<p>Ünïcode ✓</p>"
    assert (bytes(gzip), bytes(brotli)) == (b"\x1f\x8b gz", b"\x00br")
    assert kept_versions == row.versions == {"article-1": 7, "listings": None}
    assert until == row.valid_until == valid_until
    assert last_modified == row.last_modified
    assert headers == row.headers and headers["Vary"] == "Accept"


def test_a_kept_listing_reads_back_as_it_was_stored():
    valid_until = NOW + timedelta(hours=2)
    stored.save_listing("home:html", _page(valid_until), "/")
    release, kept = hot_reads.stored_listing("home:html")
    row = StoredListing.objects.get(key="home:html")
    assert release == row.release == release_id()
    assert kept[0] == row.html and kept[3] == row.versions and kept[6] == row.headers
    assert kept[4] == valid_until and kept[4].tzinfo is not None
    assert hot_reads.stored_listing("other:html") is None


def test_tag_versions_match_the_orm():
    versions.bump({"article-1", "section-2"})
    wanted = ["article-1", "section-2", "author-3", "article-1"]
    orm = dict(TagVersion.objects.filter(tag__in=wanted).values_list("tag", "version"))
    assert hot_reads.tag_versions(wanted) == orm
    assert set(orm) == {"article-1", "section-2"}
    assert hot_reads.tag_versions([]) == {}
