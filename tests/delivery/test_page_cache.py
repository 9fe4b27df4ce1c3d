"""The page cache in one process: what it keys on, what it sends, what it survives."""

import gzip
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import brotli
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Callout
from pages import purging
from pages.decorators import cache_public_page
from pages.middleware import PageCacheMiddleware
from pages.models import StoredPage

from ..factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from ..pages import soup, text

pytestmark = pytest.mark.django_db


def cache_control(response):
    directives = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = int(value) if value.isdigit() else True
    return directives


def test_a_hit_costs_one_query_the_tag_versions(client, django_assert_num_queries):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
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


def test_pages_carry_their_tags_for_shared_caches(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    keys = set(response["Surrogate-Key"].split())
    assert f"article-{article.pk}" in keys and f"section-{article.section_id}" in keys
    assert set(response["Cache-Tag"].split(",")) == keys
    assert set(client.get(reverse("articles:home"))["Surrogate-Key"].split()) == {
        "listings",
        "site",
    }


def test_if_none_match_answers_304_without_rendering(client, django_assert_num_queries):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(1), mock.patch("articles.views.render") as render:
        response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    render.assert_not_called()


def test_if_modified_since_answers_304_and_last_modified_is_the_article_update(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["Last-Modified"] == http_date(article.updated_at.timestamp())
    response = client.get(
        article.get_absolute_url(), headers={"if-modified-since": first["Last-Modified"]}
    )
    assert response.status_code == 304


def test_head_gets_the_headers_and_no_body(client):
    article = ArticleFactory()
    get = client.get(article.get_absolute_url())
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


@pytest.mark.parametrize(
    "query", ["?utm_source=x&fbclid=y", "?x=random-value", "?page=1&page=1", "?page=01"]
)
def test_parameters_a_page_does_not_read_share_its_entry(client, django_assert_num_queries, query):
    client.get(reverse("articles:home"))
    with django_assert_num_queries(1):
        response = client.get(reverse("articles:home") + query)
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.0", "²"])
def test_a_page_number_that_is_not_one_is_404(client, page):
    ArticleFactory()
    assert client.get(reverse("articles:home"), {"page": page}).status_code == 404


def test_pages_leave_gzip_or_brotli_compressed_once(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    plain = client.get(url, headers={"accept-encoding": "identity"})
    assert "Content-Encoding" not in plain
    gzipped = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == plain.content
    with mock.patch("pages.entries.brotli.compress") as compress:
        brotlied = client.get(url, headers={"accept-encoding": "gzip, br"})
    compress.assert_not_called()  # compressed when stored, not per request
    assert brotlied["Content-Encoding"] == "br"
    assert brotli.decompress(brotlied.content) == plain.content
    assert len(brotlied.content) < len(plain.content) / 2
    assert "Accept-Encoding" in brotlied["Vary"]
    assert len({plain["ETag"], gzipped["ETag"], brotlied["ETag"]}) == 3
    refused = client.get(url, headers={"accept-encoding": "br;q=0, gzip"})
    assert refused["Content-Encoding"] == "gzip"


@cache_public_page
def negotiated(request):
    wants_markdown = "text/markdown" in request.headers.get("Accept", "")
    response = HttpResponse(
        "# Markdown" if wants_markdown else "<h1>HTML</h1>",
        content_type="text/markdown" if wants_markdown else "text/html",
    )
    response["Vary"] = "Accept"
    return response


urlpatterns = [path("negotiated/", negotiated, name="negotiated")]


@override_settings(ROOT_URLCONF=__name__)
def test_the_markdown_and_html_variants_are_kept_apart(client):
    html = client.get("/negotiated/", headers={"accept": "text/html"})
    markdown = client.get("/negotiated/", headers={"accept": "text/markdown, text/html;q=0.5"})
    again = client.get("/negotiated/", headers={"accept": "*/*"})
    assert html.content == again.content == b"<h1>HTML</h1>"
    assert markdown.content == b"# Markdown"
    assert markdown["Vary"].startswith("Accept")


def test_logged_in_staff_never_get_or_fill_the_public_cache(client, staff_client):
    article = ArticleFactory(title="Before")
    staff_response = staff_client.get(article.get_absolute_url())
    directives = cache_control(staff_response)
    assert directives.get("private") and directives.get("no-store")
    assert "ETag" not in staff_response
    Article.objects.filter(pk=article.pk).update(title="After")
    assert text(soup(client.get(article.get_absolute_url())).find("h1")) == "After"


def test_a_draft_preview_is_private(staff_client):
    article = ArticleFactory(draft=True)
    directives = cache_control(staff_client.get(article.get_absolute_url()))
    assert directives.get("private") and directives.get("no-store")


def test_redirects_and_errors_are_never_kept_by_shared_caches(client, settings):
    article = ArticleFactory(slug="harbour")
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    responses = [
        client.get("/news/harbour"),  # to the address with a slash
        client.get("/news/no-such-story/"),
        client.get(scheduled.get_absolute_url()),  # embargoed: 404 until it goes live
    ]
    assert [r.status_code for r in responses] == [301, 404, 404]
    assert all(r["Cache-Control"] == "no-store" for r in responses)
    settings.SECURE_SSL_REDIRECT = True
    redirect = Client().get(article.get_absolute_url())  # middleware built with the setting
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    assert redirect["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "change",
    [
        lambda article: (setattr(article, "title", "New headline"), article.save()),
        lambda article: Article.objects.filter(pk=article.pk).update(title="New headline"),
        lambda article: Callout.objects.filter(article=article).update(body="New callout."),
        lambda article: FAQEntryFactory(article=article, question="A brand new question?"),
        lambda article: article.authors.set([AuthorFactory(name="A New Byline")]),
        lambda article: (setattr(article.section, "name", "New"), article.section.save()),
    ],
    ids=["saved", "bulk update", "callout bulk update", "faq added", "byline", "section"],
)
def test_each_change_is_served_fresh_at_once(client, change):
    article = ArticleFactory(body="Intro.\n\n[[callout:take]]")
    CalloutFactory(article=article, marker="take", body="Old callout.")
    url = article.get_absolute_url()
    before = client.get(url).content
    change(article)
    assert client.get(url).content != before


def test_a_change_leaves_other_articles_cached(client, django_assert_num_queries):
    article, elsewhere = ArticleFactory(), ArticleFactory()
    assert article.section_id != elsewhere.section_id
    client.get(elsewhere.get_absolute_url())
    article.title = "Edited"
    article.save()
    with django_assert_num_queries(1):  # still a hit
        assert client.get(elsewhere.get_absolute_url()).status_code == 200


def test_a_callout_saved_through_the_orm_shows_on_the_next_request(client):
    article = ArticleFactory(body="Intro.\n\n[[callout:take]]")
    callout = CalloutFactory(article=article, marker="take", body="Old callout.")
    client.get(article.get_absolute_url())
    callout.body = "New callout."
    callout.save()
    page = soup(client.get(article.get_absolute_url()))
    assert text(page.select_one("aside .callout__body")) == "New callout."


def test_a_new_release_renders_stored_pages_again(client, settings):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    release = StoredPage.objects.get(article=article).release
    cache.clear()
    settings.SITE_LOGO = "https://cdn.example.org/new-logo.png"
    page = soup(client.get(article.get_absolute_url()))
    assert StoredPage.objects.get(article=article).release != release
    assert "https://cdn.example.org/new-logo.png" in str(page)


def test_a_scheduled_article_appears_on_time_despite_the_cache(client):
    now = timezone.now()
    ArticleFactory(title="Already out")
    ArticleFactory(title="Embargoed", published_at=now + timedelta(minutes=5))
    home = reverse("articles:home")
    first = client.get(home)
    assert [text(h) for h in soup(first).select(".card__title")] == ["Already out"]
    directives = cache_control(first)
    assert 0 < directives["s-maxage"] <= 300
    assert directives["stale-while-revalidate"] == 0  # no stale copy past the go-live time
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=6)):
        titles = [text(h) for h in soup(client.get(home)).select(".card__title")]
    assert titles == ["Embargoed", "Already out"]


def test_any_cache_error_is_a_miss(client, caplog):
    article = ArticleFactory()
    with (
        mock.patch("pages.store.page_cache") as broken,
    ):
        broken.return_value.get.side_effect = RuntimeError("OOM command not allowed")
        broken.return_value.set.side_effect = RuntimeError("OOM command not allowed")
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Page cache write failed" in caplog.text


class _PurgeRecorder(BaseHTTPRequestHandler):
    received = []

    def do_PURGE(self):
        self.received.append(self.headers["xkey-purge"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_recorder(settings):
    server = HTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _PurgeRecorder.received = []
    settings.CACHE_PURGER = "pages.purging.VarnishPurger"
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    purging.get_purger.cache_clear()
    yield _PurgeRecorder.received
    server.shutdown()
    purging.get_purger.cache_clear()


def test_an_edit_queues_a_purge_of_exactly_its_tags_on_commit(
    django_capture_on_commit_callbacks, purge_recorder
):
    from distribution.models import Delivery

    from ..queue import drain

    # Committed first: a transaction's purges are one purge, sent when it commits.
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
        other = ArticleFactory()
    drain()
    purge_recorder.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Edited"
        article.save()
    # Nothing leaves at commit: the purge waits on the queue for the worker.
    assert purge_recorder == []
    queued = Delivery.objects.filter(kind=Delivery.Kind.PURGE, status=Delivery.Status.PENDING)
    assert queued.exists()
    drain()
    assert not queued.exists()
    assert Delivery.objects.filter(kind=Delivery.Kind.PURGE, status=Delivery.Status.SENT).exists()
    purged = set(" ".join(purge_recorder).split())
    assert {f"article-{article.pk}", f"section-{article.section_id}", "listings"} <= purged
    assert f"article-{other.pk}" not in purged
    assert all(re.fullmatch(r"[a-z]+(-[0-9]+)?", tag) for tag in purged)


def test_a_page_served_from_the_cache_keeps_every_security_header(client):
    article = ArticleFactory()
    fresh = client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert cached[header] == fresh[header], header


def test_the_middleware_never_renders_and_passes_on_what_it_does_not_hold(
    django_assert_num_queries,
):
    article = ArticleFactory()
    with django_assert_num_queries(1):  # the kept page, which the article does not have yet
        response = PageCacheMiddleware(lambda request: "passed on")(
            RequestFactory().get(article.get_absolute_url())
        )
    assert response == "passed on"


@pytest.mark.parametrize("url", ["article", "/"])
def test_a_database_lost_before_any_view_answers_the_branded_503(settings, caplog, url):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    url = article.get_absolute_url() if url == "article" else url
    with mock.patch("pages.hot_reads._run", side_effect=OperationalError("server closed")):
        response = PageCacheMiddleware(lambda request: "passed on")(RequestFactory().get(url))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    heading = BeautifulSoup(response.content, "html.parser").select_one("h1")
    assert heading.get_text(strip=True) == "We will be back in a moment"
    assert "Database unavailable for " + url in caplog.text


@pytest.mark.parametrize("url", ["article", "/", "/feed/"])
def test_without_a_page_cache_the_middleware_serves_the_kept_page_in_one_query(
    client, settings, django_assert_num_queries, url
):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    url = article.get_absolute_url() if url == "article" else url
    rendered = client.get(url)
    with django_assert_num_queries(1):  # the kept row with its tags' current versions
        kept = PageCacheMiddleware(lambda request: "passed on")(RequestFactory().get(url))
    assert kept.status_code == 200
    assert (kept.content, kept["ETag"]) == (rendered.content, rendered["ETag"])
    assert kept["Last-Modified"] == rendered["Last-Modified"]
    assert kept["Surrogate-Key"] == rendered["Surrogate-Key"]
    assert kept["Content-Type"] == rendered["Content-Type"]

    article.title = "A new headline"
    article.save()
    with django_assert_num_queries(1):  # the kept row is no longer true: the view renders
        passed = PageCacheMiddleware(lambda request: "passed on")(RequestFactory().get(url))
    assert passed == "passed on"


LISTINGS = ["/", "/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-articles.xml"]


@pytest.mark.parametrize("url", LISTINGS)
def test_without_a_page_cache_a_listing_is_served_from_its_stored_copy(
    client, settings, django_assert_num_queries, url
):
    settings.PAGE_CACHE_SECONDS = 0
    ArticleFactory.create_batch(3)
    first = client.get(url)
    # The stored listing (with its compressed forms and next scheduled time) read with its tags'
    # current versions: no render.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content


def test_a_stored_listing_is_fresh_after_an_edit_and_replaced_after_a_deploy(client, settings):
    from pages.models import StoredListing
    from pages.release import release_id

    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory(title="Before the edit")
    assert "Before the edit" in text(soup(client.get("/")).select_one(".card__title"))
    article.title = "After the edit"
    article.save()
    assert "After the edit" in text(soup(client.get("/")).select_one(".card__title"))
    assert StoredListing.objects.get(path="/").release == release_id()

    client.get("/feed/")
    StoredListing.objects.update(release="an-earlier-release")
    # The home page finds its row of an earlier release: every such row goes, its own is new.
    assert "After the edit" in text(soup(client.get("/")).select_one(".card__title"))
    assert set(StoredListing.objects.values_list("path", "release")) == {("/", release_id())}


@pytest.mark.parametrize("url", ["article", "/", "/feed/"])
def test_a_stored_page_leaves_compressed_without_being_compressed_again(client, settings, url):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    url = article.get_absolute_url() if url == "article" else url
    plain = client.get(url, headers={"accept-encoding": "identity"})
    with (
        mock.patch("pages.entries.brotli.compress") as brotli_compress,
        mock.patch("pages.entries.gzip.compress") as gzip_compress,
    ):
        brotlied = client.get(url, headers={"accept-encoding": "br"})
        gzipped = client.get(url, headers={"accept-encoding": "gzip"})
        kept_plain = client.get(url, headers={"accept-encoding": "identity"})
    brotli_compress.assert_not_called()
    gzip_compress.assert_not_called()
    assert brotli.decompress(brotlied.content) == plain.content
    assert gzip.decompress(gzipped.content) == plain.content
    assert kept_plain.content == plain.content and kept_plain["ETag"] == plain["ETag"]
    # Each read brings only the body it sends; every answer still says it varies by encoding.
    for response in (plain, brotlied, gzipped, kept_plain):
        assert response["Vary"].endswith("Accept-Encoding")
    assert brotlied["ETag"] == plain["ETag"][:-1] + '-br"'
    assert gzipped["ETag"] == plain["ETag"][:-1] + '-gzip"'
