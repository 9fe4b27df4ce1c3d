"""The article address answers Accept: text/markdown; no cache ever serves one variant to the
other: the page cache (test client, and gunicorn workers sharing Redis) and real Varnish."""

import shutil

import pytest
from bs4 import BeautifulSoup

from articles.article_markdown import parse
from articles.models import AIPreference

from .factories import ArticleFactory
from .servers import REDIS_SERVER, Browser, free_port, gunicorn, reachable, varnish
from .test_scale_out import ARTICLE, shared_backends  # noqa: F401 - the fixture

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MARKDOWN_FIRST = "text/markdown, text/html;q=0.5"
ASKS = [
    (BROWSER, "html"),
    ("text/markdown", "markdown"),
    (MARKDOWN_FIRST, "markdown"),
    ("text/markdown;q=0.5, text/html", "html"),
    ("*/*", "html"),
    (None, "html"),
]


def variant(content_type, body):
    if content_type.startswith("text/markdown"):
        parse(body)  # a Markdown form we can read back
        return "markdown"
    assert content_type.startswith("text/html"), content_type
    assert BeautifulSoup(body, "html.parser").find("h1") is not None
    return "html"


def vary(value):
    return {part.strip().lower() for part in (value or "").split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize("order", [ASKS, ASKS[::-1]], ids=["html-first", "markdown-first"])
def test_each_accept_gets_its_variant_from_the_page_cache_in_any_order(client, order):
    article = ArticleFactory(slug="negotiated")
    for _ in range(2):  # the second round is all cache hits
        for accept, expected in order:
            headers = {"accept": accept} if accept else {}
            response = client.get(article.get_absolute_url(), headers=headers)
            assert response.status_code == 200
            assert variant(response["Content-Type"], response.content.decode()) == expected
            assert "accept" in vary(response.get("Vary"))
    head = client.head(article.get_absolute_url(), headers={"accept": "text/markdown"})
    assert head["Content-Type"].startswith("text/markdown")


@pytest.mark.django_db
def test_an_article_without_a_markdown_form_answers_html_to_a_markdown_request(client):
    article = ArticleFactory(slug="exclusive", ai_user_fetch=AIPreference.DISALLOW)
    response = client.get(article.get_absolute_url(), headers={"accept": "text/markdown"})
    assert variant(response["Content-Type"], response.content.decode()) == "html"
    assert "accept" in vary(response["Vary"])
    assert client.get("/news/exclusive.md").status_code == 404


@pytest.mark.django_db
def test_markdown_negotiation_keeps_redirects_for_old_addresses(client):
    article = ArticleFactory(slug="renamed")
    article.slug = "renamed-again"
    article.save()
    response = client.get("/news/renamed/", headers={"accept": "text/markdown"}, follow=True)
    assert response.redirect_chain == [("http://127.0.0.1:8000/news/renamed-again/", 301)]
    assert response["Content-Type"].startswith("text/markdown")


def ask_all(reader, order):
    seen = []
    for accept, expected in order:
        status, headers, body = reader.get(ARTICLE, headers={"Accept": accept} if accept else {})
        assert status == 200
        assert variant(headers["Content-Type"], body) == expected, (accept, headers)
        assert "accept" in vary(headers.get("Vary"))
        seen.append(headers.get("X-Cache"))
    return seen


@pytest.mark.servers
@pytest.mark.skipif(not reachable(REDIS_SERVER), reason="needs a Redis server")
def test_gunicorn_workers_sharing_redis_never_mix_the_variants(shared_backends):  # noqa: F811
    env, _ = shared_backends
    with gunicorn({**env, "WEB_CONCURRENCY": "3"}) as app:
        reader = Browser(app)
        for order in (ASKS, ASKS[::-1], ASKS, ASKS[::-1]):
            ask_all(reader, order)


@pytest.mark.skipif(
    not (shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")),
    reason="needs varnishd (apt-get install varnish)",
)
@pytest.mark.servers
def test_varnish_keeps_the_variants_apart(shared_backends):  # noqa: F811
    env, _ = shared_backends
    app_port = free_port()
    with varnish(app_port) as cache, gunicorn({**env, "WEB_CONCURRENCY": "2"}, port=app_port):
        reader = Browser(cache)
        first = ask_all(reader, ASKS)
        assert first[:2] == ["MISS", "MISS"]  # one object per variant
        again = ask_all(reader, ASKS[::-1])
        assert set(again) == {"HIT"}
