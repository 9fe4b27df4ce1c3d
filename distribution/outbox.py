"""The delivery outbox: rows written with the change, sent by workers, each exactly once.

A delivery is claimed with one conditional UPDATE (pending, or sending with its lease run out,
and due) before anything is sent, so two workers never send it at once. A worker killed
mid-send leaves the row `sending`; once its lease runs out the sweep hands it to another
worker, which sends it again with the same idempotency key. Once marked sent it never goes out
again.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from .models import Delivery, DeliveryAttempt

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    # A refusal that no retry can fix (4xx other than 408/429): give up at once.
    permanent: bool = False


# Purges go ahead of everything else on the queue (an edition's email batches), so readers
# behind a shared cache see a change as soon as a worker is free.
PURGE_PRIORITY = 50
# A purge takes a couple of seconds at most; a killed worker's is taken over sooner.
PURGE_LEASE_SECONDS = 30


def task_for(kind):
    """The `deliver` task, set up for this kind of delivery."""
    from .tasks import deliver

    return deliver.using(priority=PURGE_PRIORITY) if kind == Delivery.Kind.PURGE else deliver


def backoff(attempts):
    """Seconds before the next try: doubling from the base, at most an hour."""
    return min(settings.DISTRIBUTION_BACKOFF_SECONDS * 2 ** (attempts - 1), 3600)


def enqueue_on_commit(delivery_ids):
    """Hand the deliveries to the queue once the rows they name are committed."""
    from .tasks import deliver

    ids = list(delivery_ids)
    if ids:
        transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids])


def claim(delivery_id):
    """Take the delivery for this worker, or None if it is done, taken or not yet due."""
    now = timezone.now()
    claimable = Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, lease_expires_at__lt=now
    )
    with transaction.atomic():
        # F() would be clearer, but the new attempt number must be read back in the same
        # transaction, so lock, check and write.
        delivery = (
            Delivery.objects.select_for_update()
            .filter(claimable, pk=delivery_id, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        seconds = settings.DISTRIBUTION_LEASE_SECONDS
        if delivery.kind == Delivery.Kind.PURGE:
            seconds = min(seconds, PURGE_LEASE_SECONDS)
        delivery.lease_expires_at = now + timedelta(seconds=seconds)
        delivery.save(update_fields=["status", "attempts", "lease_expires_at"])
    return delivery


def record(delivery, outcome, started):
    """Write what happened; schedule a retry with backoff when it failed and may succeed."""
    now = timezone.now()
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        status_code=outcome.status_code,
        error=outcome.error[:2000],
        milliseconds=int((now - started).total_seconds() * 1000),
    )
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:2000]
    delivery.lease_expires_at = None
    if outcome.ok:
        delivery.status, delivery.sent_at = Delivery.Status.SENT, now
    elif outcome.permanent or delivery.attempts >= settings.DISTRIBUTION_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=backoff(delivery.attempts))
    delivery.save(
        update_fields=[
            "status",
            "sent_at",
            "next_attempt_at",
            "lease_expires_at",
            "last_status_code",
            "last_error",
        ]
    )
    if delivery.status == Delivery.Status.PENDING:
        task_for(delivery.kind).using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    log = logger.info if outcome.ok else logger.warning
    log(
        "%s %s attempt %d: %s %s",
        delivery.kind,
        delivery.target,
        delivery.attempts,
        delivery.get_status_display(),
        outcome.status_code or outcome.error,
    )


def run(delivery_id):
    """Claim, send and record one delivery; nothing happens if it is not ours to send."""
    from .senders import send

    delivery = claim(delivery_id)
    if delivery is None:
        return "skipped"
    started = timezone.now()
    try:
        outcome = send(delivery)
    except Exception as error:  # a bug in a sender must not strand the row in `sending`
        logger.exception("Delivery %s failed unexpectedly", delivery.pk)
        outcome = Outcome(ok=False, error=f"{type(error).__name__}: {error}")
    record(delivery, outcome, started)
    return delivery.status


def claim_many(delivery_ids):
    """Take every claimable delivery among these for this worker, in one transaction."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.DISTRIBUTION_LEASE_SECONDS)
    claimable = Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, lease_expires_at__lt=now
    )
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update()
            .filter(claimable, pk__in=delivery_ids, next_attempt_at__lte=now)
            .order_by("pk")
        )
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, lease_expires_at=lease
        )
    for delivery in claimed:
        delivery.status, delivery.lease_expires_at = Delivery.Status.SENDING, lease
        delivery.attempts += 1
    return claimed


# Accepted messages are marked sent this many at a time, in one transaction. It bounds what
# a crash repeats (see run_batch) while saving a commit per message.
MARK_EVERY = 10


def run_batch(delivery_ids, send_each, mark_every=MARK_EVERY):
    """Claim the deliveries at once, then let `send_each` send them one after another over a
    shared connection; accepted ones are marked sent `mark_every` at a time, each group in one
    transaction (one UPDATE per distinct note, usually one, and its attempt log in bulk).

    What a crash can cause: every message is claimed before it is sent, so no two workers
    send it at once, and a message marked sent never goes out again. A worker killed mid-batch
    leaves at most `mark_every` messages accepted by the mail server but not yet marked (the
    group being filled and the one in flight); once the lease runs out another worker sends
    those again, with the same Message-ID (their idempotency key), so a receiving mail system
    that drops repeats shows them once. The rest of the batch was never sent and goes out once.
    """
    claimed = claim_many(delivery_ids)
    accepted = []
    for delivery, started, outcome in send_each(claimed):
        if outcome.ok:
            accepted.append((delivery, started, timezone.now(), outcome))
            if len(accepted) >= mark_every:
                _mark_sent(accepted)
                accepted = []
        else:
            record(delivery, outcome, started)
    _mark_sent(accepted)
    return len(claimed)


def _mark_sent(accepted):
    if not accepted:
        return
    now = timezone.now()
    by_note = {}
    for delivery, _, _, outcome in accepted:
        by_note.setdefault(outcome.error[:2000], []).append(delivery.pk)
    with transaction.atomic():
        for note, pks in by_note.items():
            Delivery.objects.filter(pk__in=pks).update(
                status=Delivery.Status.SENT,
                sent_at=now,
                lease_expires_at=None,
                last_status_code=None,
                last_error=note,
            )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery=delivery,
                number=delivery.attempts,
                started_at=started,
                error=outcome.error[:2000],
                milliseconds=int((finished - started).total_seconds() * 1000),
            )
            for delivery, started, finished, outcome in accepted
        )


def stranded():
    """Deliveries no queued task will pick up: a killed worker's, or ones whose enqueue was lost.

    A pending delivery counts only once it was due before the oldest task still waiting on the
    queue: its own task, had it one, would be older still and so would have run. A long
    backlog (an edition to 10,000 readers) is therefore not queued a second time.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    grace = now - timedelta(seconds=settings.DISTRIBUTION_LEASE_SECONDS)
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    overdue = min(grace, oldest) if oldest else grace
    return Delivery.objects.filter(
        Q(status=Delivery.Status.SENDING, lease_expires_at__lt=now)
        | Q(status=Delivery.Status.PENDING, next_attempt_at__lt=overdue)
    )


def requeue_stranded():
    """Enqueue a task for every stranded delivery; claiming keeps a duplicate task harmless."""
    rows = list(stranded().values_list("pk", "kind"))
    ids = [pk for pk, _ in rows]
    for pk, kind in rows:
        task_for(kind).enqueue(pk)
    if ids:
        logger.warning("Re-queued %d stranded deliveries", len(ids))
    return ids
