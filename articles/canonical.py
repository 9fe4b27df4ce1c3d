"""The one place that turns a site path into an absolute URL."""

from django.conf import settings


def absolute_url(path):
    return settings.SITE_URL + path
