"""Outages with real servers: PostgreSQL and Redis started here, stopped mid-test, and the
site under real gunicorn. Slower than the rest; `make test` runs them (marker: outage)."""

import json
import shutil
import time

import pytest

from insidersfeed.cache import ResilientRedisCache

from .throwaway import (
    PG_BIN,
    Gunicorn,
    ThrowawayPostgres,
    ThrowawayRedis,
    prepare_database,
    wait_for,
)

pytestmark = [pytest.mark.outage, pytest.mark.servers]

needs_postgres = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists(), reason=f"no PostgreSQL server binaries in {PG_BIN}"
)
needs_redis = pytest.mark.skipif(not shutil.which("redis-server"), reason="no redis-server")


@pytest.fixture(scope="module")
def postgres_site():
    database = ThrowawayPostgres()
    database.start()
    prepare_database(DATABASE_URL=database.url)
    site = Gunicorn(DATABASE_URL=database.url).start()
    yield database, site
    site.stop()
    database.destroy()


def first_article_path(site):
    status, _, body = site.get("/")
    assert status == 200
    marker = body.decode().split('class="card__title"><a href="', 1)[1]
    return marker.split('"', 1)[0]


@needs_postgres
def test_with_postgresql_down_pages_answer_a_branded_503_and_recover_without_restart(
    postgres_site,
):
    database, site = postgres_site
    article = first_article_path(site)
    assert site.get(article)[0] == 200
    assert site.get("/readyz")[0] == 200
    worker_pid = site.process.pid

    down_at = time.monotonic()
    database.stop()
    stopped_after = time.monotonic() - down_at

    # Pages not in the page cache need the database (cached ones keep serving: see below).
    status, headers, body = site.get("/search/?q=harbour")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "We will be back in a moment" in body.decode()
    assert site.get("/author/no-such-author/")[0] == 503
    status, _, body = site.get("/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == ["database"]
    assert site.get("/healthz")[:1] == (200,)
    first_503_after = time.monotonic() - down_at

    up_at = time.monotonic()
    database.start()
    assert wait_for(lambda: site.get("/search/?q=harbour")[0] == 200, timeout=30)
    recovered_after = time.monotonic() - up_at
    assert site.get(article)[0] == 200
    assert site.get("/readyz")[0] == 200
    assert site.process.pid == worker_pid and site.process.poll() is None
    print(
        f"\nPostgreSQL outage: stopped in {stopped_after:.2f}s; 503s served within "
        f"{first_503_after:.2f}s of the stop; 200s again {recovered_after:.2f}s after start"
    )


@needs_postgres
def test_cached_pages_keep_serving_while_postgresql_is_down(postgres_site):
    database, _ = postgres_site
    # One worker, so the page cache that served the warm-up serves the outage too.
    site = Gunicorn(workers=1, DATABASE_URL=database.url).start()
    try:
        article = first_article_path(site)
        status, _, page = site.get(article)
        assert status == 200
        database.stop()
        try:
            assert site.get(article)[0] == 200
            assert site.get(article)[2] == page
            status, headers, _ = site.get("/search/?q=harbour")  # never cached: needs the database
            assert status == 503
            assert headers["Retry-After"]
        finally:
            database.start()
    finally:
        site.stop()


@needs_postgres
def test_gunicorn_refuses_an_oversized_request_line_with_414(postgres_site):
    _, site = postgres_site
    status, _, _ = site.get("/?q=" + "x" * 9_000)
    assert status == 414


@pytest.fixture
def redis():
    server = ThrowawayRedis()
    server.start()
    yield server
    server.kill()


@needs_redis
def test_resilient_cache_misses_instead_of_raising_when_redis_dies(redis, caplog):
    cache = ResilientRedisCache(
        redis.url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    cache.set("story", "cached", 60)
    assert cache.get("story") == "cached"
    assert cache.probe("probe", "1") is True

    redis.kill()
    assert cache.get("story", "missed") == "missed"
    cache.set("story", "again", 60)  # dropped, not raised
    assert cache.add("other", 1) is False
    assert cache.get_many(["story"]) == {}
    assert cache.delete("story") is False
    assert "Redis unavailable" in caplog.text

    redis.start()  # same port: the cache reconnects by itself
    assert wait_for(lambda: cache.add("back", 1) is True, timeout=10)
    assert cache.get("back") == 1


@needs_redis
def test_with_redis_down_the_site_serves_uncached_and_readyz_names_the_cache(redis, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    prepare_database(DATABASE_URL=database_url)
    site = Gunicorn(DATABASE_URL=database_url, REDIS_URL=redis.url).start()
    try:
        assert site.get("/")[0] == 200
        assert site.get("/readyz")[0] == 200
        article = first_article_path(site)
        down_at = time.monotonic()
        redis.kill()
        for path in ["/", article, "/", article]:
            assert site.get(path)[0] == 200, path
        assert site.get("/no-such-page/")[0] == 404
        assert site.get("/")[0] == 200
        status, _, body = site.get("/readyz")
        assert status == 503
        assert json.loads(body)["failed"] == ["cache"]
        served_after = time.monotonic() - down_at
        redis.start()
        assert wait_for(lambda: site.get("/readyz")[0] == 200, timeout=20)
        print(f"\nRedis outage: pages kept answering 200 ({served_after:.2f}s of checks)")
    finally:
        site.stop()
