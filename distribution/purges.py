"""Cache purges that could not reach a shared cache at commit, retried from the queue."""

import uuid

from django.conf import settings
from django.db import transaction

from .models import Delivery
from .outbox import Outcome


def queue_purge(tags):
    """Put one purge of these cache tags on the queue (retried with backoff like every delivery).

    Called by page delivery when a purge right after a commit failed, so a Varnish that was
    down or restarting still hears of the change once it is back.
    """

    def queue():
        from .tasks import deliver

        delivery = Delivery.objects.create(
            key=f"purge:{uuid.uuid4().hex}",
            kind=Delivery.Kind.PURGE,
            target=settings.CACHE_PURGER,
            payload={"tags": sorted(tags)},
        )
        deliver.enqueue(delivery.pk)

    transaction.on_commit(queue)


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
