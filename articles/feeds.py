"""RSS 2.0 and Atom feeds with Django's syndication framework: full content, canonical links."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from .canonical import absolute_url
from .models import Article, Author, Section

FEED_SIZE = 50


class FullContentRssFeed(Rss201rev2Feed):
    """RSS with the whole article in <content:encoded>; <description> keeps the standfirst."""

    def root_attributes(self):
        return {
            **super().root_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)  # includes <atom:link rel="self">
        if settings.WEBSUB_HUB_URL:  # distribution: feed readers may subscribe at the hub
            handler.addQuickElement(
                "atom:link", None, {"rel": "hub", "href": settings.WEBSUB_HUB_URL}
            )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with the whole article in <content type="html">; <summary> keeps the standfirst."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)  # includes <link rel="self">
        if settings.WEBSUB_HUB_URL:  # distribution: feed readers may subscribe at the hub
            handler.addQuickElement("link", "", {"rel": "hub", "href": settings.WEBSUB_HUB_URL})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = FullContentRssFeed
    url_name = "articles:feed"

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return settings.SITE_DESCRIPTION

    subtitle = description

    def link(self):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, args=self.url_args(obj)))

    def url_args(self, obj):
        return []

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).for_listing()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Feed readers show RSS descriptions and Atom summaries as HTML; ours is plain text.
        return escape(article.standfirst)

    def item_link(self, article):
        return article.get_canonical_url()

    def item_guid(self, article):
        return article.get_canonical_url()

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_author_name(self, article):
        names = [author.name for author in article.authors.all()]
        return ", ".join(names) or f"The {settings.SITE_NAME} newsroom"

    def item_author_link(self, article):
        authors = article.authors.all()
        return absolute_url(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, article):
        return [article.section.name] if article.section else []

    def item_extra_kwargs(self, article):
        # body_html is rendered and sanitized once, on save, with the callouts in place.
        return {"content_html": article.body_html}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:feed-atom"


class SectionFeed(LatestArticlesFeed):
    url_name = "articles:section-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def url_args(self, section):
        return [section.slug]

    def title(self, section):
        return f"{section.name} — {settings.SITE_NAME}"

    def description(self, section):
        return escape(
            section.description or f"The latest {section.name} stories from {settings.SITE_NAME}."
        )

    subtitle = description

    def link(self, section):
        return absolute_url(section.get_absolute_url())

    def articles(self, section):
        return Article.objects.published().filter(section=section)


class SectionAtomFeed(SectionFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:section-feed-atom"


class AuthorFeed(LatestArticlesFeed):
    url_name = "articles:author-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def url_args(self, author):
        return [author.slug]

    def title(self, author):
        return f"{author.name} — {settings.SITE_NAME}"

    def description(self, author):
        return escape(f"The latest stories by {author.name} for {settings.SITE_NAME}.")

    subtitle = description

    def link(self, author):
        return absolute_url(author.get_absolute_url())

    def articles(self, author):
        return Article.objects.published().filter(authors=author)


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:author-feed-atom"
