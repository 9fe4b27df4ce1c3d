"""Articles as Markdown documents in the shape of our published pages, both ways.

# Title
> Standfirst
*Kicker*
By Byline · InsidersFeed
Canonical: https://…/news/slug
Section: Technology            (optional)
Published: 2026-11-20T09:00:00+00:00   (optional)

Body, with callouts as blockquotes: > **Key:** **The take:** text

## FAQ
### Question?
Answer.

## Corrections                  (optional, always last)
### 2026-11-21T10:00:00+00:00
What was wrong and what is right.

Importing a document with a Corrections section replaces the article's corrections; a document
without one leaves them as they are.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from . import workflow
from .models import Article, Author, Callout, Correction, FAQEntry, Section, Status, unique_slug
from .newlines import normalise_newlines
from .rendering import CALLOUT_MARKER
from .templatetags.iso_dates import iso8601

KIND_BY_LABEL = {label.lower(): value for value, label in Callout.Kind.choices}
CALLOUT_LINE = re.compile(
    r"^> \*\*(?P<kind>[^*]+?):\*\*\s*(?:\*\*(?P<label>[^*]+?)\*\*)?\s*(?P<text>.*)$"
)
METADATA_LINE = re.compile(r"^(?P<key>Canonical|Section|Published): (?P<value>.+)$")
FAQ_HEADING = "## FAQ"
# Room for the marker a label becomes, with a "-2" suffix for a repeated one.
MARKER_LENGTH = Callout._meta.get_field("marker").max_length
CORRECTIONS_HEADING = "## Corrections"


class MarkdownFormatError(ValueError):
    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class ParsedCallout:
    kind: str
    label: str
    body: str
    marker: str


@dataclass
class ParsedArticle:
    title: str
    standfirst: str
    kicker: str = ""
    byline: list[str] = field(default_factory=list)
    slug: str = ""
    canonical: str = ""
    section: str = ""
    published_at: object = None
    body: str = ""
    callouts: list[ParsedCallout] = field(default_factory=list)
    faq: list[tuple[str, str]] = field(default_factory=list)
    corrections: list[tuple[object, str]] | None = None


def parse(text):
    """Parse one article document; raise MarkdownFormatError naming the line at fault."""
    lines = normalise_newlines(text).split("\n")
    cursor = _Cursor(lines)

    title = cursor.expect(r"# (?P<v>.+)", "the title as '# Title'")
    standfirst = cursor.expect(r"> (?P<v>.+)", "the standfirst as '> One sentence'")
    kicker = cursor.optional(r"\*(?P<v>[^*].*[^*]|[^*])\*")
    byline = cursor.expect(r"By (?P<v>.+)", "the byline as 'By Name · Publication'")
    article = ParsedArticle(title=title.strip(), standfirst=standfirst.strip(), kicker=kicker or "")
    article.byline = _split_byline(byline.split(" · ")[0])

    seen = set()
    while cursor.peek() is not None and (match := METADATA_LINE.match(cursor.peek())):
        key, value = match["key"], match["value"].strip()
        if key in seen:
            # Which article a file updates must never hang on which of two lines wins.
            raise MarkdownFormatError(cursor.number, f"a second '{key}:' line.")
        seen.add(key)
        if key == "Canonical":
            article.canonical = value
            article.slug = _slug_from_url(value, cursor.number)
        elif key == "Section":
            article.section = value
        else:
            article.published_at = parse_datetime(value)
            if article.published_at is None or article.published_at.tzinfo is None:
                raise MarkdownFormatError(
                    cursor.number, f"'{value}' is not an ISO 8601 date and time with a zone."
                )
        cursor.advance()

    corrections_start = _last_heading(lines, cursor.index, CORRECTIONS_HEADING)
    if corrections_start is not None:
        article.corrections = _parse_corrections(lines, corrections_start)
        lines = lines[:corrections_start]
    body_lines, faq_start = _split_faq(lines, cursor.index)
    article.body, article.callouts = _extract_callouts(body_lines, cursor.index + 1)
    if faq_start is not None:
        article.faq = _parse_faq(lines, faq_start)
    if not article.body.strip():
        raise MarkdownFormatError(cursor.number, "the article has no body.")
    return article


class _Cursor:
    """Walks the header lines, skipping blank ones, with 1-based line numbers for errors."""

    def __init__(self, lines):
        self.lines, self.index = lines, 0

    @property
    def number(self):
        return self.index + 1

    def _skip_blank(self):
        while self.index < len(self.lines) and not self.lines[self.index].strip():
            self.index += 1

    def peek(self):
        return self.lines[self.index] if self.index < len(self.lines) else None

    def advance(self):
        self.index += 1

    def optional(self, pattern):
        self._skip_blank()
        match = re.fullmatch(pattern, (self.peek() or "").rstrip())
        if match:
            self.advance()
            return match["v"]
        return None

    def expect(self, pattern, what):
        value = self.optional(pattern)
        if value is None:
            found = (self.peek() or "the end of the file").strip()[:60]
            raise MarkdownFormatError(self.number, f"expected {what}, found {found!r}.")
        return value


def _split_byline(names):
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", names) if name.strip()]


def _slug_from_url(url, line):
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.scheme not in ("http", "https") or not segments:
        raise MarkdownFormatError(line, f"'{url}' is not an absolute article URL.")
    return slugify(segments[-1], allow_unicode=True)


def _last_heading(lines, start, heading):
    for index in range(len(lines) - 1, start - 1, -1):
        if lines[index].strip() == heading:
            return index
    return None


def _split_faq(lines, start):
    index = _last_heading(lines, start, FAQ_HEADING)
    return (lines[start:], None) if index is None else (lines[start:index], index)


def _extract_callouts(lines, first_number):
    """The importer's reading of the body: callouts are blockquotes, never markers."""
    for number, line in enumerate(lines, start=first_number):
        if CALLOUT_MARKER.fullmatch(line):
            raise MarkdownFormatError(number, "callout markers are written as blockquotes here.")
    return extract_callouts("\n".join(lines), first_number=first_number)


