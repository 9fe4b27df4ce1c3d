"""Tag versions, read from the database on every request and bumped inside each change."""

import secrets

from .models import TagVersion


def current(tags):
    """{tag: version} for the tags that have ever changed (a tag never bumped is absent)."""
    return dict(TagVersion.objects.filter(tag__in=tags).values_list("tag", "version"))


def bump(tags):
    """Give each tag a new version, in the caller's transaction, so it commits with the change."""
    if not tags:
        return
    TagVersion.objects.bulk_create(
        [TagVersion(tag=tag, version=secrets.randbits(62)) for tag in sorted(tags)],
        update_conflicts=True,
        unique_fields=["tag"],
        update_fields=["version"],
    )
