"""Login lockouts key on the client address a trusted proxy reports, and limit spraying."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.client_address import client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "ed", password="a-long-test-password", is_staff=True
    )


def log_in(client, password, remote, forwarded=None, username="ed"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=remote,
        **headers,
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own claim is ignored
        (PROXY, "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two trusted hops
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not a trusted proxy: header ignored
        (PROXY, "not-an-address", PROXY),
        (PROXY, None, PROXY),
    ],
)
def test_the_client_address_is_believed_only_from_a_trusted_proxy(remote, forwarded, expected):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


def test_no_trusted_proxy_means_remote_addr(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == PROXY


def test_an_attacker_behind_the_proxy_cannot_lock_out_an_editor(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in(client, "wrong-password", PROXY, "203.0.113.66")
    assert log_in(client, "wrong-password", PROXY, "203.0.113.66").status_code == 429
    # Through the same proxy, the editor at home logs in.
    assert log_in(client, "a-long-test-password", PROXY, "198.51.100.7").status_code == 302


def test_a_forged_header_from_outside_does_not_escape_the_lockout(client, editor, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong-password", "203.0.113.66", f"192.0.2.{attempt}")
    assert log_in(client, "a-long-test-password", "203.0.113.66", "192.0.2.200").status_code == 429


def test_spraying_one_password_across_users_is_limited_per_address(
    client, django_user_model, settings
):
    for index in range(settings.AXES_FAILURE_LIMIT):
        django_user_model.objects.create_user(f"user{index}", password="a-long-test-password")
        log_in(client, "Winter2026!", PROXY, "203.0.113.66", username=f"user{index}")
    response = log_in(client, "Winter2026!", PROXY, "203.0.113.66", username="someone-else")
    assert response.status_code == 429
