"""Readers who asked for the email edition, and what was sent to them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    # Stored lower-cased: one row per mailbox, whatever capitals a reader types.
    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    # The reader's key to their subscription: confirm, unsubscribe, delete. Never shown to others.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="subscriber_status_idx")]

    def __str__(self):
        return self.email


class Edition(models.Model):
    """One mailing: a single article the editors chose, or the daily digest."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        DIGEST = "digest", "Daily digest"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the article to go live"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Handed to the queue for every subscriber"

    key = models.CharField(max_length=120, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.ARTICLE)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_editions",
        help_text="The story to send. If it is not live yet, it goes out when it is.",
    )
    articles = models.ManyToManyField("articles.Article", blank=True, related_name="+")
    subject = models.CharField(max_length=200, editable=False)
    status = models.CharField(max_length=8, choices=Status, default=Status.WAITING)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject or self.key

    def stories(self):
        if self.kind == self.Kind.ARTICLE:
            return [self.article]
        return list(self.articles.order_by("-published_at"))
