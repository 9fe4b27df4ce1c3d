"""Page delivery's middleware.

PageCacheMiddleware serves public pages for readers before the session, CSRF and auth layers
run: from the page cache, or else from the copy kept in the database, when either is still true.
ExplicitCacheControlMiddleware, outermost, gives every redirect and error that says nothing
about caching `Cache-Control: no-store`: the HTTPS redirect, a slug's 301, an embargoed
article's 404 must never be kept by a shared cache past the moment they stop being true.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import Resolver404, resolve
from django.utils import timezone

from insidersfeed.outage import answer_outage

from . import entries
from .keys import page_key
from .lookup import find_page


def _is_reader(request):
    # Only a session cookie can make someone logged in; without one, no session lookup.
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_reader(request):
            response = self.cached_response(request)
            if response is not None:
                return response
        return self.get_response(request)

    def cached_response(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        spec = getattr(match.func, "page_spec", None)
        if spec is None:
            return None
        try:
            key = page_key(request, spec)
        except Exception:
            return None
        now = timezone.now()
        try:
            page, kept = find_page(request, spec, key, match.kwargs, now)
        except (OperationalError, InterfaceError) as error:
            # Here, before any view, the outage middleware cannot see the error: answer as it would.
            return answer_outage(request, error)
        if page is None:
            # The view's decorator need not look again: it renders, and keeps the render.
            request.page_cache_missed = (key, kept)
            return None
        return entries.respond(request, page, now)


class ExplicitCacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        answered = response.status_code >= 300 and response.status_code != 304
        if answered and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
