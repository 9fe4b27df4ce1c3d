"""Several stateless app instances sharing PostgreSQL and Redis, with Varnish in front."""

import re
import shutil
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from bs4 import BeautifulSoup

from .servers import (
    POSTGRES_SERVER,
    REDIS_SERVER,
    Browser,
    app_environment,
    eventually,
    free_port,
    gunicorn,
    manage,
    postgres_database,
    reachable,
    task_worker,
    varnish,
)

PASSWORD = "scale-out-" + uuid.uuid4().hex
SLUG = "open-source-runs-on-goodwill"
ARTICLE = f"/news/{SLUG}/"

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not reachable(POSTGRES_SERVER), reason="needs a PostgreSQL server"),
    pytest.mark.skipif(not reachable(REDIS_SERVER), reason="needs a Redis server"),
]


@pytest.fixture
def shared_backends():
    """A fresh PostgreSQL database with the demo content, and a private Redis key space."""
    with postgres_database() as database_url:
        env = app_environment(
            DATABASE_URL=database_url,
            REDIS_URL=REDIS_SERVER + "/0",
            CACHE_KEY_PREFIX="test-" + uuid.uuid4().hex,
        )
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo_content")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser", "--no-input", "--username", "editor", "--email", "e@example.org",
        )  # fmt: skip
        with psycopg.connect(database_url) as connection:
            article_id = connection.execute(
                "SELECT id FROM articles_article WHERE slug = %s", [SLUG]
            ).fetchone()[0]
        yield env, article_id


def headline(html):
    return BeautifulSoup(html, "html.parser").find("h1").get_text(strip=True)


def login(base):
    editor = Browser(base)
    status, landed = editor.submit(
        "/admin/login/?next=/admin/",
        "#login-form",
        {"username": "editor", "password": PASSWORD},
    )
    assert landed.endswith("/admin/"), (status, landed)
    return editor


def edit_headline(base, article_id, title):
    editor = login(base)
    status, landed = editor.submit(
        f"/admin/articles/article/{article_id}/change/",
        "#article_form",
        {"title": title},
        button="_save",
    )
    assert status == 200 and landed.endswith("/admin/articles/article/"), (status, landed)


def add_correction(base, article_id, text):
    editor = login(base)
    now = datetime.now(UTC)
    status, landed = editor.submit(
        f"/admin/articles/article/{article_id}/change/",
        "#article_form",
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": text,
            "corrections-0-corrected_at_0": now.strftime("%Y-%m-%d"),
            "corrections-0-corrected_at_1": now.strftime("%H:%M:%S"),
        },
        button="_save",
    )
    assert status == 200 and landed.endswith("/admin/articles/article/"), (status, landed)


def corrections_shown(html):
    page = BeautifulSoup(html, "html.parser")
    return [p.get_text(strip=True) for p in page.select(".correction__text")]


def test_an_edit_published_through_one_instance_is_served_fresh_by_the_other(shared_backends):
    env, article_id = shared_backends
    env = {**env, "SITE_URL": "http://127.0.0.1"}  # one site: the same pages from each instance
    with gunicorn(env) as first, gunicorn(env) as second:
        reader = Browser(second)
        status, headers, html = reader.get(ARTICLE)
        assert status == 200
        _, again, _ = reader.get(ARTICLE)
        assert again["ETag"] == headers["ETag"]  # served from the shared cache
        _, from_first, _ = Browser(first).get(ARTICLE)
        assert from_first["ETag"] == headers["ETag"]  # the other instance shares it

        edit_headline(first, article_id, "Edited through the first instance")

        status, _, html = reader.get(ARTICLE)
        assert status == 200
        assert headline(html) == "Edited through the first instance"


@pytest.mark.skipif(
    not (shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")),
    reason="needs varnishd (apt-get install varnish)",
)
def test_varnish_caches_public_pages_and_a_correction_is_visible_through_it_at_once(
    shared_backends,
):
    env, article_id = shared_backends
    app_port = free_port()
    with varnish(app_port) as cache:
        env = {
            **env,
            "CACHE_PURGER": "pages.purging.VarnishPurger",
            "CACHE_PURGE_URLS": cache + "/",
        }
        # Purges travel on the task queue: a worker runs beside the app.
        with gunicorn(env, port=app_port) as app, task_worker(env):
            reader = Browser(cache)
            status, first, html = reader.get(ARTICLE + "?utm_source=newsletter")
            assert status == 200 and first["X-Cache"] == "MISS"
            status, second, _ = reader.get(ARTICLE)
            assert second["X-Cache"] == "HIT"
            assert re.search(r"s-maxage=\d+", second["Cache-Control"])
            _, home, _ = reader.get("/")
            _, home, _ = reader.get("/")
            assert home["X-Cache"] == "HIT"
            # The admin and logged-in staff are never cached.
            _, admin_login, _ = reader.get("/admin/login/")
            _, admin_login, _ = reader.get("/admin/login/")
            assert admin_login["X-Cache"] == "MISS"

            assert corrections_shown(html) == []
            add_correction(app, article_id, "An earlier version misstated the funding total.")

            # The ban reaches Varnish within moments of the commit, through the queue.
            status, third, html = eventually(
                lambda: (page := reader.get(ARTICLE))[1]["X-Cache"] == "MISS" and page
            )
            assert status == 200 and third["X-Cache"] == "MISS"
            assert corrections_shown(html) == ["An earlier version misstated the funding total."]
            _, _, corrections_html = reader.get("/corrections/")
            assert "An earlier version misstated the funding total." in corrections_html

            edit_headline(app, article_id, "Corrected headline")
            status, _, html = eventually(
                lambda: headline((page := reader.get(ARTICLE))[2]) == "Corrected headline" and page
            )
            assert headline(html) == "Corrected headline"
            _, _, home_html = reader.get("/")
            home_titles = BeautifulSoup(home_html, "html.parser").select(".card__title a")
            assert "Corrected headline" in [a.get_text(strip=True) for a in home_titles]
