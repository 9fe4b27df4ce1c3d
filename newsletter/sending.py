"""Send one email delivery through Django's email API (SMTP settings from the environment)."""

import smtplib

from django.conf import settings
from django.core.mail import mailers

from distribution.outbox import Outcome

from . import mail
from .models import Edition, Subscriber


def email_configured():
    return settings.EMAIL_CONFIGURED


def send_email(delivery):
    if not email_configured():
        return Outcome(ok=False, error="EMAIL_HOST is not set: nothing is sent.", permanent=True)
    payload = delivery.payload
    subscriber = Subscriber.objects.filter(pk=payload.get("subscriber")).first()
    if subscriber is None:
        return Outcome(ok=False, error="The subscriber's data was deleted.", permanent=True)
    if "confirm" in payload:
        if subscriber.status != Subscriber.Status.PENDING:
            return Outcome(ok=True, error="Already confirmed or unsubscribed; not sent.")
        message = mail.confirmation_message(subscriber)
    else:
        if subscriber.status != Subscriber.Status.CONFIRMED:
            return Outcome(ok=False, error="Unsubscribed before sending.", permanent=True)
        edition = Edition.objects.filter(pk=payload["edition"]).first()
        if edition is None:
            return Outcome(ok=False, error="The edition was deleted.", permanent=True)
        message = mail.edition_message(edition, subscriber)
    try:
        with mailers.default as connection:
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        return Outcome(ok=False, error=f"Refused: {error}", permanent=True)
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(ok=False, error=f"{type(error).__name__}: {error}")
    return Outcome(ok=True)
