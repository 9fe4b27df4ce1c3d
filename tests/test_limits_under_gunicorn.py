"""The preview time budget and the login lockout against real gunicorn workers."""

import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from .servers import Browser, app_environment, gunicorn, manage

pytestmark = pytest.mark.servers

PASSWORD = "budget-" + uuid.uuid4().hex
SLOW_BUT_ALLOWED = "Some [link](https://example.org) and *emphasis*.\n\n" * 1900


@pytest.fixture
def server(tmp_path):
    env = app_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        WEB_CONCURRENCY="2",
        MARKDOWN_PREVIEW_SECONDS="0.05",
        TRUSTED_PROXIES="127.0.0.1",
        AXES_FAILURE_LIMIT="3",
    )
    manage(env, "migrate", "--no-input")
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        "createsuperuser", "--no-input", "--username", "editor", "--email", "e@example.org",
    )  # fmt: skip
    with gunicorn(env) as base:
        yield base


def login(base):
    editor = Browser(base)
    status, landed = editor.submit(
        "/admin/login/?next=/admin/", "#login-form", {"username": "editor", "password": PASSWORD}
    )
    assert landed.endswith("/admin/"), (status, landed)
    return editor


def preview(editor, content):
    _, _, html = editor.get("/admin/articles/article/add/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"content": content}).encode()
    request = urllib.request.Request(
        editor.base + "/admin/markdownx/markdownify/",
        data=body,
        headers={"X-CSRFToken": token, "Referer": editor.base + "/admin/"},
    )
    started = time.monotonic()
    try:
        with editor.opener.open(request, timeout=20) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started


def test_slow_previews_answer_422_and_kill_no_worker(server):
    editor = login(server)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(preview(editor, SLOW_BUT_ALLOWED)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [422, 422]
    assert all(seconds < 5 for _, seconds in results)
    assert preview(editor, "[" * 10_000)[0] == 413
    assert preview(editor, "*fine*")[0] == 200
    status, _, _ = Browser(server).get("/")
    assert status == 200


def post_login(base, username, password, forwarded):
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    opener = urllib.request.build_opener(jar)
    with opener.open(base + "/admin/login/", timeout=10) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    body = urllib.parse.urlencode({**fields, "next": "/admin/"}).encode()
    request = urllib.request.Request(
        base + "/admin/login/",
        data=body,
        headers={"X-Forwarded-For": forwarded, "Referer": base + "/admin/login/"},
    )
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_lockout_follows_the_forwarded_client_not_the_proxy(server):
    attacker = "203.0.113.66"
    for _ in range(3):
        post_login(server, "editor", "wrong-password", attacker)
    assert post_login(server, "editor", PASSWORD, attacker) == 429
    # Another client through the same proxy: not locked out (200: the redirect's admin page).
    assert post_login(server, "editor", PASSWORD, "198.51.100.7") == 200
    # A client-supplied address to the left of the real one does not escape the lockout.
    assert post_login(server, "editor", PASSWORD, f"192.0.2.1, {attacker}") == 429
