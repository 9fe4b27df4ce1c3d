"""What left the site after a story changed: events, and every delivery they caused."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from articles.validators import validate_clean_text, validate_no_bidi_controls


class EventKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    CORRECTED = "corrected", "Corrected"
    UNPUBLISHED = "unpublished", "Unpublished"


class ArticleSnapshot(models.Model):
    """What readers last saw of an article, as far as the outside world was told."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="distribution_snapshot"
    )
    public = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.article_id} v{self.version}"


class Event(models.Model):
    """One change readers can see. Its key is unique, so a change is announced once."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=EventKind)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


def new_secret():
    return secrets.token_urlsafe(32)


def validate_webhook_url(value):
    if not value.lower().startswith(("https://", "http://")):
        raise ValidationError("Use an http:// or https:// address.")


class WebhookEndpoint(models.Model):
    name = models.CharField(
        max_length=100, validators=[validate_clean_text, validate_no_bidi_controls]
    )
    url = models.URLField(
        "address",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Receives a POST with a JSON body for each event it wants.",
    )
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Shared with the receiver, which checks each delivery's signature with it.",
    )
    events = models.JSONField(
        default=list,
        help_text="Which events it receives: published, updated, corrected, unpublished.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.events or []) - set(EventKind.values)
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": "Choose from: " + ", ".join(EventKind.values)})
        if len(self.secret) < 16:
            raise ValidationError({"secret": "Use at least 16 characters."})


class Delivery(models.Model):
    """One message to one receiver. Claimed atomically before it is sent, never sent twice
    once it is marked sent; its key travels with it so receivers can drop a repeat."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        INDEXNOW = "indexnow", "IndexNow"
        WEBSUB = "websub", "WebSub hub"
        PURGE = "purge", "Cache purge"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    key = models.CharField("idempotency key", max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    target = models.CharField(max_length=500)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.target}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"attempt {self.number}"
