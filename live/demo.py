"""The demo's live article (live/demo_content/): the story in the articles' Markdown shape and
its updates in `<name>.updates.md`, times counted back from when it is loaded.

    Article: <slug>
    About: <one line>
    Started: <N> minutes ago

    ### <N> minutes ago · <headline, optional>
    Pinned            (optional)
    By <name>[, <name>]

    <Markdown body>
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.article_markdown import _author, parse, save_parsed
from articles.models import Article, Status
from articles.newlines import normalise_newlines
from images import demo as pictures

from . import updates
from .models import Coverage, Update

DEMO_DIR = Path(__file__).resolve().parent / "demo_content"
_AGO = re.compile(r"^(\d+) minutes ago$")
_HEADING = re.compile(r"^### (\d+) minutes ago(?: · (.+))?$")


@dataclass
class DemoUpdate:
    minutes_ago: int
    headline: str
    body: str
    pinned: bool = False
    authors: list = field(default_factory=list)


@dataclass
class DemoCoverage:
    slug: str
    about: str
    started_minutes_ago: int
    updates: list


def _minutes(text, line):
    match = _AGO.match(text.strip())
    if match is None:
        raise ValueError(f"Expected “<N> minutes ago”: {line!r}")
    return int(match.group(1))


def parse_updates(text):
    header, *blocks = re.split(r"^(?=### )", normalise_newlines(text), flags=re.MULTILINE)
    fields = dict(line.split(": ", 1) for line in header.strip().splitlines())
    demo_updates = []
    for block in blocks:
        heading, *lines = block.strip().split("\n")
        match = _HEADING.match(heading)
        if match is None:
            raise ValueError(f"Expected “### <N> minutes ago · headline”: {heading!r}")
        update = DemoUpdate(int(match.group(1)), match.group(2) or "", "")
        while lines and (lines[0].strip() == "Pinned" or lines[0].startswith("By ")):
            line = lines.pop(0).strip()
            if line == "Pinned":
                update.pinned = True
            else:
                update.authors = [name.strip() for name in line[3:].split(",")]
        update.body = "\n".join(lines).strip()
        demo_updates.append(update)
    return DemoCoverage(
        slug=fields["Article"],
        about=fields.get("About", ""),
        started_minutes_ago=_minutes(fields["Started"], fields["Started"]),
        updates=demo_updates,
    )


def demo_files():
    for path in sorted(DEMO_DIR.glob("*.updates.md")):
        yield path.with_name(path.name.removesuffix(".updates.md") + ".md"), path


def load(*, dry_run=False, update=False):
    """Load each demo live article not loaded before; (loaded, kept) slugs. `update` puts the
    article's text back as the articles' --update does, but coverage that exists keeps its
    updates: they are the newsroom's record of what was posted."""
    loaded, kept = [], []
    for article_path, updates_path in demo_files():
        parsed = parse(article_path.read_text(encoding="utf-8"))
        demo = parse_updates(updates_path.read_text(encoding="utf-8"))
        if not update and Article.objects.filter(slug=parsed.slug).exists():
            kept.append(parsed.slug)  # an editor may have changed, ended or unpublished it
            continue
        if not dry_run:
            article = save_parsed(
                parsed, status=Status.PUBLISHED, trusted=True, via="load_demo_content"
            )
            _load_coverage(article, demo)
            pictures.give_lead_image(article, via="load_demo_content")
        loaded.append(parsed.slug)
    return loaded, kept


def _load_coverage(article, demo):
    if Coverage.objects.filter(article=article).exists():
        return
    now = timezone.now().replace(microsecond=0)
    coverage = Coverage.objects.create(
        article=article,
        about=demo.about,
        started_at=now - timedelta(minutes=demo.started_minutes_ago),
    )
    for entry in sorted(demo.updates, key=lambda entry: -entry.minutes_ago):
        row = Update(
            coverage=coverage,
            headline=entry.headline,
            body=entry.body,
            pinned=entry.pinned,
            published_at=now - timedelta(minutes=entry.minutes_ago),
        )
        updates.post(row, user=None, trusted=True, authors=[_author(n) for n in entry.authors])
