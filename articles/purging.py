"""Tell shared HTTP caches in front of us (Varnish here, a CDN elsewhere) what to drop.

The purger is chosen by settings.CACHE_PURGER (an import path) with CACHE_PURGE_URLS; with none
configured, nothing is sent. A purger has one method, ban(pattern): drop every cached URL whose
path matches the regular expression. A CDN purger (for example one calling Fastly's surrogate-key
or Cloudflare's purge-by-prefix API) implements the same method.
"""

import logging
import re
import urllib.request
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class VarnishPurger:
    """Sends `BAN` requests to each Varnish; our VCL bans objects whose URL matches X-Ban-Url."""

    def __init__(self, urls, timeout=2):
        self.urls, self.timeout = urls, timeout

    def ban(self, pattern):
        unreachable = []
        for url in self.urls:
            # URLs come from settings, never from a request.
            request = urllib.request.Request(url, method="BAN", headers={"X-Ban-Url": pattern})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
            except OSError:
                # A cache we cannot reach holds pages until their s-maxage runs out; say so.
                logger.exception("Could not ban %r at %s", pattern, url)
                unreachable.append(url)
        if unreachable:
            # Raised after trying every cache, so the queue retries the ban later.
            raise OSError(f"could not ban at {', '.join(unreachable)}")


@cache
def get_purger():
    if not settings.CACHE_PURGER:
        return None
    return import_string(settings.CACHE_PURGER)(settings.CACHE_PURGE_URLS)


def ban_pattern(paths):
    """Every page that lists articles (anything outside /news/), plus the given articles' pages."""
    listed = "|".join(re.escape(path.rstrip("/")) + r"(/|\.md)?" for path in paths)
    return r"^/(?!news/)" + (rf"|^({listed})(\?|$)" if listed else "")


def purge_after_commit(articles):
    """Purge what changed once the transaction commits. `None` means: everything."""
    purger = get_purger()
    if purger is None:
        return
    if articles is None:
        pattern = "^/"
    else:
        paths = set()
        for article in articles:
            paths.add(article.get_absolute_url())
            if getattr(article, "slug_before_save", None):
                paths.add(reverse("articles:detail", args=[article.slug_before_save]))
        pattern = ban_pattern(sorted(paths))
    # distribution: the ban goes on the task queue at commit (retried, never blocks the save).
    from distribution.purges import queue_ban

    queue_ban(pattern)
