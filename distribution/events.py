"""Tell the outside world what readers can now see: published, updated, corrected, unpublished.

Events come from the article's saved state, not from which button was pressed: once a change
commits, the article is compared with the snapshot of what was last announced. Every write
path (admin, list action, import, restore, scheduled publishing) is covered the same way, and
the same comparison, run by the worker's sweep, catches articles that went live on schedule.
"""

import hashlib
import logging

from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone

from . import fanout
from .models import ArticleSnapshot, Event, EventKind

logger = logging.getLogger(__name__)

# Sent inside the event's transaction with `event` and `article`, for other kinds of delivery
# (the email edition) to add their rows atomically with the event.
article_event = Signal()
# Sent by the worker's sweep, for other apps to re-queue what a dead worker left.
sweeping = Signal()


def connect(article_model, correction_model):
    post_save.connect(article_saved, sender=article_model, dispatch_uid="distribution-article")
    post_save.connect(
        correction_saved, sender=correction_model, dispatch_uid="distribution-correction"
    )


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        pk = instance.pk
        transaction.on_commit(lambda: detect(pk))


def correction_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: announce_correction(pk))


def fingerprint(article):
    """What readers see of the article; a change to any of it is an update."""
    parts = [
        article.title,
        article.standfirst,
        article.kicker,
        article.slug,
        article.body_html,
        str(article.section_id),
        str(article.lead_image_id),
        article.published_at.isoformat() if article.published_at else "",
    ]
    parts += [f"{q}\n{a}" for q, a in article.faq_entries.values_list("question", "answer")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def detect(article_pk):
    """Compare the committed article with its snapshot; record at most one event."""
    from articles.models import Article

    with transaction.atomic():
        article = Article.objects.filter(pk=article_pk).first()
        if article is None:
            return None
        snapshot, _ = ArticleSnapshot.objects.select_for_update().get_or_create(article=article)
        public = article.is_public
        current = fingerprint(article) if public else snapshot.fingerprint
        if public and not snapshot.public:
            kind = EventKind.PUBLISHED
        elif public and current != snapshot.fingerprint:
            kind = EventKind.UPDATED
        elif not public and snapshot.public:
            kind = EventKind.UNPUBLISHED
        else:
            kind = None
        snapshot.public, snapshot.fingerprint = public, current
        snapshot.checked_at = timezone.now()
        if kind is None:
            snapshot.save(update_fields=["public", "fingerprint", "checked_at"])
            return None
        snapshot.version += 1
        snapshot.save()
        event = Event.objects.create(
            key=f"article:{article.pk}:v{snapshot.version}",
            kind=kind,
            article=article,
            title=article.title,
            url=article.get_site_url(),
        )
        fanout.deliveries_for(event, article)
        article_event.send(sender=Event, event=event, article=article)
    return event


def announce_correction(correction_pk):
    from articles.models import Correction

    with transaction.atomic():
        correction = Correction.objects.select_related("article").filter(pk=correction_pk).first()
        if correction is None or not correction.article.is_public:
            return None
        article = correction.article
        event, created = Event.objects.get_or_create(
            key=f"correction:{correction.pk}",
            defaults={
                "kind": EventKind.CORRECTED,
                "article": article,
                "title": article.title,
                "url": article.get_site_url(),
            },
        )
        if created:
            fanout.deliveries_for(event, article, correction=correction)
            article_event.send(sender=Event, event=event, article=article)
    return event


def detect_due():
    """Articles changed since their last check, or gone live since (scheduled publishing)."""
    from articles.models import Article

    now = timezone.now()
    due = Article.objects.filter(
        Q(distribution_snapshot__isnull=True, status="published", published_at__lte=now)
        | Q(updated_at__gt=F("distribution_snapshot__checked_at"))
        | Q(
            status="published",
            published_at__lte=now,
            published_at__gt=F("distribution_snapshot__checked_at"),
        )
    ).values_list("pk", flat=True)
    return sum(1 for pk in due[:500] if detect(pk) is not None)
