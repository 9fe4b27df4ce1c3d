"""The one place that turns a site path into an absolute URL."""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static


def absolute_url(path):
    return settings.SITE_URL + path


def asset_url(url):
    """An uploaded or static file's URL made absolute, unless storage already made it so."""
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


# Our HTML (nh3's output and our templates) always double-quotes attribute values.
_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src|srcset)=")([^"]*)(")', re.IGNORECASE)
# Markdown's inline links and images in plain text: [text](url "title") and ![alt](url).
_MARKDOWN_LINK = re.compile(r"(\]\()(\s*)([^\s)]+)")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def absolute_link(url, page_url=None):
    """One address made absolute for a reader away from our pages: `/media/...` gets the
    site's address, `#faq` and `other/` the page's (when there is one), while `https:`,
    `mailto:` and `//host` addresses are left as written."""
    url = url.strip()
    if not url or _HAS_SCHEME.match(url) or url.startswith("//"):
        return url
    if url.startswith("/"):
        return absolute_url(url)
    if page_url is None and url.startswith("#"):
        return url  # a fragment means nothing without its page
    return urljoin(page_url or absolute_url("/"), url)


def _absolute_srcset(value, page_url):
    candidates = (candidate.strip().split(maxsplit=1) for candidate in value.split(","))
    return ", ".join(
        " ".join([absolute_link(parts[0], page_url), *parts[1:]]) for parts in candidates if parts
    )


def absolute_links(content, page_url=None, *, markdown=False):
    """Links and images of an HTML fragment (`href`, `src`, `srcset`), or of Markdown text with
    `markdown=True`, made absolute for readers that show it away from our pages: feed readers
    and email clients have no page to resolve `/media/...` or `#faq` against."""
    if markdown:
        return _MARKDOWN_LINK.sub(
            lambda match: match[1] + match[2] + absolute_link(match[3], page_url), content
        )

    def replace(match):
        attribute, value, quote = match.groups()
        if attribute.strip().lower().startswith("srcset"):
            return attribute + _absolute_srcset(value, page_url) + quote
        return attribute + absolute_link(value, page_url) + quote

    return _LINK_ATTRIBUTE.sub(replace, content)


@dataclass(frozen=True)
class SiteImage:
    url: str
    width: int
    height: int
    alt: str = ""


def _site_image(path, size, alt=""):
    width, height = (int(number) for number in size.lower().split("x"))
    url = path if path.startswith(("https://", "http://")) else static(path)
    return SiteImage(asset_url(url), width, height, alt)


def site_logo():
    return _site_image(settings.SITE_LOGO, settings.SITE_LOGO_SIZE, settings.SITE_NAME)


def default_social_image():
    return _site_image(
        settings.SITE_DEFAULT_IMAGE,
        settings.SITE_DEFAULT_IMAGE_SIZE,
        settings.SITE_DEFAULT_IMAGE_ALT,
    )
