"""Pages kept in the database: article pages (StoredPage, with the article's row) and listing
pages (StoredListing, by page key). Shared by every process and instance, and still there after
a restart, so a cold cache costs one query per page, not a render."""

import logging

from django.db import DatabaseError
from django.utils.http import http_date

from . import hot_reads
from .models import StoredListing, StoredPage
from .release import release_id

logger = logging.getLogger(__name__)

KEPT_FIELDS = hot_reads.KEPT_COLUMNS


def bodies(html, gzip, brotli):
    """The encodings a kept page was stored with, as entries.CachedPage.bodies holds them; None
    for a row kept before they were (or a page too small to compress), compressed anew."""
    if gzip is None and brotli is None:
        return None
    found = {"identity": html.encode(), "gzip": gzip, "br": brotli}
    return {encoding: bytes(body) for encoding, body in found.items() if body is not None}


def lookup(slug, now):
    """(article pk, stored row or None) for a published article, or None when there is none."""
    found = hot_reads.stored_article(slug, now)
    if found is None:
        return None
    pk, release, kept = found
    return pk, (kept if release == release_id() else None)


def lookup_listing(key):
    """(key, stored row or None). The first lookup after a deploy that finds an earlier
    release's row clears every such row: they can never be served again."""
    found = hot_reads.stored_listing(key)
    if found is not None and found[0] != release_id():
        _forget_earlier_releases()
        found = None
    return key, (found[1] if found is not None else None)


def _forget_earlier_releases():
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
    }


def save_listing(key, page, path):
    """Keep a listing page by its key (one upsert); a locked database is only a miss."""
    row = StoredListing(key=key, path=path[:2000], **_stored_fields(page))
    try:
        StoredListing.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["path", *KEPT_FIELDS, "release"],
        )
    except DatabaseError as error:
        logger.warning("Could not store the listing %s: %r", path, error)


def save(pk, page):
    """Keep the page's HTML with its article (one upsert); a locked database is only a miss."""
    row = StoredPage(article_id=pk, **_stored_fields(page))
    try:
        StoredPage.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=[*KEPT_FIELDS, "release"],
        )
    except DatabaseError as error:
        logger.warning("Could not store the page of article %s: %r", pk, error)
