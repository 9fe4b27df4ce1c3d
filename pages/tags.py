"""Cache tags: which pages show what.

  article-<pk>  the article's page, its .md form and its old addresses
  section-<pk>  the section's page and feeds, and the pages of its articles (related stories)
  author-<pk>   the author's page and feeds, and the pages of their articles (byline)
  listings      the home page, site feeds, sitemaps, search, corrections and llms.txt
  site          every page: the header's sections, the footer's trust pages and the site's
                AI-use preferences

A change touches the tags of what it changes; each page carries the tags of what it shows.
The same names go out as Surrogate-Key / Cache-Tag / xkey headers for Varnish or a CDN.
"""

import re

from articles.models import Article, Author, Section

LISTINGS = "listings"
SITE = "site"
VALID_TAG = re.compile(r"^[a-z]+(-[0-9]+)?$")

# Live coverage's older pages, feed and JSON show the article's updates (live/urls.py).
ARTICLE_VIEWS = {"detail", "markdown", "live-page", "live-json", "live-feed"}
SECTION_VIEWS = {"section", "section-feed", "section-feed-atom"}
AUTHOR_VIEWS = {"author", "author-feed", "author-feed-atom"}


def article(pk):
    return f"article-{pk}"


def section(pk):
    return f"section-{pk}"


def author(pk):
    return f"author-{pk}"


def of_articles(pks):
    """Every tag an article's change touches: itself, its section, its authors, the listings."""
    pks = list(pks)
    if not pks:
        return set()
    tags = {LISTINGS, *map(article, pks)}
    rows = Article.objects.filter(pk__in=pks).values_list("section_id", flat=True)
    tags.update(section(pk) for pk in rows if pk is not None)
    byline = Article.authors.through.objects.filter(article_id__in=pks)
    tags.update(author(pk) for pk in byline.values_list("author_id", flat=True))
    return tags


def of_sections(pks):
    """A section's name shows on its articles, its page, the listings and its authors' pages."""
    pks = list(pks)
    byline = Article.authors.through.objects.filter(article__section_id__in=pks)
    return {
        LISTINGS,
        *map(section, pks),
        *map(author, byline.values_list("author_id", flat=True).distinct()),
    }


def of_authors(pks):
    """A byline shows on the author's articles, their page, the listings and sections' pages."""
    pks = list(pks)
    sections = Article.objects.filter(authors__in=pks, section__isnull=False)
    return {
        LISTINGS,
        *map(author, pks),
        *map(section, sections.values_list("section_id", flat=True).distinct()),
    }


def for_view(url_name, kwargs):
    """The tags of the page a view is about to render (read before it renders)."""
    return {SITE, *_own_tags(url_name, kwargs)}


def _own_tags(url_name, kwargs):
    slug = kwargs.get("slug")
    if url_name in ARTICLE_VIEWS:
        row = Article.objects.filter(slug=slug).values_list("pk", "section_id").first()
        if row is None:
            return {LISTINGS}  # not a page we store: a redirect, 404 or 410
        pk, section_pk = row
        byline = Article.authors.through.objects.filter(article_id=pk)
        tags = {article(pk), *map(author, byline.values_list("author_id", flat=True))}
        return tags | ({section(section_pk)} if section_pk else set())
    if url_name in SECTION_VIEWS:
        pk = Section.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return {section(pk)} if pk else {LISTINGS}
    if url_name in AUTHOR_VIEWS:
        pk = Author.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return {author(pk)} if pk else {LISTINGS}
    return {LISTINGS}
