"""The reads behind every page served without the page cache, as plain SQL.

A stored article, a stored listing and the tag versions are read on each such request. Built
through the ORM, each costs more to compile than to run (bench/README.md measures it: about 3 ×
the CPU per uncached article), so they are written out here once, from the models' own table
and column names. `tests/delivery/test_hot_reads.py` holds them to the ORM's answers, the
article's `published()` rule included.
"""

import json
from datetime import UTC, datetime
from functools import cache

from django.db import connection
from django.utils.dateparse import parse_datetime

from articles.models import Article, Status

from .models import StoredListing, StoredPage, TagVersion

# Every name in these statements comes from the models; every value is a query parameter.
# What a kept page is served from, in this order (the SELECT lists them so).
KEPT_COLUMNS = ("html", "gzip", "brotli", "versions", "valid_until", "last_modified", "headers")


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _kept(model, alias):
    return ", ".join(f"{alias}.{_column(model, name)}" for name in ("release", *KEPT_COLUMNS))


@cache
def _article_sql(vendor):
    article, page = _table(Article), _table(StoredPage)
    return (
        f"SELECT a.{_column(Article, 'id')}, {_kept(StoredPage, 's')} FROM {article} a "  # noqa: S608
        f"LEFT JOIN {page} s ON s.{_column(StoredPage, 'article')} = a.{_column(Article, 'id')} "
        f"WHERE a.{_column(Article, 'slug')} = %s AND a.{_column(Article, 'status')} = %s "
        f"AND a.{_column(Article, 'published_at')} <= %s"
    )


@cache
def _listing_sql(vendor):
    return (
        f"SELECT {_kept(StoredListing, 'l')} FROM {_table(StoredListing)} l "  # noqa: S608
        f"WHERE l.{_column(StoredListing, 'key')} = %s"
    )


@cache
def _versions_sql(vendor, count):
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT {_column(TagVersion, 'tag')}, {_column(TagVersion, 'version')} "  # noqa: S608
        f"FROM {_table(TagVersion)} WHERE {_column(TagVersion, 'tag')} IN ({placeholders})"
    )


def _fetch_one(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _json(value):
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _aware(value):
    if isinstance(value, str):  # SQLite keeps datetimes as UTC text
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _decoded(release, html, gzip, brotli, versions, valid_until, last_modified, headers):
    kept = (html, gzip, brotli, _json(versions), _aware(valid_until), last_modified)
    return release, (*kept, _json(headers))


def stored_article(slug, now: datetime):
    """(article pk, release, kept fields) of the article published at `slug`, or None; the kept
    fields are None when the article has no stored page."""
    params = [slug, Status.PUBLISHED, connection.ops.adapt_datetimefield_value(now)]
    row = _fetch_one(_article_sql(connection.vendor), params)
    if row is None:
        return None
    pk, release, html, *rest = row
    if html is None:
        return pk, None, None
    release, kept = _decoded(release, html, *rest)
    return pk, release, kept


def stored_listing(key):
    """(release, kept fields) of the listing kept under `key`, or None."""
    row = _fetch_one(_listing_sql(connection.vendor), [key])
    return None if row is None else _decoded(*row)


def tag_versions(tags):
    """{tag: version} for those of `tags` that have a version."""
    tags = list(dict.fromkeys(tags))
    if not tags:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_versions_sql(connection.vendor, len(tags)), tags)
        return dict(cursor.fetchall())
