import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def settings_value(expression, **env):
    """Evaluate an expression against insidersfeed.settings imported fresh with `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SITE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"from insidersfeed import settings as s; print(repr(({expression})))",
        ],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_without_a_secret_key_fails_with_a_clear_message():
    result = settings_value("s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings_value("s.DEBUG", DJANGO_SECRET_KEY="k").stdout.strip() == "False"
    assert settings_value("s.DEBUG", DJANGO_DEBUG="1").stdout.strip() == "True"
    assert (
        settings_value("s.DEBUG", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="k").stdout.strip()
        == "False"
    )


def test_database_defaults_to_sqlite_in_the_project_folder():
    result = settings_value(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']", DJANGO_SECRET_KEY="k"
    )
    engine, name = ast.literal_eval(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == PROJECT / "db.sqlite3"


def test_database_url_selects_postgresql():
    result = settings_value(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DJANGO_SECRET_KEY="k",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )
    assert ast.literal_eval(result.stdout) == ("django.db.backends.postgresql", "newsroom")


def test_site_url_and_allowed_hosts_come_from_the_environment():
    result = settings_value(
        "s.SITE_URL, s.ALLOWED_HOSTS",
        DJANGO_SECRET_KEY="k",
        SITE_URL="https://news.example.org/",
        DJANGO_ALLOWED_HOSTS="news.example.org, www.news.example.org",
    )
    assert ast.literal_eval(result.stdout) == (
        "https://news.example.org",
        ["news.example.org", "www.news.example.org"],
    )


@pytest.mark.parametrize("bad", ["news.example.org", "ftp://x.example", "https://"])
def test_a_site_url_that_is_not_an_absolute_origin_is_refused(bad):
    result = settings_value("s.SITE_URL", DJANGO_SECRET_KEY="k", SITE_URL=bad)
    assert result.returncode != 0
    assert "SITE_URL must be an absolute" in result.stderr


def test_redis_url_selects_the_redis_cache():
    result = settings_value(
        "s.CACHES['default']['BACKEND']",
        DJANGO_SECRET_KEY="k",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert ast.literal_eval(result.stdout) == "insidersfeed.cache.ResilientRedisCache"


def test_media_storage_is_swappable_from_the_environment():
    result = settings_value(
        "s.STORAGES['default']",
        DJANGO_SECRET_KEY="k",
        MEDIA_STORAGE_BACKEND="storages.backends.s3.S3Storage",
        MEDIA_STORAGE_OPTIONS='{"bucket_name": "newsroom-media"}',
    )
    assert ast.literal_eval(result.stdout) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "newsroom-media"},
    }
