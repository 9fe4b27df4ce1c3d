"""The busy-newsroom round of `make bench`: readers at 64 connections on a mix of articles, home
and feeds while an editor edits an article every 2 seconds.

Reports the readers' throughput as a ratio to the same mix with no edits, and the stale
responses: after each edit commits, every page that shows the article is fetched and must show
the new headline.
"""

import re
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

LUA = Path(__file__).with_name("soak.lua")
CONNECTIONS = 64
EDIT_EVERY = 2.0
CHECKS_PER_EDIT = 5


def _readers(base, paths, seconds):
    command = [
        "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(LUA), base, "--", *paths,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _shows(base, path, title):
    with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310 - our server
        page = BeautifulSoup(response.read().decode(), "html.parser")
    if path.startswith("/news/"):
        return page.find("h1").get_text(strip=True) == title
    return title in [a.get_text(strip=True) for a in page.select(".card__title")]


def _editor(editor, slug, base, stop, counts):
    number = 0
    while not stop.is_set():
        number += 1
        title = f"Edited headline {number}"
        editor(f"Article.objects.filter(slug={slug!r}).update(title={title!r})")
        counts["edits"] += 1
        for _ in range(CHECKS_PER_EDIT):
            for path in (f"/news/{slug}/", "/"):
                counts["checked"] += 1
                if not _shows(base, path, title):
                    counts["stale"] += 1
        stop.wait(EDIT_EVERY)


def busy_newsroom(base, slugs, editor, seconds):
    """{"articles": ratio, "home": ratio, "edits": n, "checked": n, "stale": n}."""
    mixes = {
        "articles": [f"/news/{slug}/" for slug in slugs],
        "home": ["/", "/feed/"],
    }
    results = {}
    counts = {"edits": 0, "checked": 0, "stale": 0}
    for name, paths in mixes.items():
        quiet = _readers(base, paths, seconds)
        stop = threading.Event()
        thread = threading.Thread(target=_editor, args=(editor, slugs[0], base, stop, counts))
        thread.start()
        try:
            busy = _readers(base, paths, seconds)
        finally:
            stop.set()
            thread.join()
        results[name] = busy / quiet
        results[f"{name}_rps"] = (quiet, busy)
        time.sleep(0.5)
    return {**results, **counts}
