"""From one event to its deliveries: webhooks that want it, IndexNow, and the feeds' WebSub hub.

Rows are written in the event's transaction; the queue hears of them when it commits. Each
row's key is derived from the event's, so re-running a fan-out adds nothing.
"""

import hashlib

from django.conf import settings
from django.urls import reverse

from articles.canonical import absolute_url

from .models import Delivery, WebhookEndpoint
from .outbox import enqueue_on_commit


def changed_urls(article):
    """The pages readers would find changed: the article, its Markdown, its lists."""
    urls = [article.get_site_url(), article.get_markdown_url(), absolute_url("/")]
    if article.section_id:
        urls.append(absolute_url(article.section.get_absolute_url()))
    urls += [absolute_url(author.get_absolute_url()) for author in article.authors.all()]
    return urls


def changed_feeds(article):
    """Every feed (RSS and Atom) the article appears in."""
    feeds = [("articles:feed", []), ("articles:feed-atom", [])]
    if article.section_id:
        slug = article.section.slug
        feeds += [("articles:section-feed", [slug]), ("articles:section-feed-atom", [slug])]
    for author in article.authors.all():
        feeds += [
            ("articles:author-feed", [author.slug]),
            ("articles:author-feed-atom", [author.slug]),
        ]
    return [absolute_url(reverse(name, args=args)) for name, args in feeds]


def webhook_payload(event, article, correction=None):
    payload = {
        "event": event.kind,
        "id": event.key,
        "occurred_at": event.created_at.isoformat(),
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": event.url,
            "standfirst": article.standfirst,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "section": article.section.name if article.section_id else None,
        },
    }
    if correction is not None:
        payload["correction"] = {
            "text": correction.text,
            "corrected_at": correction.corrected_at.isoformat(),
        }
    return payload


def deliveries_for(event, article, correction=None):
    rows = [
        Delivery(
            key=f"webhook:{endpoint.pk}:{event.key}",
            kind=Delivery.Kind.WEBHOOK,
            event=event,
            endpoint=endpoint,
            target=endpoint.url,
            payload=webhook_payload(event, article, correction),
        )
        for endpoint in WebhookEndpoint.objects.filter(active=True)
        if event.kind in endpoint.events
    ]
    if settings.INDEXNOW_ENDPOINT and settings.INDEXNOW_KEY:
        host = absolute_url("/").split("/")[2]
        rows.append(
            Delivery(
                key=f"indexnow:{event.key}",
                kind=Delivery.Kind.INDEXNOW,
                event=event,
                target=settings.INDEXNOW_ENDPOINT,
                payload={
                    "host": host.split(":")[0],
                    "key": settings.INDEXNOW_KEY,
                    "keyLocation": absolute_url(f"/{settings.INDEXNOW_KEY}.txt"),
                    # An unpublished page is announced too: engines then see its 410.
                    "urlList": changed_urls(article),
                },
            )
        )
    if settings.WEBSUB_HUB_URL:
        rows += [
            Delivery(
                key=f"websub:{event.key}:{hashlib.sha256(topic.encode()).hexdigest()[:16]}",
                kind=Delivery.Kind.WEBSUB,
                event=event,
                target=settings.WEBSUB_HUB_URL,
                payload={"topic": topic},
            )
            for topic in changed_feeds(article)
        ]
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.key for row in created]
    enqueue_on_commit(Delivery.objects.filter(key__in=keys).values_list("pk", flat=True))
    return created
