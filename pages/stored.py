"""Pages kept in the database: article pages (StoredPage, with the article's row) and listing
pages (StoredListing, by page key). Shared by every process and instance, and still there after
a restart, so a cold cache costs one query per page, not a render."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError
from django.utils.http import http_date, parse_http_date_safe

from . import entries, hot_reads
from .keys import page_key, variant
from .models import StoredListing, StoredPage
from .release import release_id

logger = logging.getLogger(__name__)

KEPT_FIELDS = hot_reads.KEPT_COLUMNS


@dataclass(frozen=True)
class Kept:
    """Where a page's render is kept (with an article's row or under a listing's key), and the
    kept page when it may still be served."""

    stored: str  # "article" or "listing", as the view's PageSpec says
    owner: int | str  # the article's pk or the listing's key
    page: entries.CachedPage | None


def find(request, spec, kwargs, now, encoding=None):
    """The Kept of a page declared `stored`, or None when it has none: a page that is not kept
    (not HTML, not a stored view) or an article not published at this address. One query; with
    `encoding`, the kept page holds only the body to send in it."""
    if not spec.stored or variant(request) != "html":
        return None
    if spec.stored == "article":
        found = hot_reads.stored_article(kwargs["slug"], now, encoding)
        if found is None:
            return None
        pk, row = found
        current = row is not None and row.release == release_id()
        return Kept(spec.stored, pk, _current_page(row, now) if current else None)
    key = page_key(request, spec, release=False)
    row = hot_reads.stored_listing(key, encoding)
    if row is not None and row.release != release_id():
        _forget_earlier_releases()
        row = None
    return Kept(spec.stored, key, None if row is None else _current_page(row, now))


def _current_page(row, now):
    """The kept row as a CachedPage, if every tag it shows is at the version it was kept under
    and no scheduled story has gone live since."""
    headers = dict(row.headers)
    vary = tuple(name.strip() for name in headers.pop("Vary", "").split(",") if name.strip())
    bodies = {"identity": row.html, "gzip": row.gzip, "br": row.brotli}
    bodies = {encoding: body for encoding, body in bodies.items() if body is not None}
    if row.compressed and len(bodies) == 1:
        vary = (*vary, "Accept-Encoding")  # the other bodies were kept, only not read
    timestamp = parse_http_date_safe(row.last_modified)
    page = entries.CachedPage(
        status=200,
        headers=headers,
        bodies=bodies,
        digest=row.digest or hashlib.sha1(row.html, usedforsecurity=False).hexdigest(),
        last_modified=datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else now,
        vary=vary,
        tags=tuple(sorted(row.versions)),
        versions=row.versions,
        valid_until=row.valid_until,
    )
    return page if page.is_current(row.current, now) else None


def _forget_earlier_releases():
    """The first lookup after a deploy that finds an earlier release's listing clears every
    such row: they can never be served again."""
    try:
        StoredListing.objects.exclude(release=release_id()).delete()
    except DatabaseError as error:
        logger.warning("Could not clear listings of earlier releases: %r", error)


def _stored_fields(page):
    return {
        "html": page.bodies["identity"].decode(),
        "gzip": page.bodies.get("gzip"),
        "brotli": page.bodies.get("br"),
        "release": release_id(),
        "versions": page.versions,
        "valid_until": page.valid_until,
        "last_modified": http_date(page.last_modified.timestamp()),
        "headers": {**page.headers, **({"Vary": ", ".join(page.vary)} if page.vary else {})},
        "digest": page.digest,
    }


def save(kept, page, path):
    """Keep a page's render where `find` looks for it (one upsert); a locked database is only a
    miss."""
    if kept.stored == "article":
        model, row = StoredPage, StoredPage(article_id=kept.owner, **_stored_fields(page))
        unique, update = ["article"], [*KEPT_FIELDS, "release"]
    else:
        model = StoredListing
        row = StoredListing(key=kept.owner, path=path[:2000], **_stored_fields(page))
        unique, update = ["key"], ["path", *KEPT_FIELDS, "release"]
    try:
        model.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=unique, update_fields=update
        )
    except DatabaseError as error:
        logger.warning("Could not keep the page %s: %r", path, error)
