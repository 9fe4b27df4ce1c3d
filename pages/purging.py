"""Tell shared HTTP caches in front of us (Varnish here, a CDN elsewhere) what to drop.

The purger is chosen by settings.CACHE_PURGER (an import path) with CACHE_PURGE_URLS; with none
configured, nothing is sent. A purger has one method, purge(tags): drop every cached response
whose Surrogate-Key names one of the tags. Varnish does it with xkey (deploy/varnish.vcl); a CDN
purger (Fastly's surrogate keys, Cloudflare's cache tags) implements the same method.
"""

import logging
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .tags import VALID_TAG

logger = logging.getLogger(__name__)


class VarnishPurger:
    """Sends `PURGE` with the tags in `xkey-purge` to each Varnish (vmod xkey drops them)."""

    def __init__(self, urls, timeout=2):
        self.urls, self.timeout = urls, timeout

    def purge(self, tags):
        tags = sorted(tag for tag in tags if VALID_TAG.match(tag))
        if not tags:
            return
        unreachable = []
        for url in self.urls:
            # URLs come from settings, never from a request.
            request = urllib.request.Request(  # noqa: S310
                url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
            except OSError:
                logger.warning("Could not purge %s at %s; the queue retries it", tags, url)
                unreachable.append(url)
        if unreachable:
            # Raised after trying every cache, so the queue retries the purge later.
            raise OSError(f"could not purge at {', '.join(unreachable)}")


@cache
def get_purger():
    if not settings.CACHE_PURGER:
        return None
    return import_string(settings.CACHE_PURGER)(settings.CACHE_PURGE_URLS)


def purge_after_commit(tags):
    """Queue a purge of these tags for when the change commits; the worker sends it, retried
    with backoff until every cache has it. Readers behind the cache see the old page until the
    worker picks it up (its poll interval, a second by default; purges run before other tasks)."""
    if get_purger() is None or not tags:
        return
    from distribution.purges import queue_purge

    queue_purge(tags)
