"""The reads behind every page served without the page cache, as plain SQL.

A kept article or listing is read with the current versions of the tags it shows, in one
statement (one round trip, one snapshot). Built through the ORM, each read costs more to compile
than to run (bench/README.md measures it: about 3 × the CPU per uncached article), so the
statements are written out here once, from the models' own table and column names.
`tests/delivery/test_hot_reads.py` holds them to the ORM's answers, the article's `published()`
rule included.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.utils.dateparse import parse_datetime

from articles.models import Article, Status

from .models import StoredListing, StoredPage, TagVersion

# What a kept page is served from, in this order (the SELECT lists them so).
KEPT_COLUMNS = (
    "html", "gzip", "brotli", "versions", "valid_until", "last_modified", "headers", "digest",
)  # fmt: skip
# The column that holds each encoding of the body.
BODY_COLUMNS = {"identity": "html", "gzip": "gzip", "br": "brotli"}

# Per vendor: the current version of each tag in the kept row's versions, as one JSON object.
# Written so that each tag is an index lookup: a condition with OR here would scan every tag
# version on the site, on every read.
CURRENT_VERSIONS = {
    "postgresql": "(SELECT json_object_agg(t.{tag}, t.{version}) FROM {table} t "
    "WHERE t.{tag} = ANY(ARRAY(SELECT jsonb_object_keys({versions}))))",
    "sqlite": "(SELECT json_group_object(t.{tag}, t.{version}) FROM {table} t "
    "WHERE t.{tag} IN (SELECT key FROM json_each({versions})))",
}


class KeptRow(NamedTuple):
    release: str
    html: bytes | None  # None when only a compressed body was read
    gzip: bytes | None
    brotli: bytes | None
    versions: dict  # tag -> version the page was rendered under (None: never changed)
    valid_until: datetime | None
    last_modified: str
    headers: dict
    digest: str
    compressed: bool  # kept with gzip and Brotli bodies, whether or not they were read
    current: dict  # tag -> its version now, for the page's tags that have one


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _kept(model, alias, vendor, encoding):
    columns = {name: f"{alias}.{_column(model, name)}" for name in ("release", *KEPT_COLUMNS)}
    if encoding is not None:
        # Only the body to be sent leaves the database, the plain one only where that body is
        # missing (a page too small to compress) or the plain bytes are needed for the ETag.
        wanted, html = BODY_COLUMNS[encoding], columns["html"]
        for name in BODY_COLUMNS.values():
            if name != wanted:
                columns[name] = "NULL"
        if wanted != "html":
            columns["html"] = (
                f"CASE WHEN {columns[wanted]} IS NULL OR {columns['digest']} = '' THEN {html} END"
            )
    compressed = f"{alias}.{_column(model, 'gzip')} IS NOT NULL"
    current = CURRENT_VERSIONS[vendor].format(
        tag=_column(TagVersion, "tag"),
        version=_column(TagVersion, "version"),
        table=_table(TagVersion),
        versions=columns["versions"],
    )
    return ", ".join([*columns.values(), compressed, current])


@cache
def _article_sql(vendor, encoding):
    article, page = _table(Article), _table(StoredPage)
    return (
        f"SELECT a.{_column(Article, 'id')}, {_kept(StoredPage, 's', vendor, encoding)} "  # noqa: S608
        f"FROM {article} a "
        f"LEFT JOIN {page} s ON s.{_column(StoredPage, 'article')} = a.{_column(Article, 'id')} "
        f"WHERE a.{_column(Article, 'slug')} = %s AND a.{_column(Article, 'status')} = %s "
        f"AND a.{_column(Article, 'published_at')} <= %s"
    )


@cache
def _listing_sql(vendor, encoding):
    return (
        f"SELECT {_kept(StoredListing, 'l', vendor, encoding)} "  # noqa: S608
        f"FROM {_table(StoredListing)} l WHERE l.{_column(StoredListing, 'key')} = %s"
    )


@cache
def _versions_sql(vendor, count):
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT {_column(TagVersion, 'tag')}, {_column(TagVersion, 'version')} "  # noqa: S608
        f"FROM {_table(TagVersion)} WHERE {_column(TagVersion, 'tag')} IN ({placeholders})"
    )


def _cursor(db):
    """On PostgreSQL with prepared statements on (DATABASE_PREPARE_THRESHOLD in settings.py), a
    cursor that binds its parameters on the server, so psycopg prepares each hot read once per
    connection: it is then neither parsed nor planned again, which is most of its cost in the
    database. The ORM's own cursors bind on the client, as Django's do by default, and are
    never prepared."""
    if db.vendor != "postgresql" or db.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return db.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What db.cursor() does, with the cursor class it would use under server_side_binding.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        cursor = ServerBindingCursor(db.connection)
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


def _execute(db, sql, params, fetch):
    with _cursor(db) as cursor:
        cursor.execute(sql, params)
        return fetch(cursor)


def _run(db, sql, params, fetch):
    """Run a hot read. Where Django would first check a reused connection with a query of its
    own (CONN_HEALTH_CHECKS: one more round trip per request), the read itself is the check: if
    the database has dropped the connection, the read runs once more on a new one, so no request
    fails for a dropped connection either way. Inside a transaction Django's own rules apply."""
    checked_by_use = (
        db.connection is not None
        and db.health_check_enabled
        and not db.health_check_done
        and not db.in_atomic_block
    )
    if not checked_by_use:
        return _execute(db, sql, params, fetch)
    db.health_check_done = True
    try:
        return _execute(db, sql, params, fetch)
    except (OperationalError, InterfaceError):
        db.close()
        return _execute(db, sql, params, fetch)


