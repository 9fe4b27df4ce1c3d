"""Send one email delivery through Django's email API (SMTP settings from the environment)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import mailers
from django.utils import timezone

from distribution.outbox import Outcome

from . import mail
from .models import Edition, Subscriber

logger = logging.getLogger(__name__)


def email_configured():
    return settings.EMAIL_CONFIGURED


def send_email(delivery):
    [(_, _, outcome)] = send_emails([delivery])
    return outcome


def send_emails(deliveries):
    """Yield (delivery, started, outcome) for each, over one SMTP connection; an edition is
    rendered once for the whole batch, each copy differing only in its unsubscribe links."""
    if not deliveries:
        return
    if not email_configured():
        for delivery in deliveries:
            error = "EMAIL_HOST is not set: nothing is sent."
            yield delivery, timezone.now(), Outcome(ok=False, error=error, permanent=True)
        return
    # Read once for the batch (two queries, not two per message): a reader who unsubscribes
    # while the batch is on the wire, a second or so, still gets this one email.
    subscribers = Subscriber.objects.in_bulk(
        {pk for d in deliveries if isinstance(pk := d.payload.get("subscriber"), int)}
    )
    editions = Edition.objects.in_bulk(
        {pk for d in deliveries if isinstance(pk := d.payload.get("edition"), int)}
    )
    stories = {}
    connection = mailers.default
    try:
        for delivery in deliveries:
            started = timezone.now()
            try:
                outcome = _send_one(connection, delivery, subscribers, editions, stories)
            except Exception as error:  # one bad message must not strand the rest claimed
                logger.exception("Email delivery %s failed unexpectedly", delivery.pk)
                outcome = Outcome(ok=False, error=f"{type(error).__name__}: {error}")
            yield delivery, started, outcome
    finally:
        connection.close()


def _send_one(connection, delivery, subscribers, editions, stories):
    payload = delivery.payload
    subscriber = subscribers.get(payload.get("subscriber"))
    if subscriber is None:
        return Outcome(ok=False, error="The subscriber's data was deleted.", permanent=True)
    if "confirm" in payload:
        if subscriber.status != Subscriber.Status.PENDING:
            return Outcome(ok=True, error="Already confirmed or unsubscribed; not sent.")
        message = mail.confirmation_message(subscriber)
    else:
        if subscriber.status != Subscriber.Status.CONFIRMED:
            return Outcome(ok=False, error="Unsubscribed before sending.", permanent=True)
        edition = editions.get(payload.get("edition"))
        if edition is None:
            return Outcome(ok=False, error="The edition was deleted.", permanent=True)
        if edition.pk not in stories:
            stories[edition.pk] = mail.edition_parts(edition)
        message = mail.edition_message(edition, subscriber, parts=stories[edition.pk])
    # Every copy of this delivery, a repeat after a crash included, is the same message.
    message.extra_headers["Message-ID"] = mail.message_id(delivery.key)
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        return Outcome(ok=False, error=f"Refused: {error}", permanent=True)
    except (smtplib.SMTPException, OSError) as error:
        connection.close()  # the next message opens a fresh connection
        return Outcome(ok=False, error=f"{type(error).__name__}: {error}")
    return Outcome(ok=True)
