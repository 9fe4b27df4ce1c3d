"""Markdown to safe HTML: the one renderer for pages, the editor preview, feeds and exports."""

import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "sub", "sup", "strong", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "template", "textarea", "title", "noscript"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
)

# A callout marker is a line of its own in the body: [[callout:the-take]]
# (\r: browsers submit textareas with CRLF line ends.)
CALLOUT_MARKER = re.compile(r"^[ \t]*\[\[callout:([a-z0-9_-]+)\]\][ \t\r]*$", re.MULTILINE)
_RENDERED_MARKER = re.compile(r"<p>\[\[callout:([a-z0-9_-]+)\]\]</p>")


class _MarkerBlocks(Preprocessor):
    """Give each marker line blank lines around it, so it renders as a paragraph of its own."""

    def run(self, lines):
        out = []
        for line in lines:
            if CALLOUT_MARKER.fullmatch(line):
                out.extend(["", line.strip(), ""])
            else:
                out.append(line)
        return out


class _DemoteTitles(Treeprocessor):
    """The page title is the only h1: a '# Heading' in the body becomes an h2."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _NewsroomExtension(Extension):
    def extendMarkdown(self, md):
        # After fenced code (25) is stashed, so markers inside code blocks stay literal.
        md.preprocessors.register(_MarkerBlocks(md), "callout_markers", 20)
        md.treeprocessors.register(_DemoteTitles(md), "demote_titles", 5)


_EXTENSIONS = ["extra", "sane_lists", _NewsroomExtension()]


# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): refused in
# one-line fields, removed here so body text cannot read differently from what it says.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def render_markdown(text):
    """Render Markdown to HTML and sanitize the result against our allowlist."""
    text = _BIDI_CONTROLS.sub("", text or "")
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return _cleaner.clean(html)


def markers_in(text):
    """The callout markers a Markdown body names, in order of appearance."""
    return CALLOUT_MARKER.findall(text or "")


def splice_callouts(body_html, callouts_by_marker):
    """Replace each rendered marker paragraph with its callouts' HTML (or nothing)."""
    return _RENDERED_MARKER.sub(
        lambda match: "\n".join(callouts_by_marker.get(match.group(1), [])), body_html
    )