def _json(value):
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _aware(value):
    if isinstance(value, str):  # SQLite keeps datetimes as UTC text
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _bytes(value):
    return None if value is None else bytes(value)


def _kept_row(columns):
    (release, html, gzip, brotli, versions, valid_until, modified, headers, digest, compressed,
     current) = columns  # fmt: skip
    return KeptRow(
        release=release,
        html=None if html is None else html.encode(),  # as it is sent
        gzip=_bytes(gzip),
        brotli=_bytes(brotli),
        versions=_json(versions),
        valid_until=_aware(valid_until),
        last_modified=modified,
        headers=_json(headers),
        digest=digest,
        compressed=bool(compressed),
        current=_json(current) or {},  # no version at all: NULL on PostgreSQL
    )


def stored_article(slug, now: datetime, encoding=None):
    """(article pk, KeptRow or None) for the article published at `slug`, or None; the row is
    None when the article has no kept page. With `encoding`, only that body is read."""
    db = connections[DEFAULT_DB_ALIAS]
    params = [slug, Status.PUBLISHED, db.ops.adapt_datetimefield_value(now)]
    row = _run(db, _article_sql(db.vendor, encoding), params, _one)
    if row is None:
        return None
    pk, kept = row[0], row[1:]
    return pk, (None if kept[0] is None else _kept_row(kept))  # no release: nothing kept


def stored_listing(key, encoding=None):
    """The KeptRow of the listing kept under `key`, or None. With `encoding`, only that body
    is read."""
    db = connections[DEFAULT_DB_ALIAS]
    row = _run(db, _listing_sql(db.vendor, encoding), [key], _one)
    return None if row is None else _kept_row(row)


def tag_versions(tags):
    """{tag: version} for those of `tags` that have a version."""
    tags = list(dict.fromkeys(tags))
    if not tags:
        return {}
    db = connections[DEFAULT_DB_ALIAS]
    return dict(_run(db, _versions_sql(db.vendor, len(tags)), tags, _all))


def _one(cursor):
    return cursor.fetchone()


def _all(cursor):
    return cursor.fetchall()
