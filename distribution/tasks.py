"""The background tasks (django.tasks): every outside effect goes through the outbox."""

from django.tasks import task

from . import outbox


@task
def deliver(delivery_id):
    return outbox.run(delivery_id)


@task
def sweep():
    """Find what a dead worker or a lost enqueue left behind, and what went live on schedule."""
    from .events import detect_due

    return {"requeued": len(outbox.requeue_stranded()), "events": detect_due()}
