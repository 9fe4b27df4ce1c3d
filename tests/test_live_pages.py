"""The live article page as readers get it: badge, pinned updates, newest first, pages of 20,
permalinks, the JSON the optional script polls, and the page's caching headers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from live import updates as live_updates
from live.models import Update
from live.pages import PAGE_SIZE, RUNNING_MAX_AGE

from .live_factories import CoverageFactory, UpdateFactory, updates_for
from .pages import soup, text

pytestmark = pytest.mark.django_db


def page_of(client, path):
    return soup(client.get(path))


def update_ids(page):
    return [
        int(element["id"].removeprefix("update-")) for element in page.select("article.live-update")
    ]


def test_a_running_story_shows_live_then_pinned_then_newest_first(client):
    coverage = CoverageFactory()
    first, second, third = UpdateFactory.create_batch(3, coverage=coverage)
    pinned = UpdateFactory(coverage=coverage, pinned=True, headline="What we know")
    page = page_of(client, coverage.article.get_absolute_url())
    assert text(page.select_one(".live-status")) == "Live"
    assert update_ids(page) == [pinned.pk, third.pk, second.pk, first.pk]
    assert page.select_one(f".live__pinned #update-{pinned.pk}") is not None
    newest = page.select_one(f"#update-{third.pk}")
    assert text(newest.select_one(".live-update__headline")) == third.headline
    assert newest.select_one("time")["datetime"] == third.published_at.isoformat()
    assert newest.select_one(".live-update__body strong").get_text() == "Seven"


def test_an_ended_story_says_when_it_ended(client):
    ended_at = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    coverage = CoverageFactory(ended_at=ended_at)
    UpdateFactory(coverage=coverage)
    page = page_of(client, coverage.article.get_absolute_url())
    status = page.select_one(".live-status")
    assert text(status).startswith("Coverage ended")
    assert status.select_one("time")["datetime"] == ended_at.isoformat()
    assert page.select_one("[data-live-endpoint]") is None  # nothing to poll for
    assert page.select_one("script[src]") is None


def test_an_article_without_coverage_has_no_live_parts(client):
    from .factories import ArticleFactory

    article = ArticleFactory()
    page = page_of(client, article.get_absolute_url())
    assert page.select_one(".live") is None and page.select_one(".live-status") is None


def test_twenty_a_page_with_older_pages_of_their_own(client, settings):
    coverage = CoverageFactory()
    rows = updates_for(coverage, PAGE_SIZE * 2 + 5)
    newest_first = [row.pk for row in reversed(rows)]
    article = coverage.article
    first = page_of(client, article.get_absolute_url())
    assert update_ids(first) == newest_first[:PAGE_SIZE]
    older = first.select_one(".live__pages a[rel=next]")
    assert text(older) == "Older updates"
    assert older["href"] == reverse("live:live-page", args=[article.slug, 2])

    second = page_of(client, older["href"])
    assert update_ids(second) == newest_first[PAGE_SIZE : PAGE_SIZE * 2]
    assert second.select_one("link[rel=canonical]")["href"] == settings.SITE_URL + older["href"]
    assert second.select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert second.select_one(".live__pages a[rel=prev]")["href"] == article.get_absolute_url()
    third = page_of(client, second.select_one(".live__pages a[rel=next]")["href"])
    assert update_ids(third) == newest_first[PAGE_SIZE * 2 :]
    assert third.select_one(".live__pages a[rel=next]") is None
    # Page 1's canonical is the article's own.
    assert first.select_one("link[rel=canonical]")["href"] == article.get_canonical_url()


@pytest.mark.parametrize("number", ["0", "4", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404(client, number):
    coverage = CoverageFactory()
    updates_for(coverage, PAGE_SIZE * 2 + 5)
    response = client.get(f"/news/{coverage.article.slug}/live/{number}/")
    assert response.status_code == 404


def test_page_one_of_the_older_pages_is_the_article(client):
    coverage = CoverageFactory()
    response = client.get(reverse("live:live-page", args=[coverage.article.slug, 1]))
    assert response.status_code == 301
    assert response["Location"] == coverage.article.get_absolute_url()


def test_older_pages_of_an_article_without_coverage_are_404(client):
    from .factories import ArticleFactory

    article = ArticleFactory()
    assert client.get(reverse("live:live-page", args=[article.slug, 2])).status_code == 404


def test_a_permalink_opens_the_page_that_shows_the_update(client):
    coverage = CoverageFactory()
    rows = updates_for(coverage, PAGE_SIZE * 2 + 5)
    pinned = UpdateFactory(coverage=coverage, pinned=True)
    article = coverage.article
    for update, number in ((rows[-1], 1), (rows[-PAGE_SIZE], 1), (rows[-PAGE_SIZE - 1], 2),
                           (rows[0], 3), (pinned, 1)):  # fmt: skip
        response = client.get(reverse("live:live-update", args=[article.slug, update.pk]))
        assert response.status_code == 302
        path, anchor = response["Location"].split("#")
        assert anchor == f"update-{update.pk}"
        page = page_of(client, path)
        assert page.find(id=anchor) is not None, (update.pk, number)
        expected = (
            article.get_absolute_url() if number == 1 else f"/news/{article.slug}/live/{number}/"
        )
        assert path == expected


def test_a_permalink_to_another_articles_update_is_a_404(client):
    update = UpdateFactory()
    other = CoverageFactory()
    response = client.get(reverse("live:live-update", args=[other.article.slug, update.pk]))
    assert response.status_code == 404


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_two_thousand_updates_cost_the_queries_twenty_do(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # render every time; count the render's queries
    small, large = CoverageFactory(), CoverageFactory()
    updates_for(small, PAGE_SIZE)
    updates_for(large, 2000)
    UpdateFactory(coverage=small, pinned=True)
    UpdateFactory(coverage=large, pinned=True)
    for coverage in (small, large):
        coverage.updates.first().authors.add(coverage.article.authors.first())
    # The stored page of each is written on the first request; count the second render.
    small_path, large_path = small.article.get_absolute_url(), large.article.get_absolute_url()
    from pages.models import StoredPage

    counts = []
    for path in (small_path, large_path):
        StoredPage.objects.all().delete()
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts
    page = page_of(client, large_path)
    assert len(page.select("article.live-update")) == PAGE_SIZE + 1


def test_a_running_live_page_is_cached_briefly_and_an_ended_one_as_usual(client, settings):
    running = CoverageFactory()
    response = client.get(running.article.get_absolute_url())
    control = response["Cache-Control"]
    assert f"max-age={RUNNING_MAX_AGE}," in control and f"s-maxage={RUNNING_MAX_AGE}," in control
    assert "X-Page-Max-Age" not in response
    again = client.get(running.article.get_absolute_url())  # from the page cache
    assert again["Cache-Control"] == control
    ended = CoverageFactory(ended_at=timezone.now() - timedelta(minutes=1))
    response = client.get(ended.article.get_absolute_url())
    assert f"s-maxage={settings.PAGE_SHARED_MAX_AGE}," in response["Cache-Control"]


def test_a_posted_update_is_on_the_cached_page_at_once(client, editor, commit):
    coverage = CoverageFactory()
    path = coverage.article.get_absolute_url()
    client.get(path)
    assert update_ids(page_of(client, path)) == []
    update = Update(coverage=coverage, body="The vote passed.")
    commit(lambda: live_updates.post(update, user=editor))
    assert update_ids(page_of(client, path)) == [update.pk]
    update.body = "The vote passed, seven to four."
    commit(lambda: live_updates.correct(update, user=editor))
    assert "seven to four" in text(page_of(client, path).find(id=f"update-{update.pk}"))
    commit(lambda: live_updates.delete(update, user=editor))
    assert update_ids(page_of(client, path)) == []


def test_last_modified_follows_the_newest_change(client, editor):
    coverage = CoverageFactory()
    article = coverage.article
    live_updates.post(Update(coverage=coverage, body="First."), user=editor)
    coverage.refresh_from_db()
    response = client.get(article.get_absolute_url())
    from django.utils.http import parse_http_date

    assert parse_http_date(response["Last-Modified"]) == int(coverage.changed_at.timestamp())


def test_the_json_lists_only_newer_updates_as_sanitized_html(client):
    coverage = CoverageFactory()
    old = UpdateFactory(coverage=coverage)
    new = UpdateFactory(coverage=coverage, body="<script>alert(1)</script>Counted **again**.")
    url = reverse("live:live-json", args=[coverage.article.slug])
    data = client.get(url, {"after": old.pk}).json()
    assert data["count"] == 1 and data["latest"] == new.pk and data["complete"] is True
    assert data["running"] is True
    from bs4 import BeautifulSoup

    fragment = BeautifulSoup(data["html"], "html.parser")
    assert [element["id"] for element in fragment.select("article")] == [f"update-{new.pk}"]
    assert fragment.find("script") is None
    assert client.get(url, {"after": new.pk}).json() == {
        "count": 0, "complete": True, "latest": new.pk, "running": True, "html": "",
    }  # fmt: skip


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "\u0661"])
def test_the_json_refuses_what_is_not_an_update_number(client, after):
    coverage = CoverageFactory()
    response = client.get(reverse("live:live-json", args=[coverage.article.slug]), {"after": after})
    assert response.status_code == 400
    assert "after" in response.json()["error"]


def test_the_page_polls_with_an_external_script_only(client):
    coverage = CoverageFactory()
    update = UpdateFactory(coverage=coverage)
    page = page_of(client, coverage.article.get_absolute_url())
    section = page.select_one("[data-live-endpoint]")
    assert section["data-live-endpoint"] == reverse("live:live-json", args=[coverage.article.slug])
    assert section["data-live-latest"] == str(update.pk)
    scripts = page.find_all("script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)
    assert [s["src"] for s in scripts if s.get("src")] == ["/static/js/live.js"]


def test_an_unpublished_live_article_shows_nothing(client):
    coverage = CoverageFactory(article__status="draft", article__published_at=None)
    update = UpdateFactory(coverage=coverage)
    slug = coverage.article.slug
    assert client.get(f"/news/{slug}/").status_code == 404
    assert client.get(reverse("live:live-update", args=[slug, update.pk])).status_code == 404
    assert client.get(reverse("live:live-json", args=[slug])).status_code == 404
    assert client.get(reverse("live:live-feed", args=[slug])).status_code == 404


def test_older_pages_and_the_json_are_fresh_after_a_post(client, editor, commit):
    coverage = CoverageFactory()
    rows = updates_for(coverage, PAGE_SIZE + 1)
    second = reverse("live:live-page", args=[coverage.article.slug, 2])
    json_url = reverse("live:live-json", args=[coverage.article.slug])
    assert update_ids(page_of(client, second)) == [rows[0].pk]
    assert client.get(json_url, {"after": rows[-1].pk}).json()["count"] == 0
    update = Update(coverage=coverage, body="Pushes the oldest to page 2.")
    commit(lambda: live_updates.post(update, user=editor))
    assert update_ids(page_of(client, second)) == [rows[1].pk, rows[0].pk]
    assert client.get(json_url, {"after": rows[-1].pk}).json()["latest"] == update.pk


def test_staff_get_no_store_and_never_the_internal_max_age(staff_client):
    coverage = CoverageFactory()
    response = staff_client.get(coverage.article.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Page-Max-Age" not in response
