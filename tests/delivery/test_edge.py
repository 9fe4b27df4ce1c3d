"""Forwarded-header poisoning, protocol redirects and purge input, against real gunicorn and
real Varnish with deploy/varnish.vcl (issue 10, points 2 and 3)."""

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ..servers import app_environment, free_port, gunicorn, manage, varnish

pytestmark = pytest.mark.servers

SLUG = "open-source-runs-on-goodwill"
ARTICLE = f"/news/{SLUG}/"
HAS_VARNISH = bool(shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists())


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def send(url, method="GET", headers=None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def links(html):
    return [a["href"] for a in BeautifulSoup(html, "html.parser").select("a[href]")]


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    if not HAS_VARNISH:
        pytest.skip("needs varnishd (apt-get install varnish)")
    env = app_environment(
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('edge') / 'db.sqlite3'}",
        WEB_CONCURRENCY=2,
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo_content")
    app_port = free_port()
    with varnish(app_port) as front:
        env.update(CACHE_PURGER="pages.purging.VarnishPurger", CACHE_PURGE_URLS=front + "/")
        with gunicorn(env, port=app_port) as app:
            yield app, front


HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.mark.parametrize("through", ["app", "varnish"])
def test_script_name_and_path_info_headers_change_nothing(edge, through):
    app, front = edge
    base = app if through == "app" else front
    poison = {**HTTPS, "SCRIPT_NAME": "/fake", "PATH_INFO": ARTICLE, "SCRIPT-NAME": "/fake"}
    status, _, html = send(base + "/", headers=poison)
    assert status == 200
    assert not [href for href in links(html) if href.startswith("/fake")]
    status, _, article = send(base + ARTICLE, headers=HTTPS)
    assert status == 200
    assert BeautifulSoup(article, "html.parser").find("h1").get_text(strip=True) != ""
    assert not [href for href in links(article) if "/fake" in href]
    _, _, home = send(base + "/", headers=HTTPS)
    assert BeautifulSoup(home, "html.parser").select(".card__title")  # the home page, still


def test_the_https_redirect_is_never_cached_across_protocols(edge):
    _, front = edge
    status, headers, _ = send(front + ARTICLE)  # plain HTTP
    assert status == 301 and headers["Location"].startswith("https://")
    assert headers["Cache-Control"] == "no-store"
    for _ in range(2):
        status, headers, _ = send(front + ARTICLE, headers=HTTPS)
        assert status == 200, "an HTTPS reader got the plain-HTTP redirect"
    assert headers["X-Cache"] == "HIT"


@pytest.mark.parametrize("spelling", [f"/news/{SLUG}%2F", f"/news/{SLUG}%2f", "/news/%00/"])
def test_spellings_that_could_escape_a_purge_are_refused(edge, spelling):
    _, front = edge
    assert send(front + spelling, headers=HTTPS)[0] == 400


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("BAN", {"X-Ban-Url": "^/ && obj.status != 0"}),
        ("BAN", {"X-Ban-Url": 'x" || "'}),
        ("PURGE", {"xkey-purge": "listings\nX-Other: 1"}),
        ("PURGE", {"xkey-purge": "article-1; rm"}),
    ],
)
def test_purge_and_ban_input_is_checked(edge, method, headers):
    _, front = edge
    try:
        status = send(front + "/", method=method, headers=headers)[0]
    except ValueError:  # a header no HTTP client may send at all
        return
    assert status == 400


def test_a_purge_by_tag_drops_the_page(edge):
    _, front = edge
    send(front + ARTICLE, headers=HTTPS)
    _, headers, _ = send(front + ARTICLE, headers=HTTPS)
    assert headers["X-Cache"] == "HIT"
    tags = headers["Surrogate-Key"]
    assert send(front + "/", method="PURGE", headers={"xkey-purge": tags})[0] == 200
    _, headers, _ = send(front + ARTICLE, headers=HTTPS)
    assert headers["X-Cache"] == "MISS"


def test_compressed_variants_through_varnish(edge):
    _, front = edge
    variants = {}
    for encoding in ("br", "gzip", "identity"):
        for _ in range(2):
            _, headers, _ = send(front + ARTICLE, headers={**HTTPS, "Accept-Encoding": encoding})
        variants[encoding] = headers.get("Content-Encoding")
    assert variants == {"br": "br", "gzip": "gzip", "identity": None}
