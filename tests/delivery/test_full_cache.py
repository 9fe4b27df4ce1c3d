"""A Redis at maxmemory with noeviction refuses every write: pages still answer, /readyz says so."""

import json
import shutil
import uuid

import pytest
import redis as redis_client

from ..throwaway import Gunicorn, ThrowawayRedis, prepare_database

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        not (shutil.which("redis-server") or shutil.which("/usr/bin/redis-server")),
        reason="needs redis-server (apt-get install redis-server)",
    ),
]


@pytest.fixture
def full_redis():
    server = ThrowawayRedis("--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
    server.start()
    client = redis_client.Redis.from_url(server.url)
    try:
        for number in range(10_000):
            client.set(f"filler:{number}", "x" * 4096)
    except redis_client.exceptions.ResponseError as error:
        assert "maxmemory" in str(error)
    else:
        pytest.fail("Redis never refused a write")
    yield server
    server.kill()


def test_a_full_redis_is_a_miss_never_a_500_and_readyz_names_it(full_redis, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    prepare_database(DATABASE_URL=database_url)
    site = Gunicorn(
        DATABASE_URL=database_url,
        REDIS_URL=full_redis.url,
        CACHE_KEY_PREFIX="test-" + uuid.uuid4().hex,
    ).start()
    try:
        paths = ["/", "/feed/", "/search/?q=open", "/news/open-source-runs-on-goodwill/"]
        for path in paths + [f"/?x={uuid.uuid4().hex}" for _ in range(5)]:
            status, _, _ = site.get(path)
            assert status == 200, path
        status, _, body = site.get("/readyz")
        assert status == 503
        assert json.loads(body)["failed"] == ["cache"]
    finally:
        site.stop()
