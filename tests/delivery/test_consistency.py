"""The consistency matrix: configuration × change × 20 fresh responses.

Real gunicorn with several workers, started the way `make run` starts it (embedded SQLite, no
Redis, the app preloaded), then on PostgreSQL, with Redis, with two instances, and behind
Varnish. Each change is made from another process (`manage.py shell -c` or a command), as an
editor's would be; every one of the next 20 requests, spread over the workers, must show what the
change made true.
"""

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ..servers import (
    POSTGRES_SERVER,
    PROJECT,
    REDIS_SERVER,
    app_environment,
    free_port,
    gunicorn,
    manage,
    postgres_database,
    reachable,
    varnish,
)

pytestmark = pytest.mark.servers

WORKERS = 3
REQUESTS = 20
SLUG = "open-source-runs-on-goodwill"
OTHER = "city-bets-winter-on-heat-pumps"
PRELUDE = (
    "from datetime import timedelta\n"
    "from django.utils import timezone\n"
    "from articles.models import *\n"
    f"a = Article.objects.get(slug={SLUG!r})\n"
)
HAS_VARNISH = bool(shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists())


def get(base, path):
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "identity"})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Built once: building an opener loads the TLS trust store, a tenth of a second each time.
OPENER = urllib.request.build_opener(NoRedirects)


def parsed(html):
    return BeautifulSoup(html, "html.parser")


def headline(html):
    return parsed(html).find("h1").get_text(" ", strip=True)


def home_titles(html):
    return [a.get_text(" ", strip=True) for a in parsed(html).select(".card__title")]


def texts(html, selector):
    return [element.get_text(" ", strip=True) for element in parsed(html).select(selector)]


class Editor:
    """tests/delivery/editor.py running with the site's settings."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.delivery.editor"],
            cwd=PROJECT,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "insidersfeed.settings",
                "PYTHONPATH": str(PROJECT),
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, code):
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert answer == "ok", answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


# Purges leave through the task queue: wait until the worker has sent every one queued so far.
PURGES_SENT = """
import time
from distribution.models import Delivery
unsent = Delivery.objects.filter(kind="purge", status__in=["pending", "sending"])
deadline = time.monotonic() + 30
while unsent.exists():
    assert time.monotonic() < deadline, "the worker sent no purge in 30 s"
    time.sleep(0.05)
"""


class Site:
    def __init__(self, env, readers, editor, purges_queued=False):
        self.env, self.readers, self.editor = env, readers, editor
        self.purges_queued = purges_queued
        self.turn = 0

    def get(self, path):
        self.turn += 1
        return get(self.readers[self.turn % len(self.readers)], path)

    def warm(self, *paths):
        # Several times per worker, so each has checked the page and trusts it until a change.
        for _ in range(4 * WORKERS):
            for path in paths:
                self.get(path)

    def shell(self, code):
        self.editor.run(PRELUDE + code)

    def every(self, path, check):
        """The next REQUESTS responses for `path`, each checked; the failures, if any."""
        if self.purges_queued:
            self.editor.run(PURGES_SENT)
        failures = []
        for number in range(REQUESTS):
            status, body = self.get(path)
            try:
                check(status, body)
            except AssertionError as error:
                failures.append((number, status, str(error)[:200]))
        assert not failures, f"{len(failures)} of {REQUESTS} stale: {failures[:3]}"


def _embedded_env(tmp):
    return app_environment(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        WEB_CONCURRENCY=WORKERS,
        GUNICORN_PRELOAD="1",  # as `make run` starts it
    )


def _prepared(env):
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo_content")
    return env


CONFIGURATIONS = [
    "embedded",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not reachable(POSTGRES_SERVER), reason="needs a PostgreSQL server"
        ),
    ),
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(not reachable(REDIS_SERVER), reason="needs a Redis server"),
    ),
    "two-instances",
    pytest.param(
        "varnish",
        marks=pytest.mark.skipif(
            not HAS_VARNISH, reason="needs varnishd (apt-get install varnish)"
        ),
    ),
]


@pytest.fixture(scope="module", params=CONFIGURATIONS)
def site(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    env = _embedded_env(tmp)
    with ExitStack() as stack:
        if request.param == "postgresql":
            # As most deploys run: the page cache in each worker's memory, the change word off,
            # so every hit checks its tags' versions with a prepared read.
            env.update(DATABASE_URL=stack.enter_context(postgres_database()))
        elif request.param == "redis":
            env.update(REDIS_URL=REDIS_SERVER + "/0", CACHE_KEY_PREFIX="test-" + uuid.uuid4().hex)
        _prepared(env)
        if request.param == "two-instances":
            with gunicorn(env) as first, gunicorn(env) as second:
                yield from _with_editor(env, [first, second])
        elif request.param == "varnish":
            app_port = free_port()
            with varnish(app_port) as edge:
                env.update(CACHE_PURGER="pages.purging.VarnishPurger", CACHE_PURGE_URLS=edge + "/")
                with gunicorn(env, port=app_port), worker(env):
                    yield from _with_editor(env, [edge], purges_queued=True)
        else:
            with gunicorn(env) as app:
                yield from _with_editor(env, [app])


@contextmanager
def worker(env):
    """The task worker beside gunicorn, as `make run` starts it, polling more often."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(15)


