"""`make bench`: InsidersFeed's hot paths against the floor and the ceiling, as ratios.

Real gunicorn in production mode on a fresh PostgreSQL database with a few thousand articles;
load from wrk; several interleaved rounds, medians reported. The floor is a bare Django view
returning the article's bytes through the same server and middleware; the ceiling is nginx
serving those bytes as a static file. CPU milliseconds per request come from /proc.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.newsroom import CONNECTIONS as CONNECTIONS_BUSY  # noqa: E402
from bench.newsroom import busy_newsroom  # noqa: E402
from tests.delivery.test_consistency import Editor  # noqa: E402
from tests.servers import (  # noqa: E402 - the project root goes on the path first
    app_environment,
    free_port,
    gunicorn,
    manage,
    postgres_database,
    stop,
    varnish,
    wait_for,
)

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "3000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
# `make run`'s own default (gunicorn.conf.py): two per core plus one.
WORKERS = os.environ.get("BENCH_WORKERS", str(os.cpu_count() * 2 + 1))
DEMO = PROJECT / "articles" / "demo_content" / "02-open-source-runs-on-goodwill.md"
SLUG = "open-source-runs-on-goodwill"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root_pid):
    """User + system CPU of a process and all its descendants, living or reaped."""
    children, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        # utime, stime, and cutime, cstime: the CPU of children it has already reaped.
        times[pid] = sum(int(value) for value in fields[11:15]) / TICKS
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def wrk(url, headers=()):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
        "requests": requests,
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


@contextmanager
def nginx_serving(body):
    prefix = Path(tempfile.mkdtemp(prefix="nginx-"))
    prefix.chmod(0o755)
    (prefix / "article.html").write_bytes(body)
    port = free_port()
    (prefix / "nginx.conf").write_text(f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log stderr error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {prefix};
        location / {{ add_header Cache-Control "public, max-age=60"; }}
    }}
}}
""")
    process = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", "nginx.conf"],
        stderr=subprocess.DEVNULL,
    )
    process.url = f"http://127.0.0.1:{port}"
    wait_for(process.url + "/article.html")
    try:
        yield process
    finally:
        stop(process)
        shutil.rmtree(prefix, ignore_errors=True)


def fetch(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def main():
    missing = [tool for tool in ("wrk", "varnishd", "nginx") if not shutil.which(tool)]
    if missing:
        sys.exit(f"make bench needs {', '.join(missing)}: apt-get install wrk varnish nginx")

    with ExitStack() as stack:
        database_url = stack.enter_context(postgres_database())
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        floor_file = scratch / "floor.html"
        env = app_environment(
            DATABASE_URL=database_url,
            WEB_CONCURRENCY=WORKERS,
            BENCH_FLOOR_FILE=floor_file,
            GUNICORN_MAX_REQUESTS=0,
            # Every process that writes here runs on this host, as on one-server deploys.
            PAGE_CHANGE_SIGNAL=scratch / "changes",
        )
        print(f"Seeding {ARTICLES} articles ...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "shell", "-c", "exec(open('bench/seed.py').read())")

        cached = stack.enter_context(gunicorn(env))
        uncached = stack.enter_context(gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}))
        # What the change word saves: each hit reads the tag versions, as across hosts.
        unsignalled = stack.enter_context(gunicorn({**env, "PAGE_CHANGE_SIGNAL": "off"}))
        article = f"/news/{SLUG}/"
        _, headers, body = fetch(cached + article)
        floor_file.write_bytes(body)
        assert fetch(cached + "/__floor__/")[2] == body
        etag = headers["ETag"]
        front = stack.enter_context(varnish(cached.rsplit(":", 1)[1]))
        static = stack.enter_context(nginx_serving(body))

        targets = {
            "floor (bare Django view, same bytes)": (cached, cached + "/__floor__/", ()),
            "article, uncached": (uncached, uncached + article, ()),
            "article, cached": (cached, cached + article, ()),
            "article, cached, change word off": (unsignalled, unsignalled + article, ()),
            "article, revalidated (304)": (cached, cached + article, (f"If-None-Match: {etag}",)),
            "home, cached": (cached, cached + "/", ()),
            "home, uncached": (uncached, uncached + "/", ()),
        }
        for name, path in (("feed", "/feed/"), ("sitemap", "/sitemap.xml")):
            try:
                fetch(cached + path)
            except OSError:
                continue
            targets[f"{name}, cached"] = (cached, cached + path, ())
            targets[f"{name}, uncached"] = (uncached, uncached + path, ())
        targets["article through Varnish"] = (front, front + article, ())
        targets["ceiling: nginx static file"] = (static.pid, static.url + "/article.html", ())

        for _, url, _ in targets.values():  # warm every cache and connection pool first
            subprocess.run(["wrk", "-t1", "-c2", "-d1s", url], capture_output=True, check=True)

        results = {name: [] for name in targets}
        for round_number in range(1, ROUNDS + 1):
            print(f"Round {round_number} of {ROUNDS} ...", flush=True)
            for name, (server, url, headers) in targets.items():
                pid = server.pid if hasattr(server, "pid") else server
                before = cpu_seconds(pid) if pid else None
                result = wrk(url, headers)
                if pid:
                    used = cpu_seconds(pid) - before
                    result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
                results[name].append(result)
        report(results)

        print("Busy newsroom ...", flush=True)
        editor = Editor(env)
        try:
            editor.run("from articles.models import Article")
            # The newest first: the edited story is then on the home page and in the feed.
            slugs = [f"{SLUG}-{n}" for n in range(1, 9)]
            report_newsroom(busy_newsroom(cached, slugs, editor.run, SECONDS * 2))
        finally:
            editor.close()


def report_newsroom(figures):
    print(
        f"\nBusy newsroom ({CONNECTIONS_BUSY} connections, an edit every 2 s): "
        f"articles {figures['articles']:.2f} × the quiet throughput "
        f"({figures['articles_rps'][0]:,.0f} -> {figures['articles_rps'][1]:,.0f} req/s), "
        f"home and feed {figures['home']:.2f} × "
        f"({figures['home_rps'][0]:,.0f} -> {figures['home_rps'][1]:,.0f} req/s); "
        f"{figures['edits']} edits, {figures['stale']} stale of {figures['checked']} checked."
    )


def report(results):
    def median(name, key):
        values = [r[key] for r in results[name] if key in r]
        return statistics.median(values) if values else None

    floor = median("floor (bare Django view, same bytes)", "rps")
    ceiling = median("ceiling: nginx static file", "rps")
    lines = [
        f"wrk -t1 -c{CONNECTIONS} -d{SECONDS}s, {ROUNDS} interleaved rounds, medians; "
        f"gunicorn {WORKERS} sync workers; {ARTICLES} articles on PostgreSQL.",
        "",
        "| target | req/s | × floor | p50 ms | p99 ms | CPU ms/req | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in results:
        rps = median(name, "rps")
        cpu = median(name, "cpu_ms")
        errors = sum(r["errors"] for r in results[name])
        lines.append(
            f"| {name} | {rps:,.0f} | {rps / floor:.2f} | {median(name, 'p50'):.2f} | "
            f"{median(name, 'p99'):.2f} | {'' if cpu is None else f'{cpu:.2f}'} | {errors} |"
        )
    varnish = median("article through Varnish", "rps")
    lines += ["", f"Article through Varnish: {varnish / ceiling:.2f} × the nginx ceiling."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
