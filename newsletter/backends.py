"""The mailer used when no SMTP server is configured: it sends nothing, and says so in the log."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class NotConfiguredBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        logger.warning("EMAIL_HOST is not set: %d message(s) not sent", len(email_messages))
        return 0
