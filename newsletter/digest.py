"""The daily digest: every story published in the last day that no digest has carried yet."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article

from . import editions
from .models import Edition


def due_articles(now=None):
    now = now or timezone.now()
    sent = Edition.objects.filter(kind=Edition.Kind.DIGEST).values("articles")
    return (
        Article.objects.published(now)
        .filter(published_at__gt=now - timedelta(days=1))
        .exclude(pk__in=sent)
        .order_by("-published_at")
    )


def create_digest(now=None, user=None):
    """Today's digest, or None when there is nothing new or today's was already made."""
    now = now or timezone.now()
    stories = list(due_articles(now))
    if not stories:
        return None
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                key=f"digest:{timezone.localdate(now).isoformat()}",
                kind=Edition.Kind.DIGEST,
                subject=f"{settings.SITE_NAME} daily: {stories[0].title}"[:200],
                created_by=user,
            )
            edition.articles.set(stories)
            editions.queue(edition)
    except IntegrityError:
        return None
    return edition
