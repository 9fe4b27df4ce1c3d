"""Cache purges, sent by the worker like every delivery: queued once the change commits,
retried with backoff until every shared cache has them."""

import uuid

from django.conf import settings
from django.db import transaction

from .models import Delivery
from .outbox import Outcome, task_for


def queue_purge(tags):
    """Put one purge of these cache tags on the queue when the change commits.

    Its key is unique to this change, so a worker killed mid-purge sends this purge again and no
    other; purging twice drops nothing a reader needs.
    """
    tags = sorted(tags)

    def queue():
        # The row and its task commit together; if the task were lost, the sweep finds the row.
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=f"purge:{uuid.uuid4().hex}",
                kind=Delivery.Kind.PURGE,
                target=settings.CACHE_PURGER,
                payload={"tags": tags},
            )
            task_for(Delivery.Kind.PURGE).enqueue(delivery.pk)

    # robust: the change is committed; a queue that cannot be written must not turn the save
    # into an error (the page versions already moved, so the site's own cache is fresh).
    transaction.on_commit(queue, robust=True)


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
