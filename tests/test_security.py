"""Deployment checks, security headers, the Content Security Policy, logins and sessions."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from .factories import ArticleFactory
from .test_settings import settings_value

PROJECT = Path(__file__).resolve().parents[1]


def production_env(**extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SITE_URL"))
    }
    environment.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        SITE_URL="https://news.example.org",
        **extra,
    )
    return environment


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_deploy_checks_report_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_site_gets_hsts_secure_cookies_and_a_redirect_by_default():
    values = settings_value(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE",
        DJANGO_SECRET_KEY="k",
        SITE_URL="https://news.example.org",
    )
    assert values.stdout.strip() == "(True, 31536000, True, True, True)"


def test_security_settings_can_be_changed_from_the_environment():
    values = settings_value(
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_PRELOAD, s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.SECURE_REFERRER_POLICY,"
        " s.SECURE_CSP['frame-ancestors'], s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT",
        DJANGO_SECRET_KEY="k",
        SITE_URL="https://news.example.org",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_HSTS_SECONDS="600",
        DJANGO_HSTS_PRELOAD="0",
        DJANGO_CROSS_ORIGIN_OPENER_POLICY="same-origin-allow-popups",
        DJANGO_REFERRER_POLICY="no-referrer",
        DJANGO_CSP_FRAME_ANCESTORS="'self',https://partner.example.com",
        DJANGO_SESSION_COOKIE_AGE="3600",
        AXES_FAILURE_LIMIT="3",
    )
    assert values.stdout.strip() == repr(
        (
            False,
            ("HTTP_X_FORWARDED_PROTO", "https"),
            600,
            False,
            "same-origin-allow-popups",
            "no-referrer",
            ["'self'", "https://partner.example.com"],
            3600,
            3,
        )
    )


def test_plain_http_development_site_sends_no_hsts_and_no_redirect():
    values = settings_value(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE",
        DJANGO_SECRET_KEY="k",
        SITE_URL="http://127.0.0.1:8000",
    )
    assert values.stdout.strip() == "(False, 0, False)"


@pytest.mark.django_db
def test_public_pages_send_the_security_headers(client):
    article = ArticleFactory()
    for url in [reverse("articles:home"), article.get_absolute_url(), "/no-such-page/"]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        policy = csp_directives(response["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_public_pages_policy_allows_no_inline_code_eval_or_nonce(client):
    article = ArticleFactory()
    for url in [reverse("articles:home"), article.get_absolute_url()]:
        header = client.get(url)["Content-Security-Policy"]
        policy = csp_directives(header)
        for directive in ("script-src", "style-src", "default-src"):
            assert policy[directive] == ["'self'"], directive
        assert "unsafe" not in header
        assert "nonce" not in header
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
def test_same_public_page_gets_the_identical_policy_for_every_reader(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())["Content-Security-Policy"]
    second = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert first == second


@pytest.mark.django_db
def test_public_pages_carry_no_inline_script_or_style(client):
    from .pages import soup

    article = ArticleFactory()
    for url in [reverse("articles:home"), article.get_absolute_url()]:
        page = soup(client.get(url))
        for script in page.find_all("script"):
            assert script.get("type") == "application/ld+json"
        assert page.find("style") is None
        assert page.find(style=True) is None


@pytest.mark.django_db
def test_admin_gets_its_own_policy_with_a_fresh_nonce(staff_client):
    first = staff_client.get(reverse("admin:articles_article_add"))
    second = staff_client.get(reverse("admin:articles_article_add"))
    policies = [csp_directives(r["Content-Security-Policy"]) for r in (first, second)]
    nonces = [p["script-src"][1] for p in policies]
    assert all(p["script-src"][0] == "'self'" for p in policies)
    assert all(n.startswith("'nonce-") for n in nonces)
    assert nonces[0] != nonces[1]
    assert "unsafe" not in first["Content-Security-Policy"]
    assert first["Cache-Control"].startswith("no-cache") or "private" in first["Cache-Control"]


@pytest.mark.django_db
def test_admin_login_page_is_under_the_admin_policy(client):
    header = client.get(reverse("admin:login"))["Content-Security-Policy"]
    assert "'nonce-" in header
    assert "unsafe" not in header


@pytest.mark.django_db
def test_session_cookie_is_httponly_samesite_and_expires(client, django_user_model):
    django_user_model.objects.create_user("desk", password="a-long-test-password", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "desk", "password": "a-long-test-password", "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Expires at browser close: no Max-Age on the cookie, and the server-side age is 8 hours.
    assert cookie["max-age"] == ""
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expire_at_browser_close() is True


@pytest.mark.django_db
def test_robots_txt_does_not_reveal_a_custom_admin_path(client, settings):
    settings.ADMIN_PATH = "desk-7f3a9/"
    body = client.get("/robots.txt").content.decode()
    assert "desk-7f3a9" not in body
    assert "Disallow: /preview/" in body
