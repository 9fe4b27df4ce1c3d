"""Article revisions with django-reversion, and what they tell a stale form.

An article's revision holds the article with its callouts and FAQ entries, so a restore brings
all three back together. Corrections and the audit log are records of what happened, not
content to roll back: they are left out, so restoring an old revision never deletes them.
"""

from datetime import UTC, datetime

import reversion
from django.utils import timezone
from reversion.models import Version

from .models import Article, Callout, FAQEntry

reversion.register(Callout)
reversion.register(FAQEntry)
reversion.register(Article, follow=["callouts", "faq_entries"])

# Fields an editor recognises in "what changed".
COMPARED_FIELDS = [
    field
    for field in Article._meta.concrete_fields
    if field.editable and field.name not in ("id", "created_at", "updated_at")
]


def edit_token(updated_at):
    """The version a change form was opened at: the article's updated_at to the millisecond
    (the precision revisions store it with)."""
    moment = updated_at.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).isoformat()


def saves_since(article, token, limit=50):
    """Revisions saved after the one a form was opened at, newest first, and that one's version
    (None when it is older than `limit` saves or was never recorded)."""
    newer = []
    versions = Version.objects.get_for_object(article).select_related("revision__user")
    for version in versions[:limit]:
        saved_at = version.field_dict.get("updated_at")
        if saved_at and edit_token(saved_at) == token:
            return newer, version
        newer.append(version)
    return newer, None


def _same(old, new):
    if isinstance(old, datetime) and isinstance(new, datetime):
        return edit_token(old) == edit_token(new)
    return old == new


def stale_form_message(article, token):
    """Tell the person holding a stale form who changed the article since, when, and what."""
    newer, opened = saves_since(article, token)
    saves = []
    for version in newer:
        revision = version.revision
        who = revision.user.get_username() if revision.user else "someone"
        when = timezone.localtime(revision.date_created).strftime("%-d %b %H:%M")
        saves.append(f"{who} at {when}" + (f" ({revision.comment})" if revision.comment else ""))
    if opened is not None:
        changed = [
            str(field.verbose_name)
            for field in COMPARED_FIELDS
            if not _same(opened.field_dict.get(field.attname), getattr(article, field.attname))
        ]
    else:
        changed = []
    parts = ["Someone saved this article after you opened it, so your save was refused."]
    if saves:
        parts.append("Saved by " + "; ".join(saves) + ".")
    else:
        when = timezone.localtime(article.updated_at).strftime("%-d %b %H:%M")
        parts.append(f"It was last changed at {when}.")
    if changed:
        parts.append("Fields that changed: " + ", ".join(changed) + ".")
    parts.append(
        "Your text is kept below. Open the article in another tab to compare, "
        "then save again to replace their version with yours."
    )
    return " ".join(parts)
