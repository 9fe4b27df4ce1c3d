"""Tag versions, bumped inside each change and read from the database before a page is served.

Each change also writes a new generation (pages/changes.py), which lets a process serve a page
it has already checked without the query, for as long as nothing on the host has changed.
"""

import secrets

from django.db import transaction

from . import changes, hot_reads
from .models import TagVersion


def current(tags):
    """{tag: version} for the tags that have ever changed (a tag never bumped is absent), with
    the generation under changes.GENERATION_TAG when there is one: one query, one snapshot."""
    return hot_reads.tag_versions([*tags, changes.GENERATION_TAG])


def bump(tags):
    """Give each tag, and the generation, a new version in the caller's transaction, so they
    commit with the change; the host's word learns the generation while its row is locked."""
    if not tags:
        return
    generation = secrets.randbits(62)
    rows = [TagVersion(tag=tag, version=secrets.randbits(62)) for tag in sorted(tags)]
    # "*" sorts first: every change locks the generation row before its tags, in one order.
    rows.insert(0, TagVersion(tag=changes.GENERATION_TAG, version=generation))
    with transaction.atomic():
        TagVersion.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["tag"], update_fields=["version"]
        )
        changes.announce(generation)
