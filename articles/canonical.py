"""The one place that turns a site path into an absolute URL."""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static


def absolute_url(path):
    return settings.SITE_URL + path


def asset_url(url):
    """An uploaded or static file's URL made absolute, unless storage already made it so."""
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


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
