"""`db_worker` (django-tasks-db) plus the sweep that makes a killed worker lose nothing."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from distribution import events, outbox

logger = logging.getLogger("distribution")


def sweep_forever(stop, interval):
    while not stop.is_set():
        try:
            outbox.requeue_stranded()
            events.detect_due()
            events.sweeping.send(sender=Command)
        except Exception:
            # The database may be restarting; the next round tries again.
            logger.exception("Sweep failed")
        finally:
            close_old_connections()
            connection.close()
        stop.wait(interval)


class Command(db_worker.Command):
    help = (
        "Run a background worker: the queued tasks, and every DISTRIBUTION_SWEEP_SECONDS a sweep "
        "that re-queues deliveries a killed worker left and announces articles that went live."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        sweeper = threading.Thread(
            target=sweep_forever,
            args=(stop, settings.DISTRIBUTION_SWEEP_SECONDS),
            name="distribution-sweep",
            daemon=True,
        )
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
