"""The public page cache: rendered pages in Django's cache, shared by every app instance.

Every cached page belongs to a content generation. Any change to what readers can see starts a
new generation, so no stale page is served anywhere after a commit. The shared state also holds
the time the next scheduled article goes live: when it passes, the first request to notice starts
a new generation, so scheduled stories appear on time with no cron or worker.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from .article_pages import mark_stale
from .models import Article
from .negotiation import prefers_markdown

STATE_KEY = "pages:state"
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass(frozen=True)
class ContentState:
    generation: str
    changed_at: datetime
    next_publish_at: datetime | None

    def is_due(self, now):
        return self.next_publish_at is not None and self.next_publish_at <= now

    def seconds_until_next_publish(self, now):
        if self.next_publish_at is None:
            return None
        return max(0, int((self.next_publish_at - now).total_seconds()))


# Response headers a cached page keeps (Content-Type, Link, X-Robots-Tag...); these it makes anew.
# A view's own Vary (Accept on the article address) is kept with the page.
REBUILT_HEADERS = {"cache-control", "etag", "last-modified", "set-cookie", "content-length"}


@dataclass(frozen=True)
class CachedPage:
    generation: str
    status: int
    content: bytes
    headers: dict
    etag: str
    last_modified: datetime


# Pages this process served lately, trusted only while the shared state names their generation:
# a hit then reads the small state from the shared cache, not the page.
_recent_pages = {}


def _recent_page(key, state):
    page = _recent_pages.get(key)
    if page is not None and page.generation == state.generation:
        return page
    page = cache.get(key)
    if page is not None and page.generation == state.generation:
        _remember(key, page)
        return page
    return None


def _remember(key, page):
    _recent_pages.pop(key, None)
    _recent_pages[key] = page
    while len(_recent_pages) > settings.PAGE_LOCAL_ENTRIES:
        del _recent_pages[next(iter(_recent_pages))]  # the oldest first


def content_state(now=None):
    """The shared state, started anew when missing or when a scheduled article has gone live."""
    now = now or timezone.now()
    state = cache.get(STATE_KEY)
    if state is None:
        return new_generation()
    if state.is_due(now):
        went_live(state.next_publish_at, now)
        return new_generation()
    return state


def new_generation():
    """Start a new content generation: every page cached before it is stale from now on."""
    state = ContentState(
        generation=uuid.uuid4().hex,
        changed_at=timezone.now().replace(microsecond=0),
        next_publish_at=Article.objects.next_publish_at(),
    )
    cache.set(STATE_KEY, state, timeout=None)
    return state


def went_live(since, now):
    """Scheduled articles just went live: their sections' stored pages list them as related."""
    sections = Article.objects.filter(published_at__gte=since, published_at__lte=now)
    mark_stale(Article.objects.filter(section__in=sections.values("section")))


def page_key(request):
    url = request.path
    query_string = request.META.get("QUERY_STRING", "")
    if query_string:
        query = [
            (name, value)
            for name, value in parse_qsl(query_string, keep_blank_values=True)
            if not name.startswith(TRACKING_PARAMETERS)
        ]
        if query:
            url += "?" + urlencode(sorted(query))
    if prefers_markdown(request):
        url += "\nAccept: text/markdown"  # the Markdown variant of the same address
    return "page:" + hashlib.sha256(url.encode()).hexdigest()


def _is_logged_in(request):
    # Only a session cookie can make a reader logged in; without one, skip the session lookup.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def shared_cache_control(now, state):
    """Cache-Control for browsers, CDNs and proxies; shorter when a scheduled story is due."""
    shared = settings.PAGE_SHARED_MAX_AGE
    until_publish = state.seconds_until_next_publish(now)
    if until_publish is not None:
        shared = min(shared, until_publish)
    return (
        f"public, max-age={min(settings.PAGE_BROWSER_MAX_AGE, shared)}, s-maxage={shared}, "
        f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PAGE_STALE_IF_ERROR}"
    )


def _last_modified(response):
    """The view's own Last-Modified (an article's update time), if it set one."""
    timestamp = parse_http_date_safe(response.get("Last-Modified", ""))
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def _respond(request, page, now, state):
    # The hot path: headers were prepared when the page was stored.
    response = HttpResponse(page.content, status=page.status, headers=page.headers)
    response["Cache-Control"] = shared_cache_control(now, state)
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(
            request,
            etag=page.etag,
            last_modified=page.last_modified.timestamp(),
            response=response,
        )
    return response


def cached_response(request):
    """The cached page for this request as a response (a 304 when the client has it), or None.

    Reads the caches only, never the database: the middleware sees every request, not only
    pages worth caching, and leaves a missing or due state to the view.
    """
    key = page_key(request)
    if key not in _recent_pages and not cache.has_key(key):
        return None
    now = timezone.now()
    state = cache.get(STATE_KEY)
    if state is None or state.is_due(now):
        return None
    page = _recent_page(key, state)
    return None if page is None else _respond(request, page, now, state)


def _is_reader(request):
    # Only a session cookie can make someone logged in; without one, no session lookup.
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    """Serve cached public pages before the session, CSRF and auth layers run.

    Only pages that a `cache_public_page` view stored are ever found here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_reader(request):
            response = cached_response(request)
            if response is not None:
                return response
        return self.get_response(request)


def cache_public_page(view):
    """Store a public page in the shared page cache, answering 304s without rendering.

    Logged-in staff always get a fresh render that no shared cache may keep.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_logged_in(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response
        now = timezone.now()
        key = page_key(request)
        state = content_state(now)
        page = _recent_page(key, state)
        if page is not None:
            return _respond(request, page, now, state)

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemaps): its bytes are what we keep
        # Only plain 200s; a view that set its own Cache-Control (a preview) keeps it.
        if (
            response.status_code != 200
            or response.streaming
            or response.has_header("Cache-Control")
        ):
            return response
        etag = '"' + hashlib.sha1(response.content, usedforsecurity=False).hexdigest() + '"'
        last_modified = _last_modified(response) or state.changed_at
        headers = {
            name: value for name, value in response.items() if name.lower() not in REBUILT_HEADERS
        }
        headers.update(ETag=etag, **{"Last-Modified": http_date(last_modified.timestamp())})
        page = CachedPage(
            generation=state.generation,
            status=response.status_code,
            content=response.content,
            headers=headers,
            etag=etag,
            last_modified=last_modified,
        )
        timeout = settings.PAGE_CACHE_SECONDS
        until_publish = state.seconds_until_next_publish(now)
        if until_publish is not None:
            timeout = min(timeout, until_publish)
        if timeout > 0:
            cache.set(key, page, timeout)
            _remember(key, page)
        return _respond(request, page, now, state)

    return wrapper


def pages_changed():
    """Call when anything readers see has changed; takes effect when the transaction commits."""
    transaction.on_commit(new_generation)
