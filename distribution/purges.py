"""Cache purges, sent by the worker like every delivery: queued once the change commits,
retried with backoff until every shared cache has them."""

import uuid
import weakref

from django.conf import settings
from django.db import transaction

from .models import Delivery
from .outbox import Outcome, task_for


class _PendingPurge:
    """The tags a transaction asked to purge so far, queued as one delivery at its commit."""

    def __init__(self):
        self.tags, self.queued = set(), False

    def __call__(self):
        self.queued = True
        # The row and its task commit together; if the task were lost, the sweep finds the row.
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=f"purge:{uuid.uuid4().hex}",
                kind=Delivery.Kind.PURGE,
                target=settings.CACHE_PURGER,
                payload={"tags": sorted(self.tags)},
            )
            task_for(Delivery.Kind.PURGE).enqueue(delivery.pk)


# Each thread has its own connection, so each its own transaction's pending purge.
_pending = weakref.WeakKeyDictionary()


def _waiting(pending, connection):
    """Whether this pending purge still belongs to the open transaction: its commit hook has
    not run, and no rollback (the transaction's, or that of the savepoint it was registered
    in) dropped it."""
    return (
        pending is not None
        and not pending.queued
        and any(hook is pending for _, hook, _ in connection.run_on_commit)
    )


def queue_purge(tags):
    """Put these cache tags in the transaction's one purge, queued when the change commits.

    However many writes one save makes (the article, its callouts and FAQ, a section), the
    cache gets one purge with every tag they touched. Its key is unique to this commit, so a
    worker killed mid-purge sends this purge again and no other; purging twice drops nothing
    a reader needs. Tags asked for inside a savepoint that rolls back stay in the outer
    transaction's purge: purging a page that did not change costs one render.
    """
    connection = transaction.get_connection()
    pending = _pending.get(connection)
    if _waiting(pending, connection):
        pending.tags.update(tags)
        return
    pending = _pending[connection] = _PendingPurge()
    pending.tags.update(tags)
    # Outside a transaction this runs at once: each autocommitted write is its own purge.
    # robust: the change is committed; a queue that cannot be written must not turn the save
    # into an error (the page versions already moved, so the site's own cache is fresh).
    transaction.on_commit(pending, robust=True)


def send_purge(delivery):
    from pages.purging import get_purger

    purger = get_purger()
    if purger is None:
        return Outcome(ok=False, error="CACHE_PURGER is no longer configured.", permanent=True)
    try:
        purger.purge(delivery.payload["tags"])
    except OSError as error:
        return Outcome(ok=False, error=str(error))
    return Outcome(ok=True)
