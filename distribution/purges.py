"""Cache purges as queued deliveries, so a slow or absent Varnish never holds up a save."""

import uuid

from django.conf import settings
from django.db import transaction

from .models import Delivery
from .outbox import Outcome


def queue_ban(pattern):
    """Once the change commits, put one ban on the queue (retried like every delivery)."""

    def queue():
        from .tasks import deliver

        delivery = Delivery.objects.create(
            key=f"purge:{uuid.uuid4().hex}",
            kind=Delivery.Kind.PURGE,
            target=settings.CACHE_PURGER,
            payload={"pattern": pattern},
        )
        deliver.enqueue(delivery.pk)

    transaction.on_commit(queue)


def send_ban(delivery):
    from articles.purging import get_purger

    purger = get_purger()
    if purger is None:
        return Outcome(ok=False, error="CACHE_PURGER is no longer configured.", permanent=True)
    try:
        purger.ban(delivery.payload["pattern"])
    except OSError as error:
        return Outcome(ok=False, error=str(error))
    return Outcome(ok=True)