# Anything that starts like a marker; a line holding one must be exactly a marker.
MARKER_LIKE = re.compile(r"\[\[\s*callout", re.IGNORECASE)
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def extract_callouts(text, taken=(), first_number=1):
    """Turn callout blockquotes (`> **Key:** **Label:** text`) into marker lines.

    Returns (body, callouts). The one reading of callouts for the importer and the change
    form's body. Markers already in `taken` are not reused. A line that looks like a marker
    but is not exactly one raises MarkdownFormatError, so it never reaches readers as text.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    body, callouts, markers = [], [], set(taken)
    in_code = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            in_code = not in_code
        match = None if in_code else CALLOUT_LINE.match(line)
        kind = KIND_BY_LABEL.get(match["kind"].strip().lower()) if match else None
        if kind is None:
            if not in_code and MARKER_LIKE.search(line) and not CALLOUT_MARKER.fullmatch(line):
                raise MarkdownFormatError(
                    first_number + index,
                    f"“{line.strip()[:60]}” looks like a callout marker but is not one. A marker "
                    "is a line of its own in lowercase letters, digits and hyphens, such as "
                    "[[callout:the-take]].",
                )
            body.append(line)
            index += 1
            continue
        text_lines = [match["text"]]
        index += 1
        while index < len(lines) and lines[index].startswith(">"):
            text_lines.append(lines[index][1:].removeprefix(" "))
            index += 1
        label = (match["label"] or "").strip()
        marker = base = slugify(label)[: MARKER_LENGTH - 3].strip("-") or kind
        suffix = 2
        while marker in markers:
            marker, suffix = f"{base}-{suffix}", suffix + 1
        markers.add(marker)
        callouts.append(ParsedCallout(kind, label, "\n".join(text_lines).strip(), marker))
        body.append(f"[[callout:{marker}]]")
    return "\n".join(body).strip(), callouts


def _parse_faq(lines, heading_index):
    entries = []  # [question, its line number, answer lines]
    for number, line in enumerate(lines[heading_index + 1 :], start=heading_index + 2):
        if line.startswith("### "):
            if not line[4:].strip():
                raise MarkdownFormatError(number, "an FAQ question is empty.")
            entries.append((line[4:].strip(), number, []))
        elif entries:
            entries[-1][2].append(line)
        elif line.strip():
            raise MarkdownFormatError(number, "expected an FAQ question as '### Question?'.")
    result = []
    for question, number, answer in entries:
        text = "\n".join(answer).strip()
        if not text:
            raise MarkdownFormatError(number, f"the FAQ question {question!r} has no answer.")
        result.append((question, text))
    return result


def _parse_corrections(lines, heading_index):
    entries = []  # [date, its line number, text lines]
    for number, line in enumerate(lines[heading_index + 1 :], start=heading_index + 2):
        if line.startswith("### "):
            corrected_at = parse_datetime(line[4:].strip())
            if corrected_at is None or corrected_at.tzinfo is None:
                raise MarkdownFormatError(
                    number, "a correction starts with '### ' and an ISO 8601 date with a zone."
                )
            entries.append((corrected_at, number, []))
        elif entries:
            entries[-1][2].append(line)
        elif line.strip():
            raise MarkdownFormatError(number, "expected a correction as '### 2026-11-21T10:00Z'.")
    result = []
    for corrected_at, number, text in entries:
        if not "\n".join(text).strip():
            raise MarkdownFormatError(number, "a correction has no text.")
        result.append((corrected_at, "\n".join(text).strip()))
    return result


@transaction.atomic
def save_parsed(parsed, status=None, *, user=None, trusted=False, via="import", owner=None):
    """Create or update the article with the parsed slug; all or nothing.

    `status` None keeps an existing article's status (a new one is a draft). `owner` is who a
    new article counts as started by (an update keeps the article's own). The status and
    publication time go through the publishing action, which checks `user` (or `trusted`, for
    operator commands), writes one revision of the finished article and the audit event.
    """
    article = Article.objects.filter(slug=parsed.slug).first() if parsed.slug else None
    article = article or Article(slug=parsed.slug, created_by=owner)
    before = workflow.stored_state(article)
    status = status or (before[0] if before else Status.DRAFT)
    published_at = parsed.published_at or article.published_at
    if status == Status.PUBLISHED and published_at is None:
        published_at = timezone.now().replace(microsecond=0)  # to the second, as pages show it
    workflow.check_permission(user, before, (status, published_at), trusted=trusted)
    article.title = parsed.title
    article.standfirst = parsed.standfirst
    article.kicker = parsed.kicker
    article.body = parsed.body
    # Content first under the stored status; the publishing action makes the change at the end.
    article.status, article.published_at = before or (Status.DRAFT, None)
    if parsed.section:
        article.section = Section.objects.filter(name=parsed.section).first() or (
            Section.objects.create(
                name=parsed.section, slug=unique_slug(Section, parsed.section, fallback="section")
            )
        )
    article.full_clean(exclude=["slug"] if not parsed.slug else None)
    article.save()
    article.authors.set([_author(name) for name in parsed.byline])
    article.callouts.all().delete()
    for order, parsed_callout in enumerate(parsed.callouts):
        callout = Callout(
            article=article,
            kind=parsed_callout.kind,
            label=parsed_callout.label,
            body=parsed_callout.body,
            marker=parsed_callout.marker,
            order=order,
        )
        callout.full_clean(exclude=["article"])
        callout.save()
    article.faq_entries.all().delete()
    for order, (question, answer) in enumerate(parsed.faq):
        entry = FAQEntry(article=article, question=question, answer=answer, order=order)
        entry.full_clean(exclude=["article"])
        entry.save()
    if parsed.corrections is not None:
        article.corrections.all().delete()
        for corrected_at, text in parsed.corrections:
            correction = Correction(article=article, corrected_at=corrected_at, text=text)
            correction.full_clean(exclude=["article"])
            correction.save()
    workflow.change_status(
        article,
        user=user,
        trusted=trusted,
        status=status,
        published_at=published_at,
        via=via,
        before=before,
    )
    return article


def _author(name):
    author = Author.objects.filter(name=name).first()
    if author is None:
        kind = Author.Kind.DESK if re.search(r"\bDesk\b", name) else Author.Kind.PERSON
        author = Author.objects.create(
            name=name, kind=kind, slug=unique_slug(Author, name, fallback="author")
        )
    return author


def export(article):
    """The article as a Markdown document that `parse` reads back to the same article."""
    callouts = {}
    for callout in article.callouts.all():
        callouts.setdefault(callout.marker, []).append(_callout_quote(callout))
    body = CALLOUT_MARKER.sub(
        lambda match: "\n\n".join(callouts.get(match.group(1), [])), article.body.strip()
    )
    byline = [author.name for author in article.authors.all()]
    names = " and ".join([", ".join(byline[:-1]), byline[-1]] if len(byline) > 1 else byline)
    parts = [f"# {article.title}", f"> {article.standfirst}"]
    if article.kicker:
        parts.append(f"*{article.kicker}*")
    header = [f"By {names or f'The {settings.SITE_NAME} Desk'} · {settings.SITE_NAME}"]
    # Our own address, not a canonical override: the import reads the slug from this line.
    header.append(f"Canonical: {article.get_site_url()}")
    if article.section:
        header.append(f"Section: {article.section.name}")
    if article.published_at:
        header.append(f"Published: {iso8601(article.published_at)}")
    parts += ["\n".join(header), body]
    entries = list(article.faq_entries.all())
    if entries:
        parts.append(FAQ_HEADING)
        parts += [f"### {entry.question}\n{entry.answer.strip()}" for entry in entries]
    corrections = list(article.corrections.all())
    if corrections:
        parts.append(CORRECTIONS_HEADING)
        parts += [f"### {iso8601(c.corrected_at)}\n{c.text.strip()}" for c in corrections]
    # Rows saved before newlines were normalised may still hold CRs.
    return normalise_newlines("\n\n".join(parts) + "\n")


def _callout_quote(callout):
    label = f" **{callout.label}**" if callout.label else ""
    lines = callout.body.strip().split("\n")
    first = f"> **{callout.get_kind_display()}:**{label} {lines[0]}"
    return "\n".join([first] + [f"> {line}".rstrip() for line in lines[1:]])