def _with_editor(env, readers, purges_queued=False):
    editor = Editor(env)
    try:
        yield Site(env, readers, editor, purges_queued)
    finally:
        editor.close()


ARTICLE = f"/news/{SLUG}/"


def test_an_edit(site):
    site.warm(ARTICLE, "/")
    site.shell("a.title = 'Edited in the shell'; a.save()")

    def fresh(status, body):
        assert status == 200 and headline(body) == "Edited in the shell"

    site.every(ARTICLE, fresh)
    site.every("/", lambda status, body: _in("Edited in the shell", home_titles(body)))


def _in(item, items):
    assert item in items, items


def test_an_orm_update(site):
    site.warm(ARTICLE, "/")
    site.shell(f"Article.objects.filter(slug={SLUG!r}).update(title='Updated in bulk')")
    site.every(ARTICLE, lambda status, body: _equal(headline(body), "Updated in bulk"))
    site.every("/", lambda status, body: _in("Updated in bulk", home_titles(body)))


def _equal(value, expected):
    assert value == expected, value


def test_a_callout_saved_through_the_orm(site):
    site.warm(ARTICLE)
    site.shell("c = a.callouts.first(); c.body = 'A callout saved in the shell.'; c.save()")
    site.every(
        ARTICLE,
        lambda status, body: _in("A callout saved in the shell.", texts(body, ".callout__body")),
    )


def test_an_faq_entry(site):
    site.warm(ARTICLE)
    site.shell("FAQEntry.objects.create(article=a, question='Asked in the shell?', answer='Yes.')")
    site.every(
        ARTICLE, lambda status, body: _in("Asked in the shell?", texts(body, ".faq__question"))
    )


def test_a_correction(site):
    site.warm(ARTICLE, "/corrections/")
    site.shell("Correction.objects.create(article=a, text='Corrected in the shell.')")
    site.every(
        ARTICLE,
        lambda status, body: _in("Corrected in the shell.", texts(body, ".correction__text")),
    )
    site.every("/corrections/", lambda status, body: _in_text("Corrected in the shell.", body))


def _in_text(needle, html):
    assert needle in parsed(html).get_text(" "), "missing"


def test_an_author_edit(site):
    site.warm(ARTICLE)
    site.shell("u = a.authors.first(); u.name = 'Renamed Reporter'; u.save()")
    site.every(ARTICLE, lambda status, body: _in("Renamed Reporter", texts(body, ".byline a")))


def test_a_section_edit(site):
    site.warm(ARTICLE)
    site.shell("s = a.section; s.name = 'Renamed Section'; s.save()")
    site.every(
        ARTICLE, lambda status, body: _in("Renamed Section", texts(body, ".article__section a"))
    )


def test_a_revision_restore(site):
    site.shell(
        "import reversion\n"
        "with reversion.create_revision():\n"
        "    a.title = 'Before the restore'; a.save()\n"
        "a.title = 'Replaced, then restored'; a.save()\n"
    )
    site.warm(ARTICLE)
    site.shell(
        "from reversion.models import Version\n"
        "Version.objects.get_for_object(a).first().revision.revert()\n"
    )
    site.every(ARTICLE, lambda status, body: _equal(headline(body), "Before the restore"))


