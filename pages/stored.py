"""Article pages kept in the database (StoredPage): shared by every process and instance, and
still there after a restart, so a cold cache costs one query per article, not a render."""

import logging

from django.db import DatabaseError
from django.utils.http import http_date

from articles.models import Article

from .models import StoredPage
from .release import release_id

logger = logging.getLogger(__name__)

FIELDS = ("pk", "stored_page__html", "stored_page__release", "stored_page__versions",
          "stored_page__valid_until", "stored_page__last_modified",
          "stored_page__headers")  # fmt: skip


def lookup(slug, now):
    """(article pk, stored row or None) for a published article, or None when there is none."""
    row = Article.objects.published(now=now).filter(slug=slug).values_list(*FIELDS).first()
    if row is None:
        return None
    pk, html, release, versions, valid_until, last_modified, headers = row
    if html is None or release != release_id():
        return pk, None
    return pk, (html, versions, valid_until, last_modified, headers)


def save(pk, page):
    """Keep the page's HTML with its article (one upsert); a locked database is only a miss."""
    row = StoredPage(
        article_id=pk,
        html=page.bodies["identity"].decode(),
        release=release_id(),
        versions=page.versions,
        valid_until=page.valid_until,
        last_modified=http_date(page.last_modified.timestamp()),
        headers={**page.headers, **({"Vary": ", ".join(page.vary)} if page.vary else {})},
    )
    try:
        StoredPage.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=[
                "html",
                "release",
                "versions",
                "valid_until",
                "last_modified",
                "headers",
            ],
        )
    except DatabaseError as error:
        logger.warning("Could not store the page of article %s: %r", pk, error)
