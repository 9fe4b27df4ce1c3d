"""`cache_public_page`: the one way a view's page enters the page cache.

    @cache_public_page                       reads no query parameter
    @cache_public_page(params=["page"])      its page depends on ?page= (and nothing else)
    @cache_public_page(stored="article")     an article page, also kept with its row
    @cache_public_page(stored="listing")     a listing page, also kept in the database by key

A request is served from the cache only while every tag the page shows still has the version
it was rendered under (read from the database on each request), while no scheduled story has
gone live since, and while the release is the one that rendered it. Logged-in staff always get a
fresh render that no shared cache may keep.
"""

from functools import partial, wraps

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.models import Article

from . import entries, tags, versions
from . import stored as stored_pages
from .keys import PageSpec, page_key
from .lookup import find_page, remember


def _is_logged_in(request):
    # Only a session cookie can make a reader logged in; without one, skip the session lookup.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _cacheable(response):
    # Only plain 200s; a view that set its own Cache-Control (a preview) keeps it.
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Cache-Control")
    )


def cache_public_page(view=None, *, params=(), stored=""):
    if view is None:
        return partial(cache_public_page, params=params, stored=stored)
    spec = PageSpec(params=tuple(params), stored=stored)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_logged_in(request):
            response = view(request, *args, **kwargs)
            response.headers.pop(entries.MAX_AGE_HEADER, None)  # for cached copies only
            patch_cache_control(response, private=True, no_store=True)
            return response
        now = timezone.now()
        key = page_key(request, spec)
        missed = getattr(request, "page_cache_missed", None)
        if missed is not None and missed[0] == key:
            kept = missed[1]  # the middleware looked in the cache and the database already
        else:
            page, kept = find_page(request, spec, key, kwargs, now)
            if page is not None:
                return entries.respond(request, page, now)

        # The kept page carries its own; a render needs the next scheduled story's time.
        valid_until = Article.objects.next_publish_at()
        # Read before rendering: a change that commits meanwhile leaves this page stale.
        page_tags = tags.for_view(request.resolver_match.url_name, kwargs)
        rendered_under = versions.current(page_tags)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemaps): its bytes are what we keep
        if not _cacheable(response):
            response.headers.pop(entries.MAX_AGE_HEADER, None)
            return response
        page = entries.build(response, page_tags, rendered_under, valid_until, now)
        remember(key, page, now)
        if kept is not None and (valid_until is None or valid_until > now):
            # Checked like a cache entry, whatever its lifetime.
            stored_pages.save(kept, page, request.get_full_path())
        return entries.respond(request, page, now)

    wrapper.page_spec = spec
    return wrapper
