"""The one way live updates are posted, corrected and deleted: the permission rule, a
revision (django-reversion) and an audit event, in the change's transaction.

Who may: posting, correcting or deleting an update needs `live.add_update`,
`live.change_update` or `live.delete_update`; on an article readers can see (published, or
scheduled to be) it also needs `articles.publish_article`, because an update there is
published the moment it is saved, and publishing is for editors (articles/workflow.py).
Journalists may therefore prepare updates on coverage that is not public yet, and editors
post on a running story.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Status
from articles.workflow import can_publish

from .models import UpdateEvent

PERMISSIONS = {
    UpdateEvent.Action.POSTED: "live.add_update",
    UpdateEvent.Action.CORRECTED: "live.change_update",
    UpdateEvent.Action.DELETED: "live.delete_update",
}


def readers_can_see(article):
    return article.status == Status.PUBLISHED


def may(user, action, article):
    """Whether `user` may make this change to an update of `article`."""
    if not user.has_perm(PERMISSIONS[action]):
        return False
    return not readers_can_see(article) or can_publish(user)


def check(user, action, article):
    if not may(user, action, article):
        raise PermissionDenied(
            "Only editors post, correct or delete updates on a published article."
            if user.has_perm(PERMISSIONS[action])
            else "You do not have permission to change live updates."
        )


def _record(update, user, action, article):
    UpdateEvent.objects.create(
        update=update if action != UpdateEvent.Action.DELETED else None,
        article=article,
        article_title=article.title,
        summary=str(update)[:200],
        action=action,
        user=user if user and user.is_authenticated else None,
    )


def _touch(coverage):
    # One UPDATE, not a save: the coverage's own receivers need not run for every update.
    type(coverage).objects.filter(pk=coverage.pk).update(changed_at=timezone.now())


def post(update, *, user, authors=None, trusted=False):
    """Save a new update (with its byline) and record it. `user=None` only with `trusted`."""
    return _save(update, user, UpdateEvent.Action.POSTED, authors, trusted)


def correct(update, *, user, authors=None, trusted=False):
    return _save(update, user, UpdateEvent.Action.CORRECTED, authors, trusted)


def _save(update, user, action, authors, trusted):
    coverage = update.coverage
    article = coverage.article
    _check_user(user, action, article, trusted)
    with transaction.atomic(), reversion.create_revision():
        update.save()
        if authors is not None:
            update.authors.set(authors)
        _touch(coverage)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(f"{action.label} on the live desk.")
        _record(update, user, action, article)
    return update


def delete(update, *, user, trusted=False):
    """Delete an update; its last revision stays, so it can be recovered from the admin."""
    coverage = update.coverage
    article = coverage.article
    _check_user(user, UpdateEvent.Action.DELETED, article, trusted)
    with transaction.atomic():
        _record(update, user, UpdateEvent.Action.DELETED, article)
        update.delete()
        _touch(coverage)


def _check_user(user, action, article, trusted):
    if user is None:
        if not trusted:
            raise PermissionDenied("Only a trusted command may change updates with no user.")
        return
    check(user, action, article)
