"""What an import would change in an article that exists, said in an editor's words."""

import reversion

FIELDS = [("title", "title"), ("standfirst", "standfirst"), ("kicker", "kicker")]


def _short(value, limit=60):
    value = str(value)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _listed(label, before, after):
    """One line for a list of things (callouts, FAQ entries) that changed, or none."""
    if before == after:
        return []
    old, new = dict(before), dict(after)
    parts = [f"added {_short(name, 40)}" for name in new if name not in old]
    parts += [f"removed {_short(name, 40)}" for name in old if name not in new]
    edited = [name for name in new if name in old and old[name] != new[name]]
    parts += [f"changed {_short(name, 40)}" for name in edited]
    if not parts:
        parts = ["reordered"]
    return [f"{label}: {', '.join(parts)}"]


def changes(article, parsed, status=None):
    """The lines describing what importing `parsed` over `article` changes; empty if nothing."""
    lines = [
        f"{label}: {_short(getattr(article, name))} -> {_short(getattr(parsed, name))}"
        for name, label in FIELDS
        if getattr(article, name) != getattr(parsed, name)
    ]
    if article.body != parsed.body:
        old, new = article.body.count("\n") + 1, parsed.body.count("\n") + 1
        lines.append(f"body: changed ({old} lines -> {new} lines)")
    byline = [author.name for author in article.authors.all()]
    if byline != parsed.byline:
        lines.append(f"byline: {', '.join(byline) or '—'} -> {', '.join(parsed.byline)}")
    section = article.section.name if article.section else ""
    if parsed.section and parsed.section != section:
        lines.append(f"section: {section or '—'} -> {parsed.section}")
    if parsed.published_at and parsed.published_at != article.published_at:
        lines.append(f"published at: {article.published_at} -> {parsed.published_at}")
    lines += _listed(
        "callouts",
        [(c.marker, (c.kind, c.label, c.body)) for c in article.callouts.all()],
        [(c.marker, (c.kind, c.label, c.body)) for c in parsed.callouts],
    )
    lines += _listed(
        "FAQ",
        [(f.question, f.answer) for f in article.faq_entries.all()],
        list(parsed.faq),
    )
    if status and status != article.status:
        lines.append(f"status: {article.status} -> {status}")
    return lines


def save_revision_before_update(article, via):
    """Record the article as it is, so an update by import can be undone from its history."""
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(f"As it was before {via} updated it.")
