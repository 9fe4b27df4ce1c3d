"""The trust pages every public page links to in its footer.

Read from the database when a page renders (one small query): rendered pages are cached by
page delivery, which the `site` tag keeps fresh when a trust page changes. A copy in a
process's memory could never learn of an edit made through another worker.
"""

from django.db import DatabaseError

from .models import SitePage


def footer_links():
    """[(title, path)] of the trust pages, in the order of SitePage.Kind."""
    order = list(SitePage.Kind.values)
    try:
        pages = list(SitePage.objects.only("kind", "title"))
    except DatabaseError:
        return []  # an error page during an outage still renders, without the links
    pages.sort(key=lambda page: order.index(page.kind))
    return [(page.title, page.get_absolute_url()) for page in pages]


def page_urls():
    """{kind: absolute URL} of the trust pages that exist, for the publisher's JSON-LD."""
    from .canonical import absolute_url

    try:
        kinds = list(SitePage.objects.values_list("kind", flat=True))
    except DatabaseError:
        return {}  # as the footer: left out during an outage
    return {kind: absolute_url(SitePage(kind=kind).get_absolute_url()) for kind in kinds}
