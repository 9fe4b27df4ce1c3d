"""Finding a cached page that is still true, shared by the middleware and the decorator."""

import logging

from django.db import DatabaseError

from . import store, versions

logger = logging.getLogger(__name__)


def fresh_page(key, now):
    """The cached page under `key` if every tag it shows is at the version it was rendered under.

    One indexed query per hit: the versions live in the database, which every process and
    instance shares, so no process trusts its own memory about what has changed. While the
    database cannot answer, nothing can commit a change either: the cached page is served.
    """
    page = store.get(key)
    if page is None:
        return None
    try:
        current = versions.current(page.tags)
    except DatabaseError as error:
        logger.warning("Tag versions unreadable; serving the cached page: %r", error)
        return page if page.valid_until is None or page.valid_until > now else None
    return page if page.is_current(current, now) else None
