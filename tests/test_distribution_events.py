"""Events from the article's saved state, fanned out to real HTTP receivers through the queue."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Correction, Status
from distribution import events, signing
from distribution.models import ArticleSnapshot, Delivery, Event, WebhookEndpoint

from .factories import ArticleFactory
from .queue import drain
from .receivers import http_receiver

SECRET = "receiver-secret-0123456789"
KEY = "0123456789abcdef0123456789abcdef"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(settings):
    settings.DISTRIBUTION_BACKOFF_SECONDS = 0
    with http_receiver() as receiver:
        WebhookEndpoint.objects.create(
            name="Partner",
            url=receiver.url + "/in",
            secret=SECRET,
            events=["published", "updated", "corrected", "unpublished"],
        )
        yield receiver


@pytest.fixture
def pings(settings):
    with http_receiver() as indexnow, http_receiver() as hub:
        settings.INDEXNOW_ENDPOINT = indexnow.url + "/indexnow"
        settings.INDEXNOW_KEY = KEY
        settings.WEBSUB_HUB_URL = hub.url + "/hub"
        yield indexnow, hub


def payloads(receiver):
    return [json.loads(body) for body in receiver.bodies()]


def test_publishing_sends_a_signed_webhook_once(commit, hook):
    article = commit(lambda: ArticleFactory(title="Harbour deal signed"))
    [request] = hook.requests
    assert request.path == "/in"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers[signing.EVENT_HEADER] == "published"
    assert signing.verify(
        SECRET,
        request.headers[signing.TIMESTAMP_HEADER],
        request.body,
        request.headers[signing.SIGNATURE_HEADER],
    )
    # Any change to the body breaks the signature; so does an old timestamp.
    assert not signing.verify(
        SECRET, request.headers[signing.TIMESTAMP_HEADER], request.body + b" ",
        request.headers[signing.SIGNATURE_HEADER],
    )  # fmt: skip
    old = int(request.headers[signing.TIMESTAMP_HEADER]) - 301
    assert not signing.verify(
        SECRET, old, request.body, signing.signature(SECRET, old, request.body)
    )
    body = json.loads(request.body)
    assert body["event"] == "published"
    assert body["article"]["title"] == "Harbour deal signed"
    assert body["article"]["url"] == article.get_site_url()
    delivery = Delivery.objects.get(kind="webhook")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 1, 200)
    assert request.headers[signing.DELIVERY_HEADER] == delivery.key

    # Running the task again, or the sweep, sends nothing more.
    drain()
    events.detect(article.pk)
    drain()
    assert len(hook.requests) == 1


def test_update_unpublish_and_correction_are_told_apart(commit, hook):
    article = commit(lambda: ArticleFactory(title="First headline"))
    article.refresh_from_db()
    commit(lambda: article.save())  # nothing readers can see changed
    assert [p["event"] for p in payloads(hook)] == ["published"]

    article.title = "Second headline"
    commit(article.save)
    commit(lambda: Correction.objects.create(article=article, text="The date was wrong."))
    article.status = Status.UNPUBLISHED
    commit(article.save)
    got = payloads(hook)
    assert [p["event"] for p in got] == ["published", "updated", "corrected", "unpublished"]
    assert got[1]["article"]["title"] == "Second headline"
    assert got[2]["correction"]["text"] == "The date was wrong."
    assert Event.objects.count() == 4


def test_drafts_say_nothing_and_a_scheduled_story_is_announced_when_it_goes_live(commit, hook):
    commit(lambda: ArticleFactory(draft=True))
    scheduled = commit(lambda: ArticleFactory(scheduled=True, title="Later"))
    assert hook.requests == []
    commit(events.detect_due)
    assert hook.requests == []

    # Its time comes (the snapshot was last checked before it).
    ArticleSnapshot.objects.update(checked_at=timezone.now() - timedelta(hours=1))
    type(scheduled).objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    commit(events.detect_due)
    assert [(p["event"], p["article"]["title"]) for p in payloads(hook)] == [("published", "Later")]
    commit(events.detect_due)
    assert len(hook.requests) == 1


def test_an_endpoint_gets_only_the_events_it_asked_for(commit, hook):
    WebhookEndpoint.objects.update(events=["corrected"])
    article = commit(lambda: ArticleFactory())
    assert hook.requests == []
    commit(lambda: Correction.objects.create(article=article, text="Fixed."))
    assert [p["event"] for p in payloads(hook)] == ["corrected"]


def test_failures_are_retried_with_backoff_and_logged(commit, hook, settings):
    hook.answers = [500, 503]
    commit(lambda: ArticleFactory())
    delivery = Delivery.objects.get(kind="webhook")
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 200]
    assert len({r.headers[signing.DELIVERY_HEADER] for r in hook.requests}) == 1

    settings.DISTRIBUTION_BACKOFF_SECONDS = 30
    hook.answers = [502]
    commit(lambda: ArticleFactory())
    waiting = Delivery.objects.filter(kind="webhook", status="pending").get()
    assert waiting.attempts == 1
    assert timedelta(seconds=25) < waiting.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    # The retry sits on the queue, due after the backoff.
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now() + timedelta(seconds=25)


def test_a_refusal_is_not_retried_and_gives_up(commit, hook):
    hook.answers = [410]
    commit(lambda: ArticleFactory())
    delivery = Delivery.objects.get(kind="webhook")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, 410)
    assert len(hook.requests) == 1


def test_the_task_is_enqueued_only_when_the_change_commits(
    django_capture_on_commit_callbacks, hook
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()
    assert callbacks, "nothing waits for the commit"
    assert not Delivery.objects.exists() and not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_pings_go_to_indexnow_in_one_batch_and_to_the_hub_for_every_changed_feed(
    commit, pings, settings
):
    indexnow, hub = pings
    article = commit(lambda: ArticleFactory(slug="harbour"))
    [ping] = payloads(indexnow)
    assert ping["key"] == KEY
    assert ping["host"] == urlsplit(settings.SITE_URL).hostname
    assert ping["keyLocation"].endswith(f"/{KEY}.txt")
    assert article.get_site_url() in ping["urlList"]
    assert any(url.endswith(article.section.get_absolute_url()) for url in ping["urlList"])
    topics = sorted(parse_qs(body.decode())["hub.url"][0] for body in hub.bodies())
    assert all(parse_qs(body.decode())["hub.mode"] == ["publish"] for body in hub.bodies())
    section, author = article.section.slug, article.authors.get().slug
    expected = [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:section-feed", args=[section]),
        reverse("articles:section-feed-atom", args=[section]),
        reverse("articles:author-feed", args=[author]),
        reverse("articles:author-feed-atom", args=[author]),
    ]
    assert sorted(t.split("/", 3)[3] for t in topics) == sorted(p.lstrip("/") for p in expected)
    kinds = Delivery.objects.values_list("kind", "status")
    assert sorted(kinds) == sorted([("indexnow", "sent")] + [("websub", "sent")] * 6)


def test_nothing_is_sent_anywhere_without_configuration(commit, client, settings):
    commit(lambda: ArticleFactory())
    assert Event.objects.count() == 1
    assert not Delivery.objects.exists()
    assert client.get(f"/{KEY}.txt").status_code == 404


def test_the_indexnow_key_file_is_served_at_the_site_root(client, settings):
    settings.INDEXNOW_KEY = KEY
    response = client.get(f"/{KEY}.txt")
    assert response.status_code == 200
    assert response.content.decode() == KEY
    assert response["Content-Type"].startswith("text/plain")
    assert client.get("/0000000000000000.txt").status_code == 404
    assert client.get("/robots.txt").status_code == 200


def test_feeds_declare_the_hub_and_themselves_when_a_hub_is_configured(client, settings):
    ArticleFactory()
    for name in ("articles:feed", "articles:feed-atom"):
        links = feedparser.parse(client.get(reverse(name)).content).feed.links
        assert "hub" not in {link.rel for link in links}
    settings.WEBSUB_HUB_URL = "https://hub.example.org/"
    from django.core.cache import cache

    cache.clear()
    for name in ("articles:feed", "articles:feed-atom"):
        links = {
            link.rel: link.href
            for link in feedparser.parse(client.get(reverse(name)).content).feed.links
        }
        assert links["hub"] == "https://hub.example.org/"
        assert links["self"] == "http://testserver" + reverse(name) or links["self"].endswith(
            reverse(name)
        )


def test_the_sweep_requeues_only_what_no_task_will_pick_up(settings, hook):
    from distribution import outbox
    from distribution.tasks import deliver

    settings.DISTRIBUTION_LEASE_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=10)
    make = Delivery.objects.create
    lost = make(key="lost", kind="webhook", target="x", next_attempt_at=long_ago)
    dead = make(key="dead", kind="webhook", target="x", status="sending", lease_expires_at=long_ago)
    held = make(key="held", kind="webhook", target="x", status="sending",
                lease_expires_at=timezone.now() + timedelta(minutes=1))  # fmt: skip
    fresh = make(key="fresh", kind="webhook", target="x")
    assert sorted(outbox.requeue_stranded()) == sorted([lost.pk, dead.pk])
    # While an older task still waits on the queue, an overdue row may be behind it: left alone.
    DBTaskResult.objects.all().delete()
    deliver.enqueue(fresh.pk)
    DBTaskResult.objects.update(enqueued_at=long_ago - timedelta(minutes=1))
    assert sorted(outbox.requeue_stranded()) == [dead.pk]
    assert held.pk not in outbox.stranded().values_list("pk", flat=True)
