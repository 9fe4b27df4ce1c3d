"""An article's public page as HTML, from the template alone: nothing in it depends on the
request, so the page-delivery app may keep it and serve it to every reader."""

from django.template.loader import render_to_string

from .context_processors import site
from .structured_data import article_graph, json_ld_script


def render_article_page(article, preview=False):
    context = {
        **site(None),
        "article": article,
        "preview": preview,
        "related": article.related(),
        # A preview is not for crawlers: no structured data.
        "structured_data": "" if preview else json_ld_script(article_graph(article)),
    }
    return render_to_string("articles/article_detail.html", context)
