"""`make soak`: the site under real gunicorn (production settings, a fresh SQLite database with
the demo content) and a mixed reader load from wrk; fails on any 5xx, any socket error, or
worker memory that keeps growing.

    .venv/bin/python bench/soak.py [--duration 60] [--connections 64] [--workers 4]
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.throwaway import Gunicorn, prepare_database

# Optional routes another part of the site may provide; each is used when it answers 200.
OPTIONAL_PATHS = ["/feed/", "/feeds/rss/", "/sitemap.xml", "/search/?q=city", "/llms.txt"]
# Memory counts as flat when no worker grows by more than this after warm-up.
RSS_GROWTH_LIMIT = 0.20


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_kib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def sample_rss(master_pid):
    return {pid: rss_kib(pid) for pid in worker_pids(master_pid)}


def reader_paths(site):
    status, _, body = site.get("/")
    assert status == 200, status
    links = set(re.findall(r'href="(/(?:news|section|author)/[^"]+)"', body.decode()))
    paths = ["/", "/?page=2", *sorted(links)]
    paths += [path for path in OPTIONAL_PATHS if site.get(path)[0] == 200]
    paths += ["/no-such-page/", "/news/no-such-story/", "/section/nowhere/"]
    return paths


def run_wrk(site, paths, duration, connections, threads):
    command = [
        "wrk", f"--threads={threads}", f"--connections={connections}",
        f"--duration={duration}s", "--timeout=10s", "--latency",
        f"--script={Path(__file__).with_name('soak.lua')}", site.url, "--", *paths,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="insidersfeed-soak-") as folder:
        database_url = f"sqlite:///{folder}/soak.sqlite3"
        prepare_database(DATABASE_URL=database_url)
        # No worker recycling during the soak, so a leak shows instead of being reset.
        site = Gunicorn(
            workers=options.workers, DATABASE_URL=database_url, GUNICORN_MAX_REQUESTS="0"
        ).start()
        try:
            paths = reader_paths(site)
            print(f"Paths in the mix ({len(paths)}): {' '.join(paths)}")
            run_wrk(site, paths, 10, options.connections, options.threads)  # warm-up
            before = sample_rss(site.process.pid)
            started = time.monotonic()
            output = run_wrk(site, paths, options.duration, options.connections, options.threads)
            elapsed = time.monotonic() - started
            after = sample_rss(site.process.pid)
        finally:
            site.stop()

    print(output)
    server_errors = int(re.search(r"SOAK 5xx=(\d+)", output).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    restarted = set(before) != set(after)
    growth = {pid: after[pid] / before[pid] - 1 for pid in before if pid in after}
    print(f"Ran {elapsed:.0f}s at {options.connections} connections, {options.workers} workers")
    print("Worker RSS before (KiB):", sorted(before.values()))
    print("Worker RSS after  (KiB):", sorted(after.values()))
    print(f"Largest growth: {max(growth.values(), default=0):.1%}")
    failures = []
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if socket_errors:
        failures.append(f"socket errors: {socket_errors.group(1)}")
    if restarted:
        failures.append("a worker died and was replaced during the run")
    if any(value > RSS_GROWTH_LIMIT for value in growth.values()):
        failures.append(f"worker memory grew more than {RSS_GROWTH_LIMIT:.0%}")
    if failures:
        sys.exit("SOAK FAILED: " + "; ".join(failures))
    print("SOAK PASSED: zero 5xx, zero socket errors, worker memory flat")


if __name__ == "__main__":
    main()
