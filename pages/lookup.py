"""Finding a cached page that is still true, shared by the middleware and the decorator."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError

from . import changes, entries, store, stored, versions

logger = logging.getLogger(__name__)

TRUSTED_PAGES = 2000

# key -> (generation, page, monotonic deadline): pages this process found current when the
# database's generation was `generation`. Served without a query while the host's change word
# still holds that generation (pages/changes.py says why that is safe).
_trusted = {}


def find_page(request, spec, key, kwargs, now):
    """(page, kept): the page to serve, from the page cache or else from the copy kept in the
    database (then cached), or None; and the view's Kept, where a render of it is to be kept."""
    caching = settings.PAGE_CACHE_SECONDS > 0
    if caching:
        page = fresh_page(key, now)
        if page is not None:
            return page, None
    # With a page cache, the kept page is read whole, to be cached for every client; without
    # one, each request reads only the body it sends.
    encoding = None if caching else entries.preferred_encoding(request)
    kept = stored.find(request, spec, kwargs, now, encoding)
    if kept is None or kept.page is None:
        return None, kept
    if caching:
        remember(key, kept.page, now)
    return kept.page, kept


def fresh_page(key, now):
    """The cached page under `key` if every tag it shows is at the version it was rendered under.

    One indexed query per hit, unless this process already checked the page and nothing on the
    host has changed since. The versions live in the database, which every process and instance
    shares, so no process trusts its own memory about what has changed. While the database
    cannot answer, nothing can commit a change either: the cached page is served.
    """
    generation = changes.current()
    if generation is not None:
        page = _trusted_page(key, generation, now)
        if page is not None:
            return page
    page = store.get(key)
    if page is None:
        return None
    try:
        current = versions.current(page.tags)
    except DatabaseError as error:
        logger.warning("Tag versions unreadable; serving the cached page: %r", error)
        return page if page.valid_until is None or page.valid_until > now else None
    if not page.is_current(current, now):
        return None
    if generation is not None:
        _trust(key, current.get(changes.GENERATION_TAG, 0), page)
    return page


def _trusted_page(key, generation, now):
    found = _trusted.get(key)
    if found is None:
        return None
    trusted_generation, page, deadline = found
    if trusted_generation != generation or deadline < time.monotonic():
        return None
    if page.valid_until is not None and page.valid_until <= now:
        return None
    return page


def _trust(key, generation, page):
    if len(_trusted) >= TRUSTED_PAGES:
        _trusted.clear()
    # No longer than the cache itself would keep it.
    _trusted[key] = (generation, page, time.monotonic() + settings.PAGE_CACHE_SECONDS)


def remember(key, page, now):
    """Put a page found or rendered current into the page cache, for no longer than it holds."""
    timeout = settings.PAGE_CACHE_SECONDS
    if page.valid_until is not None:
        timeout = min(timeout, int((page.valid_until - now).total_seconds()))
    if timeout > 0:
        store.put(key, page, timeout)
        forget(key)


def forget(key=None):
    """Drop this process's trust in one page (it was just stored anew) or in all of them."""
    if key is None:
        _trusted.clear()
    else:
        _trusted.pop(key, None)
