"""The distribution and email settings, read from the environment under the agreed names."""

import ast

from .test_settings import settings_value

KEY = "DJANGO_SECRET_KEY"


def value(expression, **env):
    result = settings_value(expression, **{KEY: "k", **env})
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_with_nothing_configured_nothing_is_sent_anywhere():
    assert value("s.EMAIL_CONFIGURED, s.MAILERS['default']['BACKEND']") == (
        False,
        "newsletter.backends.NotConfiguredBackend",
    )
    assert value("s.INDEXNOW_ENDPOINT, s.INDEXNOW_KEY, s.WEBSUB_HUB_URL") == ("", "", "")


def test_smtp_comes_from_djangos_email_variables():
    options = value(
        "s.MAILERS['default']['OPTIONS'], s.DEFAULT_FROM_EMAIL",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="desk",
        EMAIL_HOST_PASSWORD="pw",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Desk <desk@example.org>",
    )
    assert options == (
        {
            "host": "smtp.example.org",
            "port": 2525,
            "username": "desk",
            "password": "pw",
            "use_tls": True,
            "timeout": 10.0,
        },
        "Desk <desk@example.org>",
    )


def test_pings_come_from_their_variables_and_a_bad_key_is_refused():
    assert value(
        "s.INDEXNOW_ENDPOINT, s.INDEXNOW_KEY, s.WEBSUB_HUB_URL",
        INDEXNOW_ENDPOINT="https://api.indexnow.org/indexnow",
        INDEXNOW_KEY="abcdef0123456789",
        WEBSUB_HUB_URL="https://hub.example.org/",
    ) == ("https://api.indexnow.org/indexnow", "abcdef0123456789", "https://hub.example.org/")
    result = settings_value("s.INDEXNOW_KEY", **{KEY: "k", "INDEXNOW_KEY": "../../etc"})
    assert result.returncode != 0 and "INDEXNOW_KEY must be" in result.stderr
