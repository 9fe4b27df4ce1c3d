"""Webhook endpoints and the delivery log in the admin; what it says when nothing is configured."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from distribution.models import Delivery, DeliveryAttempt, WebhookEndpoint

pytestmark = pytest.mark.django_db

ADD = reverse("admin:distribution_webhookendpoint_add")


def post(client, **fields):
    data = {"name": "Partner", "url": "https://partner.example/hook", "events": ["published"],
            "secret": "s" * 32, "active": "on", **fields}  # fmt: skip
    return client.post(ADD, data)


def test_an_editor_adds_an_endpoint_with_the_events_it_wants(staff_client):
    response = post(staff_client, events=["published", "corrected"])
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["published", "corrected"]
    assert len(endpoint.secret) == 32


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://partner.example/"}, "url"),
        ({"url": "https://" + "a" * 600 + ".example/"}, "url"),
        ({"events": ["published", "deleted"]}, "events"),
        ({"events": []}, "events"),
        ({"secret": "short"}, "secret"),
        ({"name": "<script>alert(1)</script>\u202e"}, "name"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_endpoint_input_gets_a_form_error(staff_client, fields, field):
    response = post(staff_client, **fields)
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(f".field-{field} .errorlist"), field
    assert b"<script>alert(1)" not in response.content


def test_the_delivery_log_shows_status_codes_and_attempts(staff_client):
    delivery = Delivery.objects.create(
        key="webhook:1:article:1:v1", kind="webhook", target="https://partner.example/hook",
        status="sent", attempts=2, last_status_code=200,
    )  # fmt: skip
    DeliveryAttempt.objects.create(delivery=delivery, number=1, status_code=503, error="Busy")
    DeliveryAttempt.objects.create(delivery=delivery, number=2, status_code=200)
    listing = staff_client.get(reverse("admin:distribution_delivery_changelist"))
    row = BeautifulSoup(listing.content, "html.parser").select_one("#result_list tbody tr")
    cells = [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
    assert "Webhook" in cells and "Sent" in cells and "200" in cells and "2" in cells
    detail = staff_client.get(reverse("admin:distribution_delivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    attempts = BeautifulSoup(detail.content, "html.parser").select(".field-status_code")
    assert [cell.get_text(strip=True) for cell in attempts][-2:] == ["503", "200"]


def test_the_admin_says_what_is_switched_off(staff_client, settings):
    settings.INDEXNOW_ENDPOINT = settings.INDEXNOW_KEY = settings.WEBSUB_HUB_URL = ""
    settings.EMAIL_CONFIGURED, settings.CACHE_PURGER = False, ""
    page = BeautifulSoup(
        staff_client.get(reverse("admin:distribution_delivery_changelist")).content, "html.parser"
    )
    notices = " ".join(li.get_text() for li in page.select(".messagelist li"))
    assert "IndexNow is off" in notices
    assert "WebSub pings are off" in notices
    assert "No webhook endpoint is active" in notices
    assert "Email is off: EMAIL_HOST is not set" in notices
    assert "Cache purges are off" in notices


def test_editors_retry_a_delivery_that_gave_up_and_journalists_cannot(
    editor, journalist, django_capture_on_commit_callbacks
):
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    failed = Delivery.objects.create(
        key="webhook:1:x", kind="webhook", target="https://p.example/", status="failed", attempts=8
    )
    listing = reverse("admin:distribution_delivery_changelist")
    reader = Client()
    reader.force_login(journalist)
    page = BeautifulSoup(reader.get(listing).content, "html.parser")
    assert not page.select_one("select[name=action] option[value=retry_now]")

    client = Client()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            listing, {"action": "retry_now", "_selected_action": [failed.pk]}, follow=True
        )
    assert "1 deliveries queued again" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
