"""The trust pages every public page links to in its footer, kept in the shared cache."""

from django.core.cache import cache
from django.db import DatabaseError

from .models import SitePage

FOOTER_KEY = "site-pages:footer"


def footer_links():
    """[(title, path)] of the trust pages, in the order of SitePage.Kind."""
    links = cache.get(FOOTER_KEY)
    if links is None:
        order = list(SitePage.Kind.values)
        try:
            pages = list(SitePage.objects.only("kind", "title"))
            pages.sort(key=lambda page: order.index(page.kind))
        except DatabaseError:
            return []  # an error page during an outage still renders, without the links
        links = [(page.title, page.get_absolute_url()) for page in pages]
        cache.set(FOOTER_KEY, links, timeout=None)
    return links


def forget_footer_links():
    cache.delete(FOOTER_KEY)


def page_urls():
    """{kind: absolute URL} of the trust pages that exist, for the publisher's JSON-LD."""
    from .canonical import absolute_url

    by_path = {path: title for title, path in footer_links()}
    return {
        kind: absolute_url(SitePage(kind=kind).get_absolute_url())
        for kind in SitePage.Kind.values
        if SitePage(kind=kind).get_absolute_url() in by_path
    }
