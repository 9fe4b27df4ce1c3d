"""An article's public page as HTML, from the template alone: nothing in it depends on the
request, so the page-delivery app may keep it and serve it to every reader."""

from django.template.loader import render_to_string

from live.pages import live_page, mark_up

from .context_processors import site
from .structured_data import article_graph, json_ld_script


def render_article_page(article, preview=False, live_number=1):
    """The page; with live coverage, its updates (page `live_number` of them: 404 past the end)."""
    live = live_page(article, live_number)
    structured_data = ""  # a preview is not for crawlers: no structured data
    if not preview:
        graph = article_graph(article)
        structured_data = json_ld_script(mark_up(graph, live) if live else graph)
    context = {
        **site(None),
        "article": article,
        "preview": preview,
        "live": live,
        "related": article.related(),
        "structured_data": structured_data,
    }
    return render_to_string("articles/article_detail.html", context)
