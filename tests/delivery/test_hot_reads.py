"""The uncached page's reads in plain SQL give what the ORM gives, on SQLite and PostgreSQL."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article, Status
from pages import hot_reads, stored, versions
from pages.entries import CachedPage
from pages.models import StoredListing, StoredPage, TagVersion
from pages.release import release_id

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _page(valid_until):
    return CachedPage(
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Usage": "train-ai=n"},
        bodies={"identity": "<p>Ünïcode ✓</p>".encode(), "gzip": b"\x1f\x8b gz", "br": b"\x00br"},
        digest="d",
        last_modified=NOW,
        vary=("Accept",),
        tags=("article-1", "listings"),
        versions={"article-1": 7, "listings": None},
        valid_until=valid_until,
    )


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Status.PUBLISHED, NOW - timedelta(days=1)),
        (Status.PUBLISHED, NOW),  # live at this very second
        (Status.PUBLISHED, NOW + timedelta(seconds=1)),  # scheduled
        (Status.DRAFT, NOW - timedelta(days=1)),
        (Status.REVIEW, NOW - timedelta(days=1)),
        (Status.UNPUBLISHED, NOW - timedelta(days=1)),
    ],
)
def test_the_article_read_follows_the_published_rule(status, published_at):
    article = ArticleFactory(status=status, published_at=published_at)
    expected = Article.objects.published(now=NOW).filter(slug=article.slug).first()
    found = hot_reads.stored_article(article.slug, NOW)
    assert (found[0] if found else None) == (expected.pk if expected else None)
    if found:
        assert found[1] is None  # no page kept yet


def test_an_unknown_slug_finds_nothing():
    ArticleFactory()
    assert hot_reads.stored_article("no-such-story", NOW) is None


@pytest.mark.parametrize("valid_until", [None, datetime(2031, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)])
def test_a_kept_article_page_reads_back_as_it_was_stored(valid_until):
    article = ArticleFactory()
    stored.save(stored.Kept("article", article.pk, None), _page(valid_until), "/news/x/")
    pk, kept = hot_reads.stored_article(article.slug, NOW)
    row = StoredPage.objects.get(pk=article.pk)
    assert (pk, kept.release) == (article.pk, release_id())
    assert kept.html == row.html.encode() == "<p>Ünïcode ✓</p>".encode()
    assert (kept.gzip, kept.brotli) == (b"\x1f\x8b gz", b"\x00br")
    assert kept.versions == row.versions == {"article-1": 7, "listings": None}
    assert kept.valid_until == row.valid_until == valid_until
    assert kept.last_modified == row.last_modified
    assert kept.headers == row.headers and kept.headers["Vary"] == "Accept"
    assert kept.digest == row.digest == "d"


def test_a_kept_listing_reads_back_as_it_was_stored():
    valid_until = NOW + timedelta(hours=2)
    stored.save(stored.Kept("listing", "home:html", None), _page(valid_until), "/")
    kept = hot_reads.stored_listing("home:html")
    row = StoredListing.objects.get(key="home:html")
    assert kept.release == row.release == release_id()
    assert kept.html == row.html.encode() and kept.versions == row.versions
    assert kept.headers == row.headers and row.path == "/"
    assert kept.valid_until == valid_until and kept.valid_until.tzinfo is not None
    assert hot_reads.stored_listing("other:html") is None


def test_a_kept_row_comes_with_the_current_versions_of_its_tags():
    article = ArticleFactory()
    stored.save(stored.Kept("article", article.pk, None), _page(None), "/news/x/")
    versions.bump({"article-1", "section-2"})  # section-2 is not among the page's tags
    orm = dict(
        TagVersion.objects.filter(tag__in=["article-1", "listings"]).values_list("tag", "version")
    )
    _, kept = hot_reads.stored_article(article.slug, NOW)
    by_versions = versions.current(["article-1", "listings"])
    assert kept.current == orm == {tag: by_versions[tag] for tag in ("article-1", "listings")}
    assert "section-2" not in kept.current


@pytest.mark.parametrize(
    ("encoding", "bodies"),
    [
        (None, ("html", "gzip", "brotli")),
        ("identity", ("html",)),
        ("gzip", ("gzip",)),
        ("br", ("brotli",)),
    ],
)
def test_a_kept_page_read_for_one_encoding_holds_only_that_body(encoding, bodies):
    article = ArticleFactory()
    stored.save(stored.Kept("article", article.pk, None), _page(None), "/news/x/")
    stored.save(stored.Kept("listing", "home:html", None), _page(None), "/")
    for _, kept in [
        hot_reads.stored_article(article.slug, NOW, encoding),
        (None, hot_reads.stored_listing("home:html", encoding)),
    ]:
        read = {name for name in ("html", "gzip", "brotli") if getattr(kept, name) is not None}
        assert read == set(bodies)
        assert kept.compressed and kept.digest == "d" and kept.versions == _page(None).versions


def test_a_body_missing_in_the_encoding_read_brings_the_plain_bytes():
    uncompressed = replace(_page(None), bodies={"identity": b"<p>tiny</p>"})
    stored.save(stored.Kept("listing", "home:html", None), uncompressed, "/")
    kept = hot_reads.stored_listing("home:html", "br")
    assert (kept.html, kept.gzip, kept.brotli, kept.compressed) == (
        b"<p>tiny</p>",
        None,
        None,
        False,
    )
    StoredListing.objects.update(digest="")  # kept before digests were: the ETag needs the bytes
    stored.save(stored.Kept("article", ArticleFactory().pk, None), _page(None), "/news/x/")
    StoredPage.objects.update(digest="")
    assert hot_reads.stored_listing("home:html", "br").html == b"<p>tiny</p>"
    _, kept = hot_reads.stored_article(Article.objects.get().slug, NOW, "br")
    assert (kept.html, kept.brotli) == ("<p>Ünïcode ✓</p>".encode(), b"\x00br")


def test_the_tag_versions_of_a_kept_page_are_index_lookups_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the plan of PostgreSQL's statement")
    article = ArticleFactory()
    stored.save(stored.Kept("article", article.pk, None), _page(None), "/news/x/")
    TagVersion.objects.bulk_create(
        TagVersion(tag=f"elsewhere-{n}", version=n) for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + TagVersion._meta.db_table)
        sql = hot_reads._article_sql("postgresql", None)
        cursor.execute("EXPLAIN " + sql, [article.slug, Status.PUBLISHED, NOW])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Seq Scan on {TagVersion._meta.db_table}" not in plan, plan
    assert "Index" in plan.split("SubPlan", 1)[1], plan


def test_a_kept_row_whose_tags_never_changed_has_no_current_versions():
    stored.save(stored.Kept("listing", "home:html", None), _page(None), "/")
    assert hot_reads.stored_listing("home:html").current == {}


def test_tag_versions_match_the_orm():
    versions.bump({"article-1", "section-2"})
    wanted = ["article-1", "section-2", "author-3", "article-1"]
    orm = dict(TagVersion.objects.filter(tag__in=wanted).values_list("tag", "version"))
    assert hot_reads.tag_versions(wanted) == orm
    assert set(orm) == {"article-1", "section-2"}
    assert hot_reads.tag_versions([]) == {}


@pytest.mark.django_db(transaction=True)
def test_a_hot_read_is_its_own_connection_health_check(monkeypatch):
    """A reused connection is read from without Django's extra health-check query; one the
    database has dropped is replaced, and the read still answers."""
    if connection.vendor != "postgresql":
        pytest.skip("a dropped connection needs a database server (PostgreSQL)")
    article = ArticleFactory()
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)  # persistent
    connection.close()
    connection.ensure_connection()
    first_backend = _backend_pid()
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)

    connection.close_if_unusable_or_obsolete()  # what Django does as each request starts
    assert hot_reads.stored_article(article.slug, NOW)[0] == article.pk
    assert checks == [] and _backend_pid() == first_backend  # the same connection, unchecked

    with psycopg.connect(_dsn(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [first_backend])
    connection.close_if_unusable_or_obsolete()
    assert hot_reads.stored_article(article.slug, NOW)[0] == article.pk
    assert checks == [] and _backend_pid() != first_backend


def _backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _dsn():
    settings = connection.settings_dict
    return (
        f"host={settings['HOST']} port={settings['PORT'] or 5432} user={settings['USER']} "
        f"dbname={settings['NAME']}"
    )


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_hot_reads_are_prepared_once_per_connection_and_the_orm_never_is():
    """Prepared, a hot read is neither parsed nor planned again: most of its cost in the
    database. The ORM's queries keep Django's client-side binding."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold == 5  # settings.py's default
    article = ArticleFactory()
    stored.save(stored.Kept("article", article.pk, None), _page(None), "/news/x/")
    before = _prepared_statements()
    for _ in range(threshold):
        assert hot_reads.stored_article(article.slug, NOW)[0] == article.pk
        list(Article.objects.filter(slug=article.slug))
    assert _prepared_statements() == before  # not yet: one-off statements are not kept

    for _ in range(3):
        assert hot_reads.stored_article(article.slug, NOW)[0] == article.pk
        list(Article.objects.filter(slug=article.slug))
    added = [sql for sql in _prepared_statements() if sql not in before]
    assert len(added) == 1, added  # the article read, prepared once and reused
    assert added[0].startswith("SELECT a.") and "$1" in added[0]


def test_prepared_hot_reads_can_be_turned_off_for_a_pooler(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    article = ArticleFactory()
    before = _prepared_statements()
    for _ in range(10):
        assert hot_reads.stored_article(article.slug, NOW)[0] == article.pk
    assert _prepared_statements() == before


def test_the_prepare_threshold_comes_from_the_environment():
    base = {
        "DJANGO_SECRET_KEY": "t",
        "DATABASE_URL": "postgres://u@h/db",
        "PATH": os.environ["PATH"],
    }
    thresholds = [
        _database_options({**base, **extra}).get("prepare_threshold", "unset")
        for extra in (
            {},
            {"DATABASE_PREPARE_THRESHOLD": "0"},
            {"DATABASE_PREPARE_THRESHOLD": "off"},
        )
    ]
    assert thresholds == [5, 0, None]
    assert "prepare_threshold" not in _database_options({**base, "DATABASE_URL": "sqlite:///x"})


def _database_options(env):
    """settings.DATABASES' OPTIONS as a fresh process reads them from `env`."""
    code = (
        "import json; from insidersfeed import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)
