"""The cache that holds rendered pages; any error it raises is a miss, never a 500.

A full Redis (maxmemory with noeviction answers every write with an error), a lost connection,
a backend that cannot pickle: each is logged and the page is served uncached.
"""

import logging

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def get(key):
    try:
        return page_cache().get(key)
    except Exception as error:
        logger.warning("Page cache read failed; serving uncached: %r", error)
        return None


def put(key, entry, timeout):
    try:
        page_cache().set(key, entry, timeout)
    except Exception as error:
        logger.warning("Page cache write failed; page not stored: %r", error)
