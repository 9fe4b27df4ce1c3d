"""Content negotiation on the article address: HTML for browsers, Markdown when asked for."""

MARKDOWN = "text/markdown"
OFFERED = ["text/html", MARKDOWN]  # HTML first: it wins ties and */*


def prefers_markdown(request):
    """True when the Accept header ranks text/markdown above text/html."""
    if MARKDOWN not in request.META.get("HTTP_ACCEPT", ""):
        return False  # the common case, without parsing the header
    return request.get_preferred_type(OFFERED) == MARKDOWN
