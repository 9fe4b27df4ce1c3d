"""A newsroom's archive grows: sitemaps and feeds stay correct and bounded at 100,000 articles."""

import tracemalloc
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, Status

from .pages import xml_document

ARTICLES = 100_000
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Well above what a 50,000-URL sitemap page needs, far below what holding the archive would.
MEMORY_LIMIT = 200 * 1024 * 1024


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        section = Section.objects.create(name="Archive", slug="archive")
        now = timezone.now().replace(microsecond=0)
        Article.objects.bulk_create(
            (
                Article(
                    title=f"Archived story {n}",
                    slug=f"archived-story-{n}",
                    standfirst="From the archive.",
                    body="Text.",
                    section=section,
                    status=Status.PUBLISHED,
                    published_at=now - timedelta(minutes=n),
                )
                for n in range(ARTICLES)
            ),
            batch_size=5000,
        )
        yield
        # One statement, no per-row signals: nothing else refers to these rows.
        Article.objects.filter(section=section)._raw_delete(Article.objects.db)
        section.delete()


def peak_memory_of(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def locations(response):
    return [loc.text for loc in xml_document(response).iterfind(".//sm:loc", SITEMAP_NS)]


@pytest.mark.django_db
def test_sitemaps_split_at_50000_urls_and_stay_bounded(archive, client):
    index = locations(client.get(reverse("articles:sitemap")))
    article_pages = [url for url in index if "sitemap-articles.xml" in url]
    assert len(article_pages) == 2

    response, peak = peak_memory_of(lambda: client.get("/sitemap-articles.xml?p=1"))
    first = locations(response)
    assert peak < MEMORY_LIMIT, f"a sitemap page peaked at {peak / 2**20:.0f} MiB"
    second = locations(client.get("/sitemap-articles.xml?p=2"))
    assert len(first) == len(second) == 50_000
    assert len(set(first) | set(second)) == ARTICLES
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


@pytest.mark.django_db
def test_feeds_hold_only_the_latest_articles(archive, client, django_assert_max_num_queries):
    # Page delivery's three reads, then the articles, their bylines, their callouts; the site's
    # AI-use preferences, for the entries and for the Content-Usage header; the upsert that
    # keeps it.
    with django_assert_max_num_queries(9):
        response, peak = peak_memory_of(lambda: client.get(reverse("articles:feed")))
    assert response.status_code == 200
    assert response.content.count(b"<item>") == 50
    assert b"Archived story 0<" in response.content
    assert peak < 20 * 1024 * 1024
