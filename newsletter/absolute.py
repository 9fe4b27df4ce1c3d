"""Links and images in an email point at the site: a mail client has no page to resolve
`/news/...` or `/media/...` against, so every relative address is made absolute (SITE_URL)."""

import re
from urllib.parse import urljoin

from django.conf import settings

# Our templates and the Markdown renderer quote attributes with double quotes.
_ATTRIBUTE = re.compile(r'(\s(?:href|src|srcset)=")([^"]*)(")', re.IGNORECASE)
# Markdown's inline links and images, [text](url "title") and ![alt](url), and <autolinks>.
_MARKDOWN_LINK = re.compile(r"(\]\()(\s*)([^\s)]+)")


def _absolute(url):
    url = url.strip()
    if not url or url.startswith("#") or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return url  # a fragment, or already has a scheme (https:, mailto:, tel:)
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url)


def _srcset(value):
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(maxsplit=1)
        if parts:
            candidates.append(" ".join([_absolute(parts[0]), *parts[1:]]))
    return ", ".join(candidates)


def absolute_html(html):
    def replace(match):
        name = match.group(1).strip().lower()
        value = _srcset(match.group(2)) if name.startswith("srcset") else _absolute(match.group(2))
        return match.group(1) + value + match.group(3)

    return _ATTRIBUTE.sub(replace, html)


def absolute_text(text):
    return _MARKDOWN_LINK.sub(lambda m: m.group(1) + m.group(2) + _absolute(m.group(3)), text)
