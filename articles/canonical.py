"""The one place that turns a site path into an absolute URL."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static


def absolute_url(path):
    return settings.SITE_URL + path


def asset_url(url):
    """An uploaded or static file's URL made absolute, unless storage already made it so."""
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


# Our HTML (nh3's output and our templates) always double-quotes attribute values.
_SITE_LINK = re.compile(r'\b(href|src)="(/(?!/)[^"]*|#[^"]*)"')


def absolute_links(html, page_url):
    """Links and images of a fragment made absolute, for readers that show it away from our
    pages (feed readers, email): `/media/...` gets the site's address, `#faq` the page's."""

    def absolute(match):
        attribute, target = match.groups()
        base = page_url if target.startswith("#") else settings.SITE_URL
        return f'{attribute}="{base}{target}"'

    return _SITE_LINK.sub(absolute, html)


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