def test_an_import(site, tmp_path):
    site.warm(ARTICLE, "/")
    source = (PROJECT / "articles/demo_content/02-open-source-runs-on-goodwill.md").read_text()
    lines = source.splitlines()
    lines[0] = "# Imported from a file"
    path = tmp_path / "article.md"
    path.write_text("\n".join(lines) + "\n")
    manage(site.env, "import_articles", str(path), "--status", "published", "--update")
    site.every(ARTICLE, lambda status, body: _equal(headline(body), "Imported from a file"))
    site.every("/", lambda status, body: _in("Imported from a file", home_titles(body)))


def test_a_slug_change(site):
    site.warm(ARTICLE, "/news/renamed-in-the-shell/")
    site.shell("a.slug = 'renamed-in-the-shell'; a.save()")
    site.every(ARTICLE, lambda status, body: _equal(status, 301))
    site.every("/news/renamed-in-the-shell/", lambda status, body: _equal(status, 200))
    site.editor.run(
        f"a = Article.objects.get(slug='renamed-in-the-shell'); a.slug = {SLUG!r}; a.save()"
    )
    site.every(ARTICLE, lambda status, body: _equal(status, 200))


def test_a_scheduled_story_goes_live_on_time(site):
    site.shell(
        f"s = Article.objects.get(slug={OTHER!r})\n"
        "s.title = 'Goes live in a moment'\n"
        "s.published_at = timezone.now() + timedelta(seconds=4)\n"
        "s.save()\n"
    )
    site.warm("/", f"/news/{OTHER}/")
    assert "Goes live in a moment" not in home_titles(site.get("/")[1])
    time.sleep(4.5)
    site.every("/", lambda status, body: _in("Goes live in a moment", home_titles(body)))
    site.every(f"/news/{OTHER}/", lambda status, body: _equal(status, 200))


def test_an_unpublish(site):
    site.warm(ARTICLE, "/")
    site.shell("a.status = 'unpublished'; a.save()")
    site.every(ARTICLE, lambda status, body: _equal(status, 410))
    # The title the import left it with.
    site.every("/", lambda status, body: _not_in("Imported from a file", home_titles(body)))


def _not_in(item, items):
    assert item not in items, items


def test_a_delete(site):
    site.warm(f"/news/{OTHER}/", "/")
    site.shell(f"Article.objects.get(slug={OTHER!r}).delete()")
    site.every(f"/news/{OTHER}/", lambda status, body: _equal(status, 404))
    site.every("/", lambda status, body: _not_in("Goes live in a moment", home_titles(body)))


# Live coverage (live/): the demo's live article, changed through live.updates as the desk does.
LIVE = "/news/riverton-council-budget-night/"
LIVE_PRELUDE = (
    "from live import updates\n"
    "from live.models import Coverage, Update\n"
    "c = Coverage.objects.get(article__slug='riverton-council-budget-night')\n"
)


def _live_bodies(html):
    return texts(html, ".live-update__body")


def test_a_posted_live_update(site):
    site.warm(LIVE, LIVE.rstrip("/") + "/live.atom")
    site.shell(
        LIVE_PRELUDE + "updates.post(Update(coverage=c, body='Posted in the shell.'), "
        "user=None, trusted=True)\n"
    )
    site.every(LIVE, lambda status, body: _equal(_live_bodies(body)[1], "Posted in the shell."))
    site.every(
        LIVE.rstrip("/") + "/live.atom",
        lambda status, body: _equal(_newest_entry(body), "Posted in the shell."),
    )


def _newest_entry(feed):
    import feedparser

    return parsed(feedparser.parse(feed).entries[0].content[0].value).get_text(strip=True)


def test_a_corrected_live_update(site):
    site.warm(LIVE)
    site.shell(
        LIVE_PRELUDE + "u = c.updates.get(body='Posted in the shell.')\n"
        "u.body = 'Corrected in the shell.'\n"
        "updates.correct(u, user=None, trusted=True)\n"
    )
    site.every(LIVE, lambda status, body: _equal(_live_bodies(body)[1], "Corrected in the shell."))


def test_a_deleted_live_update(site):
    site.warm(LIVE)
    site.shell(
        LIVE_PRELUDE + "updates.delete(c.updates.get(body='Corrected in the shell.'), "
        "user=None, trusted=True)\n"
    )
    site.every(LIVE, lambda status, body: _not_in("Corrected in the shell.", _live_bodies(body)))
