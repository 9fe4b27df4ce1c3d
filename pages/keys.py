"""The page cache key: the release, the path, the query parameters the view reads, the variant.

Nothing else from the request goes in: not the Host, not forwarded headers, not parameters the
view never reads (`?x=<random>` shares the page). Values are normalised the way the view reads
them, so `?page=01` and `?page=1` are one page, and a duplicate parameter counts by its last value,
as `request.GET.get` does.
"""

import hashlib
from dataclasses import dataclass

from django.http import Http404

from articles.negotiation import prefers_markdown

from .release import release_id


@dataclass(frozen=True)
class PageSpec:
    """What a cached view declares: the query parameters it reads; whether to keep the page in
    the database too: "article" (with the article's row) or "listing" (by its key)."""

    params: tuple = ()
    stored: str = ""


def _page_number(value):
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise Http404("No such page.")
    return None if int(value) == 1 else str(int(value))  # page 1 is the page without ?page=


NORMALISERS = {
    "page": _page_number,
    "p": _page_number,
    "q": lambda value: " ".join(value.split()),
}


def variant(request):
    """The representation asked for, decided as the article view decides it (and the VCL)."""
    return "markdown" if prefers_markdown(request) else "html"


def page_key(request, spec, *, release=True):
    """The page's key; without the release for a stored listing, which carries its release in
    its row so that a deploy replaces it rather than leaving it behind."""
    parts = [release_id() if release else "", request.path, variant(request)]
    for name in spec.params:
        value = request.GET.get(name)
        if value is not None:
            value = NORMALISERS.get(name, str)(value)
        if value is not None:
            parts.append(f"{name}={value}")
    return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()
