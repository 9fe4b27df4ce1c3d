"""Real servers for tests that cross process boundaries: gunicorn, PostgreSQL databases, Varnish.

Each starts on a free loopback port, is waited for, and is stopped when the test ends.
"""

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("TEST_REDIS_SERVER", "redis://127.0.0.1:6379")


class Server(str):
    """A running server's base URL, which also knows the server's process id."""

    def __new__(cls, url, pid):
        server = super().__new__(cls, url)
        server.pid = pid
        return server


_handed_out = []


def free_port():
    """A free loopback port; on a shared machine, TEST_PORTS ("18100-18199") keeps every
    server a test starts inside one person's range. Ports are handed out in turn, since one
    handed out may not be bound yet when the next is asked for."""
    first, _, last = os.environ.get("TEST_PORTS", "").partition("-")
    if not last:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    ports = list(range(int(first), int(last) + 1))
    start = ports.index(_handed_out[-1]) + 1 if _handed_out and _handed_out[-1] in ports else 0
    for port in ports[start:] + ports[:start]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.append(port)
        return port
    raise OSError(f"no free port in TEST_PORTS={os.environ['TEST_PORTS']}")


def reachable(url):
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except OSError:
        return False
    return True


_collected_static = []


def collected_static():
    """Static files collected once per test run, as a deployment would have them."""
    if not _collected_static:
        root = Path(tempfile.mkdtemp(prefix="static-"))
        env = {**os.environ, "STATIC_ROOT": str(root), "DJANGO_SECRET_KEY": "collect"}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=PROJECT, env=env, check=True,
        )  # fmt: skip
        _collected_static.append(root)
    return _collected_static[0]


def app_environment(**overrides):
    """A production-mode environment for the app, isolated from the caller's settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        DJANGO_SECRET_KEY="server-test-" + uuid.uuid4().hex,
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_PRELOAD="0",
        GUNICORN_GRACEFUL_TIMEOUT="2",
        STATIC_ROOT=collected_static(),
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


class _AnyAnswer(urllib.request.HTTPRedirectHandler):
    """A redirect (to HTTPS, say) is an answer: the server is up."""

    def redirect_request(self, *args, **kwargs):
        return None


_WAITER = urllib.request.build_opener(_AnyAnswer)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with _WAITER.open(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered at {url}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def postgres_database():
    """A new, empty database on the test PostgreSQL server, dropped afterwards."""
    import psycopg

    name = "insidersfeed_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES_SERVER + "/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(POSTGRES_SERVER + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(env, port=None):
    port = port or free_port()
    # Instances of one site share its SITE_URL when the caller names it; else their own address.
    site_url = env.get("SITE_URL") or f"http://127.0.0.1:{port}"
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "SITE_URL": site_url}
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "insidersfeed.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with serving(process, port) as url:
        yield url


@contextmanager
def serving(process, port):
    """The process's base URL once it answers; the process is stopped afterwards."""
    url = Server(f"http://127.0.0.1:{port}", process.pid)
    try:
        wait_for(url + "/")
        yield url
    finally:
        stop(process)


@contextmanager
def varnish(backend_port):
    """varnishd with our VCL, its backend pointed at `backend_port`."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="varnish-"))
    workdir.chmod(0o755)
    vcl = (PROJECT / "deploy" / "varnish.vcl").read_text()
    (workdir / "test.vcl").write_text(vcl.replace('"8000"', f'"{backend_port}"'))
    params = [
        word
        for line in (PROJECT / "deploy" / "varnishd.params").read_text().splitlines()
        if line.strip() and not line.startswith("#")
        for word in line.split(maxsplit=1)
    ]
    process = subprocess.Popen(
        [
            varnishd, "-F", "-a", f"127.0.0.1:{port}", "-f", str(workdir / "test.vcl"),
            "-n", str(workdir / "state"), "-s", "malloc,32m", "-T", "none", *params,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        with serving(process, port) as url:
            yield url
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class Browser:
    """Just enough of a browser for admin forms: cookies, CSRF, and posting a form as shown."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def submit(self, path, form_selector, changes, button=None):
        """Load the page at `path`, fill the form as a browser would, apply changes (adding
        fields the page does not have yet, like a new inline row), and post it."""
        _, _, html = self.get(path)
        form = BeautifulSoup(html, "html.parser").select_one(form_selector)
        fields = []
        for element in form.select("input[name], textarea[name], select[name]"):
            name, kind = element["name"], element.get("type", "text")
            if kind in ("submit", "file") or (
                kind in ("checkbox", "radio") and not element.has_attr("checked")
            ):
                continue
            if element.name == "textarea":
                value = element.get_text()
                value = value[1:] if value.startswith("\n") else value
            elif element.name == "select":
                chosen = element.select("option[selected]") or element.select("option")[:1]
                if element.has_attr("multiple"):
                    fields += [
                        (name, option.get("value", ""))
                        for option in chosen
                        if option.has_attr("selected")
                    ]
                    continue
                value = chosen[0].get("value", "") if chosen else ""
            else:
                value = element.get("value", "")
            fields.append((name, value))
        present = {name for name, _ in fields}
        fields = [(name, changes.get(name, value)) for name, value in fields]
        fields += [(name, value) for name, value in changes.items() if name not in present]
        if button:
            fields.append((button, "1"))
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()[:2000]


@contextmanager
def task_worker(env):
    """`manage.py run_worker` on the same database; stopped with SIGINT (Ctrl-C) afterwards."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.send_signal(2)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def eventually(check, timeout=10):
    """The first truthy result of `check()`, polled for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
