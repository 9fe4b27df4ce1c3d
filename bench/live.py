"""`make live-soak`: readers at 64 connections on the demo's live page under real gunicorn
(production settings, a fresh SQLite database with the demo content) while an editor's
process posts an update every 5 seconds. After each post commits, the next 20 requests must
all show it. Fails on any 5xx, any socket error, or any stale response.

    .venv/bin/python bench/live.py [--duration 60] [--connections 64] [--workers 4]
"""

import argparse
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from bench.soak import run_wrk  # noqa: E402
from tests.delivery.test_consistency import Editor  # noqa: E402
from tests.throwaway import Gunicorn, prepare_database  # noqa: E402

LIVE = "/news/riverton-council-budget-night/"
INTERVAL = 5
CHECKS = 20
NUMBER = re.compile(r"^Live soak update (\d+)\.$")
POST = """
from live import updates
from live.models import Coverage, Update
coverage = Coverage.objects.get(article__slug="riverton-council-budget-night")
updates.post(Update(coverage=coverage, body={body!r}), user=None, trusted=True)
"""


def newest_number(url):
    """The number of the newest update the page shows ("Live soak update N."), or 0."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
        page = BeautifulSoup(response.read().decode(), "html.parser")
    stream = page.select(".live__stream .live-update__body")
    match = NUMBER.search(stream[0].get_text(" ", strip=True)) if stream else None
    return int(match.group(1)) if match else 0


def check(url, posted, figures, lock):
    """One request that starts after update `posted` committed: it must show it or a later one."""
    fresh = newest_number(url) >= posted
    with lock:
        figures["checks"] += 1
        figures["stale"] += 0 if fresh else 1


def post_and_check(site, editor, duration, figures):
    """Every INTERVAL seconds: post, then read the page CHECKS times (four at once, so the
    next post keeps its time); count what is stale."""
    started = time.monotonic()
    lock = threading.Lock()
    number = 0
    with ThreadPoolExecutor(max_workers=4) as checkers:
        while started + (number + 1) * INTERVAL < started + duration:
            time.sleep(max(0, started + (number + 1) * INTERVAL - time.monotonic()))
            number += 1
            before = time.monotonic()
            editor.run(POST.format(body=f"Live soak update {number}."))
            figures["post_ms"].append((time.monotonic() - before) * 1000)
            for _ in range(CHECKS):
                checkers.submit(check, site.url + LIVE, number, figures, lock)
    figures["posts"] = number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    figures = {"post_ms": [], "checks": 0, "stale": 0, "posts": 0}
    with tempfile.TemporaryDirectory(prefix="insidersfeed-live-") as folder:
        database_url = f"sqlite:///{folder}/live.sqlite3"
        prepare_database(DATABASE_URL=database_url)
        site = Gunicorn(
            workers=options.workers, DATABASE_URL=database_url, GUNICORN_MAX_REQUESTS="0"
        ).start()
        editor = Editor(site.env)
        try:
            run_wrk(site, [LIVE], 5, options.connections, options.threads)  # warm-up
            poster = threading.Thread(
                target=post_and_check, args=(site, editor, options.duration, figures)
            )
            poster.start()
            output = run_wrk(site, [LIVE], options.duration, options.connections, options.threads)
            poster.join()
            control = urllib.request.urlopen(site.url + LIVE).headers["Cache-Control"]  # noqa: S310
        finally:
            editor.close()
            site.stop()

    print(output)
    server_errors = int(re.search(r"SOAK 5xx=(\d+)", output).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    statuses = dict(re.findall(r"SOAK status (\d+)=(\d+)", output))
    post_ms = sorted(figures["post_ms"])
    print(
        f"Readers: {options.connections} connections, {options.workers} workers, "
        f"{options.duration} s; statuses {statuses}"
    )
    print(
        f"Posts: {figures['posts']} (one every {INTERVAL} s), commit round trip "
        f"median {post_ms[len(post_ms) // 2]:.0f} ms, max {post_ms[-1]:.0f} ms"
    )
    print(f"Freshness: {figures['checks']} requests right after a commit, {figures['stale']} stale")
    print(f"Cache-Control on the running live page: {control}")
    failures = []
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if socket_errors:
        failures.append(f"socket errors: {socket_errors.group(1)}")
    if set(statuses) - {"200"}:
        failures.append(f"answers other than 200: {statuses}")
    if figures["stale"]:
        failures.append(f"{figures['stale']} stale responses after a commit")
    if failures:
        sys.exit("LIVE SOAK FAILED: " + "; ".join(failures))
    print("LIVE SOAK PASSED: zero errors, zero stale responses after each commit")


if __name__ == "__main__":
    main()
