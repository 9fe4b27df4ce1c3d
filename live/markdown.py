"""A live article's updates in its Markdown form (/news/<slug>.md), after the article."""

from articles.newlines import normalise_newlines
from articles.templatetags.iso_dates import iso8601

from .pages import coverage_of

HEADING = "## Live updates"


def updates_markdown(article):
    """The coverage and every update, pinned first, then newest first; "" without coverage."""
    coverage = coverage_of(article)
    if coverage is None:
        return ""
    lines = [f"Coverage started: {iso8601(coverage.started_at)}"]
    if coverage.ended_at:
        lines.append(f"Coverage ended: {iso8601(coverage.ended_at)}")
    if coverage.about:
        lines.append(f"About: {coverage.about}")
    parts = [HEADING, "\n".join(lines)]
    updates = coverage.updates.for_page()
    for update in [*updates.filter(pinned=True), *updates.stream()]:
        title = " · ".join(filter(None, [iso8601(update.published_at), update.headline]))
        names = ", ".join(author.name for author in update.authors.all())
        meta = ["Pinned" if update.pinned else "", f"By {names}" if names else ""]
        meta = " · ".join(filter(None, meta))
        parts.append("\n".join(filter(None, [f"### {title}", meta and f"*{meta}*"])))
        parts.append(update.body.strip())
    return normalise_newlines("\n" + "\n\n".join(parts) + "\n")
