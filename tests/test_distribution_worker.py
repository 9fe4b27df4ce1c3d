"""A real worker process, killed with SIGKILL mid-delivery and restarted: nothing is lost and
nothing is acknowledged twice at a real HTTP receiver."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg
import pytest

from distribution import signing

from .receivers import http_receiver
from .servers import PROJECT, app_environment, manage, postgres_database

pytestmark = [pytest.mark.outage, pytest.mark.servers]

SECRET = "a-shared-secret-for-the-receiver"

PUBLISH = """
from articles.models import Article, Section
section, _ = Section.objects.get_or_create(name="City", slug="city")
for title in {titles!r}:
    Article.objects.create(title=title, standfirst="One line.", body="Body.", section=section,
                           status="published")
"""


@contextmanager
def database():
    """A throwaway database of the kind the suite runs on."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        with postgres_database() as url:
            yield url
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/worker.sqlite3"


def deliveries(url):
    query = "SELECT key, status, attempts FROM distribution_delivery WHERE kind = 'webhook'"
    if url.startswith("postgres"):
        with psycopg.connect(url) as connection:
            return connection.execute(query).fetchall()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute(query).fetchall()


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError("condition not met in time")


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice():
    with database() as url, http_receiver() as receiver:
        env = app_environment(
            DATABASE_URL=url,
            DISTRIBUTION_LEASE_SECONDS=2,
            DISTRIBUTION_SWEEP_SECONDS=0.5,
            DISTRIBUTION_BACKOFF_SECONDS=1,
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(
            env,
            "shell",
            "-c",
            "from distribution.models import WebhookEndpoint; "
            f"WebhookEndpoint.objects.create(name='Partner', url={receiver.url + '/hook'!r}, "
            f"secret={SECRET!r}, events=['published'])",
        )
        receiver.hold_first = True
        manage(env, "shell", "-c", PUBLISH.format(titles=["Killed mid-send"]))

        worker = start_worker(env)
        try:
            assert receiver.holding.wait(30), "the worker never sent the first delivery"
            os.kill(worker.pid, signal.SIGKILL)  # mid-task: the request is open, unanswered
            worker.wait(10)
            # Work queued while no worker runs waits for the next one.
            manage(env, "shell", "-c", PUBLISH.format(titles=["Queued while down", "And another"]))
            assert {status for _, status, _ in deliveries(url)} <= {"sending", "pending"}

            worker = start_worker(env)
            wait_until(lambda: len(receiver.applied) == 3 and len(receiver.requests) >= 4)
            wait_until(lambda: {s for _, s, _ in deliveries(url)} == {"sent"})
        finally:
            worker.send_signal(signal.SIGINT)  # Ctrl-C: a clean stop
            worker.wait(15)
        assert worker.returncode == 0, worker.stderr.read()
        rows = {key: attempts for key, _, attempts in deliveries(url)}

    assert len(rows) == 3
    # Every event acknowledged exactly once; the killed one was sent again, same key and body.
    assert sorted(receiver.applied.values()) == [1, 1, 1]
    first = receiver.requests[0]
    key = first.headers[signing.DELIVERY_HEADER]
    repeats = [r for r in receiver.requests if r.headers[signing.DELIVERY_HEADER] == key]
    assert len(repeats) == 2 and repeats[0].body == repeats[1].body
    assert rows[key] == 2
    assert len(receiver.requests) == 4
    titles = set()
    for request in receiver.requests:
        assert request.path == "/hook"
        assert signing.verify(
            SECRET,
            request.headers[signing.TIMESTAMP_HEADER],
            request.body,
            request.headers[signing.SIGNATURE_HEADER],
        )
        payload = json.loads(request.body)
        assert payload["event"] == "published"
        titles.add(payload["article"]["title"])
    assert titles == {"Killed mid-send", "Queued while down", "And another"}


def purges(url):
    query = "SELECT payload, status FROM distribution_delivery WHERE kind = 'purge'"
    if url.startswith("postgres"):
        with psycopg.connect(url) as connection:
            rows = connection.execute(query).fetchall()
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            rows = connection.execute(query).fetchall()
    return [(p if isinstance(p, dict) else json.loads(p), status) for p, status in rows]


def test_a_worker_killed_mid_purge_loses_no_purge():
    with database() as url, http_receiver() as cache:
        env = app_environment(
            DATABASE_URL=url,
            DISTRIBUTION_LEASE_SECONDS=2,
            DISTRIBUTION_SWEEP_SECONDS=0.5,
            CACHE_PURGER="pages.purging.VarnishPurger",
            CACHE_PURGE_URLS=cache.url + "/",
        )
        manage(env, "migrate", "--no-input", "-v0")
        cache.hold_first = True
        manage(env, "shell", "-c", PUBLISH.format(titles=["Purged after a crash"]))
        # Committed, queued, and nothing sent yet: no worker runs.
        queued = purges(url)
        assert queued and {status for _, status in queued} == {"pending"}
        assert cache.requests == []

        worker = start_worker(env)
        try:
            assert cache.holding.wait(30), "the worker never sent a purge"
            os.kill(worker.pid, signal.SIGKILL)  # mid-purge: the request is open, unanswered
            worker.wait(10)
            worker = start_worker(env)
            wait_until(lambda: {status for _, status in purges(url)} == {"sent"})
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(15)
        assert worker.returncode == 0, worker.stderr.read()

    held = cache.requests[0]
    assert held.method == "PURGE"
    # The purge the killed worker held open arrived again, with the same tags.
    answered = [r.headers["xkey-purge"] for r in cache.requests[1:]]
    assert held.headers["xkey-purge"] in answered
    # Every purge the change queued reached the cache once the worker was back.
    assert {" ".join(payload["tags"]) for payload, _ in queued} <= set(answered)
    assert any("listings" in tags.split() for tags in answered)
