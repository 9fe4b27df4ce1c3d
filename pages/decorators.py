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
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.models import Article

from . import entries, store, tags, versions
from . import stored as stored_pages
from .keys import PageSpec, page_key, variant
from .lookup import forget, fresh_page


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


def _timeout(now, valid_until):
    timeout = settings.PAGE_CACHE_SECONDS
    if valid_until is not None:
        timeout = min(timeout, int((valid_until - now).total_seconds()))
    return timeout


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
        if getattr(request, "page_cache_missed", None) != key:
            page = fresh_page(key, now)
            if page is not None:
                return entries.respond(request, page, now)

        found = None
        # Only the HTML variant is stored; the Markdown form renders from the rows.
        if spec.stored and variant(request) == "html":
            if spec.stored == "article":
                found = stored_pages.lookup(kwargs["slug"], now)
            else:
                found = stored_pages.lookup_listing(page_key(request, spec, release=False))
            if found is not None and found[1] is not None:
                html, gzip, brotli, stored_versions, stored_until, last_modified, headers = found[1]
                current = versions.current(stored_versions)
                response = HttpResponse(html, headers=headers)
                response["Last-Modified"] = last_modified
                page = entries.build(
                    response,
                    stored_versions,
                    stored_versions,
                    stored_until,
                    now,
                    bodies=stored_pages.bodies(html, gzip, brotli),
                )
                if page.is_current(current, now):
                    if (timeout := _timeout(now, stored_until)) > 0:
                        store.put(key, page, timeout)
                        forget(key)
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
        timeout = _timeout(now, valid_until)
        if timeout > 0:
            store.put(key, page, timeout)
            forget(key)
        if spec.stored and found is not None and (valid_until is None or valid_until > now):
            # Checked like a cache entry, whatever its lifetime.
            if spec.stored == "article":
                stored_pages.save(found[0], page)
            else:
                stored_pages.save_listing(found[0], page, request.get_full_path())
        return entries.respond(request, page, now)

    wrapper.page_spec = spec
    return wrapper
