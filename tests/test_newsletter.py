"""The email edition end to end: a real SMTP server, every message parsed, links followed."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from distribution import events, outbox
from distribution.models import ArticleSnapshot, Delivery, DeliveryAttempt
from newsletter import editions, sending
from newsletter.models import Edition, Subscriber

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory
from .queue import drain
from .smtp import smtp_server

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
SUBSCRIBE = reverse("newsletter:subscribe")


@pytest.fixture
def inbox(settings):
    with smtp_server() as server:
        settings.EMAIL_CONFIGURED = True
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
            }
        }
        settings.DEFAULT_FROM_EMAIL = "Desk <edition@example.org>"
        settings.DISTRIBUTION_BACKOFF_SECONDS = 0
        yield server


@pytest.fixture
def reader():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")


def links(message):
    html = message.get_body(("html",)).get_content()
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]


def path_of(url):
    return urlsplit(url).path


def subscribe(commit, reader, inbox, address="Reader@Example.org"):
    """Sign up and follow the confirmation link, as a reader would."""
    response = commit(lambda: reader.post(SUBSCRIBE, {"email": address}))
    assert response.status_code == 200
    confirmation = inbox.messages()[-1]
    [url] = [link for link in links(confirmation) if "/confirm/" in link]
    assert url in confirmation.get_body(("plain",)).get_content()
    page = reader.get(path_of(url))
    form = BeautifulSoup(page.content, "html.parser").find("form")
    assert reader.post(form["action"]).status_code == 200
    return Subscriber.objects.get(email=address.lower())


def test_the_sign_up_page_is_a_cached_page_whose_form_works_without_javascript_or_a_token(
    reader, inbox, django_assert_num_queries
):
    page = reader.get(SIGNUP)
    assert page.status_code == 200
    form = BeautifulSoup(page.content, "html.parser").find("form")
    assert form["action"] == SUBSCRIBE and form["method"] == "post"
    assert not form.find("input", {"name": "csrfmiddlewaretoken"})
    assert not page.content.count(b"<script")
    # A cached page: only page delivery's read of its tag versions.
    with django_assert_num_queries(1):
        again = reader.get(SIGNUP)
    assert again.content == page.content
    assert reader.post(SUBSCRIBE, {"email": "a@example.org"}).status_code == 200


def test_double_opt_in_sends_nothing_until_the_link_is_followed(commit, reader, inbox):
    response = commit(lambda: reader.post(SUBSCRIBE, {"email": "Reader@Example.org"}))
    assert "Check your inbox" in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    [confirmation] = inbox.messages()
    assert confirmation["To"] == "reader@example.org"
    assert "List-Unsubscribe" not in confirmation
    assert Subscriber.objects.get().status == "pending"

    # An edition now reaches nobody: the address is not confirmed.
    article = ArticleFactory()
    commit(lambda: editions.queue(Edition.objects.create(key="t", article=article, subject="S")))
    assert len(inbox.messages()) == 1

    [url] = [link for link in links(confirmation) if "/confirm/" in link]
    page = reader.get(path_of(url))  # a link scanner's GET confirms nothing
    assert page.status_code == 200 and Subscriber.objects.get().status == "pending"
    action = BeautifulSoup(page.content, "html.parser").find("form")["action"]
    assert reader.post(action).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"


def test_an_edition_carries_the_article_in_html_and_text_with_one_click_unsubscribe(
    commit, reader, inbox
):
    subscriber = subscribe(commit, reader, inbox)
    subscribe(commit, reader, inbox, "second@example.org")
    article = ArticleFactory(
        title="Harbour deal <signed>", body="Opening.\n\n[[callout:take]]\n\nClosing paragraph."
    )
    CalloutFactory(article=article, marker="take", label="The take:", body="Ships win.")
    FAQEntryFactory(article=article, question="Who pays for it?", answer="The port **does**.")
    article.refresh_from_db()
    before = len(inbox.messages())
    edition = Edition.objects.create(key="article:x", article=article, subject=article.title)
    commit(lambda: editions.queue(edition))

    sent = inbox.messages()[before:]
    assert sorted(m["To"] for m in sent) == ["reader@example.org", "second@example.org"]
    message = next(m for m in sent if m["To"] == "reader@example.org")
    assert message["Subject"] == "Harbour deal <signed>"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Ships win." in part and "Who pays for it?" in part and "Closing paragraph." in part
    assert "Harbour deal &lt;signed&gt;" in html and "<signed>" not in html
    assert "second@example.org" not in message.as_string()

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto, https = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert mailto.startswith("mailto:") and subscriber.token in mailto
    assert https in links(message) and https in text
    assert article.get_site_url() in links(message)

    # RFC 8058: the mail client posts, with no cookie and no token other than the link's.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(
        path_of(https),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(pk=subscriber.pk).status == "unsubscribed"

    # Nothing goes out twice: running the fan-out and the queue again sends nothing.
    commit(lambda: editions.queue(edition))
    drain()
    assert len(inbox.messages()) == before + 2
    assert Delivery.objects.filter(kind="email", status="sent").count() == 2 + 2


def test_a_scheduled_story_chosen_for_email_goes_out_when_it_is_live(
    commit, reader, inbox, admin_client
):
    subscribe(commit, reader, inbox)
    article = commit(lambda: ArticleFactory(scheduled=True, title="Tomorrow's story"))
    response = commit(
        lambda: admin_client.post(reverse("admin:newsletter_edition_add"), {"article": article.pk})
    )
    assert response.status_code == 302
    assert Edition.objects.get().status == "waiting"
    before = len(inbox.messages())
    ArticleSnapshot.objects.update(checked_at=timezone.now() - timedelta(hours=1))
    type(article).objects.filter(pk=article.pk).update(published_at=timezone.now())
    commit(events.detect_due)
    assert [m["Subject"] for m in inbox.messages()[before:]] == ["Tomorrow's story"]
    again = admin_client.post(reverse("admin:newsletter_edition_add"), {"article": article.pk})
    assert "already gone out by email" in again.content.decode()


def test_the_daily_digest_command_sends_new_stories_once(commit, reader, inbox, capsys):
    subscribe(commit, reader, inbox)
    ArticleFactory(title="Morning story")
    ArticleFactory(title="Old story", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(title="Draft story", draft=True)
    before = len(inbox.messages())
    commit(lambda: call_command("send_daily_digest"))
    assert "Queued digest" in capsys.readouterr().out
    [digest] = inbox.messages()[before:]
    text = digest.get_body(("plain",)).get_content()
    assert "Morning story" in text and "Old story" not in text and "Draft story" not in text
    commit(lambda: call_command("send_daily_digest"))
    assert "No digest queued" in capsys.readouterr().out
    assert len(inbox.messages()) == before + 1


@pytest.mark.parametrize(
    "address",
    ["not-an-address", "a@b", "", "x" * 250 + "@example.org", "evil\u202e@example.org",
     "a@example.org\r\nBcc: victim@example.org", "<script>alert(1)</script>@example.org"],
)  # fmt: skip
def test_bad_addresses_get_a_clear_400(reader, inbox, address):
    response = reader.post(SUBSCRIBE, {"email": address})
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".errorlist li")
    assert b"<script>alert(1)" not in response.content
    assert not Subscriber.objects.exists() and not inbox.envelopes


def test_sign_ups_are_rate_limited_per_address_and_per_client(reader, inbox, settings):
    settings.NEWSLETTER_RATE_PER_ADDRESS, settings.NEWSLETTER_RATE_PER_CLIENT = 2, 4
    codes = [reader.post(SUBSCRIBE, {"email": "same@example.org"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    codes = [reader.post(SUBSCRIBE, {"email": f"r{n}@example.org"}).status_code for n in range(2)]
    assert codes == [200, 429]  # the client has used its four
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(SUBSCRIBE, {"email": "fresh@example.org"}).status_code == 200


def test_the_answer_never_says_whether_an_address_is_subscribed(commit, reader, inbox):
    subscribe(commit, reader, inbox, "known@example.org")
    known = reader.post(SUBSCRIBE, {"email": "known@example.org"})
    unknown = reader.post(SUBSCRIBE, {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_a_subscriber_can_delete_their_data(commit, reader, inbox):
    subscriber = subscribe(commit, reader, inbox)
    page = reader.get(reverse("newsletter:unsubscribe", args=[subscriber.token]))
    forms = BeautifulSoup(page.content, "html.parser").find_all("form")
    delete = next(f["action"] for f in forms if "/delete/" in f["action"])
    assert reader.post(delete).status_code == 200
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.filter(target=f"subscriber {subscriber.pk}").exists()
    assert reader.post(delete).status_code == 404
    assert reader.get(reverse("newsletter:confirm", args=["x" * 500])).status_code == 404


def test_without_smtp_settings_nothing_is_sent_and_the_admin_says_so(
    admin_client, reader, settings
):
    settings.EMAIL_CONFIGURED = False
    assert "not open yet" in reader.get(SIGNUP).content.decode()
    assert reader.post(SUBSCRIBE, {"email": "a@example.org"}).status_code == 503
    assert not Subscriber.objects.exists()
    page = admin_client.get(reverse("admin:newsletter_edition_changelist"))
    assert "EMAIL_HOST is not set" in page.content.decode()
    article = ArticleFactory(status=Status.PUBLISHED)
    response = admin_client.post(reverse("admin:newsletter_edition_add"), {"article": article.pk})
    assert response.status_code == 200 and not Edition.objects.exists()


def test_editors_send_editions_and_journalists_cannot(editor_client, journalist, inbox):
    journalist_client = Client()
    journalist_client.force_login(journalist)
    add = reverse("admin:newsletter_edition_add")
    assert editor_client.get(add).status_code == 200
    assert editor_client.get(reverse("admin:distribution_webhookendpoint_add")).status_code == 200
    assert journalist_client.get(add).status_code == 403
    assert (
        journalist_client.get(reverse("admin:distribution_delivery_changelist")).status_code == 200
    )
    assert (
        journalist_client.get(reverse("admin:newsletter_subscriber_changelist")).status_code == 403
    )


def test_the_edition_pages_and_emails_are_valid_html(commit, reader, inbox, tmp_path):
    from .html_checker import check_html

    subscriber = subscribe(commit, reader, inbox)
    article = ArticleFactory(body="Opening.\n\n[[callout:take]]\n\nEnd.")
    CalloutFactory(article=article, marker="take")
    FAQEntryFactory(article=article)
    commit(lambda: editions.queue(Edition.objects.create(key="k", article=article, subject="S")))
    confirmation, edition = inbox.messages()[0], inbox.messages()[-1]
    pages = {
        "signup": reader.get(SIGNUP).content.decode(),
        "invalid": reader.post(SUBSCRIBE, {"email": "nope"}).content.decode(),
        "confirm": reader.get(
            reverse("newsletter:confirm", args=[subscriber.token])
        ).content.decode(),
        "unsubscribe": reader.get(
            reverse("newsletter:unsubscribe", args=[subscriber.token])
        ).content.decode(),
        "confirmation-email": confirmation.get_body(("html",)).get_content(),
        "edition-email": edition.get_body(("html",)).get_content(),
    }
    found = check_html(pages, tmp_path)
    assert {
        name: [m["message"] for m in messages] for name, messages in found.items() if messages
    } == {}


def test_publishing_costs_the_same_queries_with_1_or_500_subscribers(
    django_capture_on_commit_callbacks, inbox
):
    """The save only queues the edition: its cost does not grow with the list (timings are
    in bench/newsletter.py, not here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for subscribers in (1, 500):
        Subscriber.objects.all().delete()
        Subscriber.objects.bulk_create(
            Subscriber(email=f"r{n}@example.org", status="confirmed") for n in range(subscribers)
        )
        article = ArticleFactory(draft=True)
        Edition.objects.create(key=f"article:{article.pk}", article=article, subject="S")
        article.status, article.published_at = Status.PUBLISHED, timezone.now()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            article.save()
        counts.append(len(queries))
        assert Edition.objects.get(article=article).status == "queued"
        assert not Delivery.objects.filter(kind="email").exists()  # the worker writes those
    assert counts[0] == counts[1]


def test_relative_links_and_images_in_the_body_are_absolute_in_both_parts(
    commit, reader, inbox, settings
):
    subscribe(commit, reader, inbox)
    article = ArticleFactory(
        body=(
            "See [the plan](/news/the-plan/?page=2&view=full) and [the port](https://port.example/)."
            "\n\n![The harbour at dawn](/media/uploads/harbour.jpg)\n\n"
            "Mail [the desk](mailto:desk@example.org)."
        )
    )
    before = len(inbox.messages())
    edition = Edition.objects.create(key="article:abs", article=article, subject="Links")
    commit(lambda: editions.queue(edition))
    [message] = inbox.messages()[before:]

    site = settings.SITE_URL
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    addresses = [a["href"] for a in html.find_all(href=True)]
    addresses += [img["src"] for img in html.find_all("img")]
    assert addresses, "the email has no links"
    for address in addresses:
        assert address.startswith((site + "/", "https://port.example/", "mailto:")), address
    assert f"{site}/news/the-plan/?page=2&view=full" in addresses
    assert f"{site}/media/uploads/harbour.jpg" in addresses
    assert "mailto:desk@example.org" in addresses

    text = message.get_body(("plain",)).get_content()
    targets = re.findall(r"\]\(([^)\s]+)", text)
    assert f"{site}/news/the-plan/?page=2&view=full" in targets
    assert f"{site}/media/uploads/harbour.jpg" in targets
    assert all(not target.startswith("/") for target in targets), targets


@pytest.mark.parametrize(("mark_every", "repeats"), [(2, 1), (outbox.MARK_EVERY, 3)])
def test_a_batch_cut_short_repeats_at_most_its_unmarked_group_with_the_same_message_id(
    commit, reader, inbox, mark_every, repeats
):
    for number in range(5):
        subscribe(commit, reader, inbox, f"batch{number}@example.org")
    article = ArticleFactory()
    edition = Edition.objects.create(key="article:batch", article=article, subject="Batch")
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.QUEUED)
    editions.write_deliveries(edition.pk)  # its batches' tasks wait for a commit: none here
    ids = list(
        Delivery.objects.filter(kind="email", key__startswith=f"email:{edition.pk}:")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == 5
    before = len(inbox.messages())

    def dies_after_the_third(deliveries):
        for count, item in enumerate(sending.send_emails(deliveries), 1):
            if count == 3:  # accepted by the server, killed before it is marked sent
                raise SystemExit("killed")
            yield item

    with pytest.raises(SystemExit):
        outbox.run_batch(ids, dies_after_the_third, mark_every=mark_every)
    # Marked a group at a time: with groups of 2 the first two are marked, else none yet.
    assert Delivery.objects.filter(pk__in=ids, status="sent").count() == 3 - repeats
    # Once the dead worker's lease runs out, another worker sends the rest.
    Delivery.objects.filter(pk__in=ids, status="sending").update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.run_batch(ids, sending.send_emails, mark_every=mark_every) == 2 + repeats
    assert Delivery.objects.filter(pk__in=ids, status="sent").count() == 5
    assert DeliveryAttempt.objects.filter(delivery__in=ids).count() == 5

    received = inbox.messages()[before:]
    addresses = [m["To"] for m in received]
    assert sorted(set(addresses)) == [f"batch{n}@example.org" for n in range(5)]
    repeated = {address for address in addresses if addresses.count(address) > 1}
    assert len(addresses) == 5 + repeats and len(repeated) == repeats
    # A repeat is the same message to the receiving mail system; different emails differ.
    ids_by_address = {}
    for message in received:
        ids_by_address.setdefault(message["To"], set()).add(message["Message-ID"])
    assert all(len(message_ids) == 1 for message_ids in ids_by_address.values())
    assert len({next(iter(ids)) for ids in ids_by_address.values()}) == 5


def test_a_batchs_bookkeeping_does_not_grow_with_its_size(inbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Subscriber.objects.bulk_create(
        [Subscriber(email=f"bulk{n}@example.org", status="confirmed") for n in range(30)]
    )
    counts = []
    for size in (10, 20):
        edition = Edition.objects.create(
            key=f"article:size{size}", article=ArticleFactory(), subject="Size"
        )
        Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.QUEUED)
        editions.write_deliveries(edition.pk)
        ids = list(
            Delivery.objects.filter(key__startswith=f"email:{edition.pk}:")
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        before = len(inbox.messages())
        with CaptureQueriesContext(connection) as queries:
            outbox.run_batch(ids, sending.send_emails, mark_every=20)
        assert len(inbox.messages()) - before == size
        assert Delivery.objects.filter(pk__in=ids, status="sent").count() == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
