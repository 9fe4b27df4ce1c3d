import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles import caching, purging
from articles.article_pages import mark_stale
from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from .pages import soup, text
from .queue import drain

pytestmark = pytest.mark.django_db


def cache_control(response):
    directives = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = int(value) if value.isdigit() else True
    return directives


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what would happen when the transaction commits (tests never really commit)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()
        drain()  # purges go through the task queue

    return run


def test_second_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_public_pages_tell_shared_caches_how_long_to_keep_them(client, settings):
    article = ArticleFactory()
    for url in (article.get_absolute_url(), reverse("articles:home")):
        directives = cache_control(client.get(url))
        assert directives["public"] is True
        assert directives["max-age"] == settings.PAGE_BROWSER_MAX_AGE
        assert directives["s-maxage"] == settings.PAGE_SHARED_MAX_AGE
        assert directives["stale-while-revalidate"] == settings.PAGE_STALE_WHILE_REVALIDATE
        assert directives["stale-if-error"] == settings.PAGE_STALE_IF_ERROR


def test_if_none_match_answers_304_without_rendering(client, django_assert_num_queries):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(0), mock.patch("articles.views.render") as render:
        response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    render.assert_not_called()


def test_if_modified_since_answers_304_and_last_modified_is_the_article_update(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["Last-Modified"] == http_date(article.updated_at.timestamp())
    response = client.get(
        article.get_absolute_url(), headers={"if-modified-since": first["Last-Modified"]}
    )
    assert response.status_code == 304


def test_a_changed_etag_gets_the_full_page(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": '"other"'})
    assert response.status_code == 200
    assert soup(response).find("h1")


def test_head_gets_the_headers_and_no_body(client):
    article = ArticleFactory()
    get = client.get(article.get_absolute_url())
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]


def test_tracking_parameters_share_the_cached_page(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url() + "?utm_source=x&fbclid=y&gclid=z")
    assert response.status_code == 200


def test_logged_in_staff_never_get_or_fill_the_public_cache(client, staff_client):
    article = ArticleFactory(title="Before")
    staff_response = staff_client.get(article.get_absolute_url())
    directives = cache_control(staff_response)
    assert directives.get("private") and directives.get("no-store")
    assert "ETag" not in staff_response
    Article.objects.filter(pk=article.pk).update(title="After")
    mark_stale(Article.objects.filter(pk=article.pk))  # the stored page, not the page cache
    # The staff visit filled nothing: the public gets a fresh render.
    assert text(soup(client.get(article.get_absolute_url())).find("h1")) == "After"


def test_admin_pages_are_private_and_not_stored(staff_client):
    response = staff_client.get(reverse("admin:articles_article_changelist"))
    directives = cache_control(response)
    assert directives.get("private") and directives.get("no-store")


def test_a_draft_preview_is_private(staff_client):
    article = ArticleFactory(draft=True)
    directives = cache_control(staff_client.get(article.get_absolute_url()))
    assert directives.get("private") and directives.get("no-store")


@pytest.mark.parametrize(
    "change",
    [
        lambda article: article.save(),
        lambda article: FAQEntryFactory(article=article, question="A brand new question?"),
        lambda article: article.authors.set([AuthorFactory(name="A New Byline")]),
    ],
    ids=["article saved", "faq added", "byline changed"],
)
def test_changes_start_a_new_generation(client, commit, change):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    before = caching.content_state().generation
    commit(lambda: change(article))
    assert caching.content_state().generation != before


def test_an_edit_is_served_fresh_at_once(client, commit):
    article = ArticleFactory(title="Old headline")
    home = reverse("articles:home")
    client.get(article.get_absolute_url())
    client.get(home)

    def edit():
        article.title = "New headline"
        article.save()

    commit(edit)
    assert text(soup(client.get(article.get_absolute_url())).find("h1")) == "New headline"
    assert "New headline" in [text(h) for h in soup(client.get(home)).select(".card__title")]


def test_callout_author_and_section_edits_reach_cached_pages(client, commit):
    article = ArticleFactory(body="Intro.\n\n[[callout:take]]")
    callout = CalloutFactory(article=article, marker="take", body="Old callout.")
    article.refresh_body_html()
    author = article.authors.get()
    url = article.get_absolute_url()
    client.get(url)

    def edit():
        callout.body = "New callout."
        callout.save()
        article.refresh_body_html()
        author.name = "Renamed Reporter"
        author.save()
        article.section.name = "Renamed Section"
        article.section.save()

    commit(edit)
    page = soup(client.get(url))
    assert text(page.select_one("aside .callout__body")) == "New callout."
    assert text(page.select_one(".byline a")) == "Renamed Reporter"
    assert text(page.select(".article__section a")[-1]) == "Renamed Section"


def test_a_scheduled_article_appears_on_time_despite_the_cache(client, settings):
    now = timezone.now()
    ArticleFactory(title="Already out")
    ArticleFactory(title="Embargoed", published_at=now + timedelta(minutes=5))
    home = reverse("articles:home")
    first = client.get(home)
    assert [text(h) for h in soup(first).select(".card__title")] == ["Already out"]
    # Shared caches may keep the page only until the embargo lifts.
    assert 0 < cache_control(first)["s-maxage"] <= 300
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=6)):
        titles = [text(h) for h in soup(client.get(home)).select(".card__title")]
    assert titles == ["Embargoed", "Already out"]


class _BanRecorder(BaseHTTPRequestHandler):
    received = []

    def do_BAN(self):
        self.received.append(self.headers["X-Ban-Url"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def ban_recorder(settings):
    server = HTTPServer(("127.0.0.1", 0), _BanRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _BanRecorder.received = []
    settings.CACHE_PURGER = "articles.purging.VarnishPurger"
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    purging.get_purger.cache_clear()
    yield _BanRecorder.received
    server.shutdown()
    purging.get_purger.cache_clear()


def test_an_article_edit_bans_its_pages_and_the_lists_on_commit(commit, ban_recorder):
    article = ArticleFactory(slug="harbour")
    other = ArticleFactory(slug="other-story")
    ban_recorder.clear()

    def rename():
        article.slug = "harbour-dredging"
        article.save()

    commit(rename)
    assert ban_recorder, "no BAN request reached the cache"
    pattern = re.compile(ban_recorder[-1])
    for path in [
        "/",
        "/?page=2",
        "/section/x/",
        "/author/y/",
        "/feed/",
        "/sitemap.xml",
        "/news/harbour/",
        "/news/harbour-dredging/",
        "/news/harbour-dredging.md",
    ]:
        assert pattern.search(path), path
    assert not pattern.search(other.get_absolute_url())
    assert not pattern.search("/news/harbour-dredging-other/")


def test_an_author_edit_bans_everything(commit, ban_recorder):
    author = AuthorFactory()
    ban_recorder.clear()
    commit(lambda: (setattr(author, "name", "New"), author.save()))
    assert ban_recorder[-1] == "^/"


def test_a_page_served_from_the_cache_keeps_every_security_header(client):
    article = ArticleFactory()
    fresh = client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert cached["ETag"] == fresh["ETag"]
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert cached[header] == fresh[header], header


def test_the_cache_middleware_never_touches_the_database(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    caching.cache.delete(caching.STATE_KEY)  # no shared state: the middleware must not compute it
    with django_assert_num_queries(0):
        response = caching.PageCacheMiddleware(lambda request: "passed on")(
            RequestFactory().get(article.get_absolute_url())
        )
    assert response == "passed on"
