"""From an edition to one queued email per confirmed subscriber, without holding up the save.

Saving an edition only marks it queued and enqueues one task at commit. That task writes the
deliveries (one row per subscriber, keyed by edition and subscriber, so a re-run adds none)
in chunks and enqueues each; the distribution worker sends them like any other delivery.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from distribution.models import Delivery, EventKind

from .models import Edition, Subscriber

logger = logging.getLogger(__name__)
CHUNK = 1000
BATCH = 50


def queue(edition):
    """Mark the edition queued; its fan-out runs on the queue once this commits."""
    from .tasks import fan_out

    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.QUEUED)
    edition.status = Edition.Status.QUEUED
    pk = edition.pk
    transaction.on_commit(lambda: fan_out.enqueue(pk))


def article_went_live(sender, event, article, **kwargs):
    if event.kind == EventKind.PUBLISHED:
        for edition in Edition.objects.filter(article=article, status=Edition.Status.WAITING):
            queue(edition)


def write_deliveries(edition_pk):
    """One delivery per confirmed subscriber; safe to run again after a crash."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(pk=edition_pk).first()
        if edition is None or edition.status != Edition.Status.QUEUED:
            return 0
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("pk")
    total, last = 0, 0
    while True:
        ids = list(subscribers.filter(pk__gt=last).values_list("pk", flat=True)[:CHUNK])
        if not ids:
            break
        last = ids[-1]
        with transaction.atomic():
            keys = [f"email:{edition.pk}:{pk}" for pk in ids]
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        key=key,
                        kind=Delivery.Kind.EMAIL,
                        target=f"subscriber {pk}",
                        payload={"edition": edition.pk, "subscriber": pk},
                    )
                    for key, pk in zip(keys, ids, strict=True)
                ],
                ignore_conflicts=True,
            )
            fresh = Delivery.objects.filter(key__in=keys, status=Delivery.Status.PENDING)
            enqueue_batches(list(fresh.values_list("pk", flat=True)))
        total += len(ids)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT, recipients=total)
    logger.info("Edition %s queued for %d subscribers", edition.pk, total)
    return total


def enqueue_batches(ids):
    """One task per BATCH emails: one SMTP connection and one render of the edition each."""
    from .tasks import send_batch

    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    transaction.on_commit(lambda: [send_batch.enqueue(batch) for batch in batches])


def requeue_stalled(sender=None, **kwargs):
    """Editions whose fan-out died with its worker (queued for more than a few minutes)."""
    from .tasks import fan_out

    stalled = Edition.objects.filter(
        status=Edition.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=5)
    )
    for pk in stalled.values_list("pk", flat=True):
        fan_out.enqueue(pk)
