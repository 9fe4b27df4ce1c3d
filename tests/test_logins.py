"""The admin login: lockout after repeated failures, strong passwords, a movable path."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(django_user_model):
    return django_user_model.objects.create_user(
        "maya", password="a-long-test-password", is_staff=True
    )


def log_in(client, password, address="198.51.100.7", username="maya"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_admin_login_locks_out_after_the_failure_limit_even_with_the_right_password(
    client, journalist, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong-password").status_code == 200
    assert log_in(client, "wrong-password").status_code == 429
    locked = log_in(client, "a-long-test-password")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_for_that_username_and_address_only(client, journalist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong-password")
    assert log_in(client, "a-long-test-password").status_code == 429
    assert log_in(client, "a-long-test-password", address="192.0.2.44").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, journalist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong-password")
    assert log_in(client, "a-long-test-password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong-password").status_code == 200


@pytest.mark.parametrize("password", ["short1!", "password12345", "123456789012345"])
def test_weak_passwords_are_refused(password, journalist):
    with pytest.raises(ValidationError):
        validate_password(password, user=journalist)


def test_a_long_uncommon_password_is_accepted(journalist):
    validate_password("harbour-dredging-tide-47", user=journalist)


def url_status_with_admin_path(admin_path, path):
    """Resolve `path` in a fresh process whose admin lives at DJANGO_ADMIN_PATH."""
    code = (
        "import django; django.setup()\n"
        "from django.urls import resolve, Resolver404\n"
        f"try:\n    resolve({path!r}); print('found')\n"
        "except Resolver404:\n    print('404')\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SECRET_KEY="k",
        DJANGO_ADMIN_PATH=admin_path,
        DJANGO_SETTINGS_MODULE="insidersfeed.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_moving_the_admin_path_takes_the_admin_off_admin():
    assert url_status_with_admin_path("back-office-7f3", "/admin/login/") == "404"
    assert url_status_with_admin_path("back-office-7f3", "/back-office-7f3/login/") == "found"
    assert (
        url_status_with_admin_path("back-office-7f3", "/back-office-7f3/markdownx/markdownify/")
        == "found"
    )
