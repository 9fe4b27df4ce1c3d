"""A cached page: the response's bytes compressed once (gzip, Brotli), its headers, its tags and
the tag versions it was rendered under; and how it becomes a response again."""

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import brotli
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

# Response headers a cached page keeps (Content-Type, Link, X-Robots-Tag...); these it makes anew.
REBUILT_HEADERS = {
    "cache-control", "etag", "last-modified", "vary", "set-cookie", "content-length",
    "content-encoding", "surrogate-key", "cache-tag",
}  # fmt: skip
# A page that changes by the minute (running live coverage) caps its own lifetime in browsers and
# shared caches with this header, in seconds: kept with the page, never sent.
MAX_AGE_HEADER = "X-Page-Max-Age"
COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
MIN_COMPRESS_BYTES = 256


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: dict
    bodies: dict  # encoding ("identity", "gzip", "br") -> bytes
    digest: str
    last_modified: datetime
    vary: tuple
    tags: tuple
    versions: dict  # tag -> version (None: never changed)
    valid_until: datetime | None

    def is_current(self, versions, now):
        if self.valid_until is not None and self.valid_until <= now:
            return False
        return {tag: versions.get(tag) for tag in self.tags} == self.versions


def compress(content, content_type):
    bodies = {"identity": content}
    if len(content) >= MIN_COMPRESS_BYTES and content_type.startswith(COMPRESSIBLE):
        bodies["gzip"] = gzip.compress(content, compresslevel=6, mtime=0)
        bodies["br"] = brotli.compress(content, quality=settings.PAGE_BROTLI_QUALITY)
    return bodies


def build(response, tags, versions, valid_until, fallback_modified, bodies=None):
    """The page to cache from a response; `bodies` when its encodings were made already."""
    timestamp = parse_http_date_safe(response.get("Last-Modified", ""))
    last_modified = datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else fallback_modified
    vary = tuple(
        name.strip() for name in response.get("Vary", "").split(",") if name.strip()
    )  # the view's own Vary (Accept, for a negotiated Markdown variant)
    headers = {
        name: value for name, value in response.items() if name.lower() not in REBUILT_HEADERS
    }
    tags = tuple(sorted(tags))
    return CachedPage(
        status=response.status_code,
        headers=headers,
        bodies=bodies or compress(response.content, response.get("Content-Type", "")),
        digest=hashlib.sha1(response.content, usedforsecurity=False).hexdigest(),
        last_modified=last_modified.replace(microsecond=0),
        vary=vary,
        tags=tags,
        versions={tag: versions.get(tag) for tag in tags},
        valid_until=valid_until,
    )


def preferred_encoding(request):
    """The encoding a page kept in every encoding is sent to this client in."""
    return accepted_encoding(request, ("br", "gzip"))


def accepted_encoding(request, bodies):
    """Brotli, then gzip, when the client accepts it (q=0 refuses) and `bodies` has it; else the
    plain bytes."""
    accepted = _accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    for encoding in ("br", "gzip"):
        if encoding in bodies and (encoding in accepted or "*" in accepted):
            return encoding
    return "identity"


@lru_cache(maxsize=256)
def _accepted(header):
    """The encodings an Accept-Encoding header accepts: clients send few distinct headers."""
    accepted = set()
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip())
    return frozenset(accepted)


def shared_cache_control(now, valid_until, max_age=None):
    """Cache-Control for browsers, CDNs and proxies; shorter when a scheduled story is due, and
    then with no stale-while-revalidate: a stale copy served past go-live would hide the story.
    `max_age` (the page's own MAX_AGE_HEADER) caps every lifetime."""
    shared = settings.PAGE_SHARED_MAX_AGE
    revalidate = settings.PAGE_STALE_WHILE_REVALIDATE
    if max_age is not None:
        shared, revalidate = min(shared, max_age), min(revalidate, max_age)
    if valid_until is not None:
        until = max(0, int((valid_until - now).total_seconds()))
        if until < shared + revalidate:
            shared, revalidate = min(shared, until), 0
    return (
        f"public, max-age={min(settings.PAGE_BROWSER_MAX_AGE, shared)}, s-maxage={shared}, "
        f"stale-while-revalidate={revalidate}, stale-if-error={settings.PAGE_STALE_IF_ERROR}"
    )


def respond(request, page, now):
    encoding = accepted_encoding(request, page.bodies)
    headers = dict(page.headers)
    max_age = headers.pop(MAX_AGE_HEADER, None)
    response = HttpResponse(page.bodies[encoding], status=page.status, headers=headers)
    etag = f'"{page.digest}"' if encoding == "identity" else f'"{page.digest}-{encoding}"'
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Last-Modified"] = http_date(page.last_modified.timestamp())
    vary = [*page.vary, "Accept-Encoding"] if len(page.bodies) > 1 else list(page.vary)
    if vary:
        response["Vary"] = ", ".join(dict.fromkeys(vary))
    response["Cache-Control"] = shared_cache_control(
        now, page.valid_until, int(max_age) if max_age else None
    )
    if page.tags:
        response["Surrogate-Key"] = " ".join(page.tags)
        response["Cache-Tag"] = ",".join(page.tags)
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(
            request, etag=etag, last_modified=page.last_modified.timestamp(), response=response
        )
    return response
