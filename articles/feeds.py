"""RSS 2.0 and Atom feeds with Django's syndication framework: full content, canonical links."""

import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from . import ai_preferences
from .canonical import absolute_links, absolute_url
from .models import Article, Author, Section
from .validators import xml_text

FEED_SIZE = 50
MEDIA_RSS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True)
class FeedPicture:
    """An entry's lead image, as the wide crop feed readers show above the entry (or the
    original while the crops are not made yet). Every URL absolute."""

    url: str
    media_type: str
    length: int
    width: int
    height: int
    description: str
    credit: str

    @classmethod
    def of(cls, image):
        if image is None:
            return None
        text = {"description": xml_text(image.description), "credit": xml_text(image.credit)}
        rendition = image.best("16:9")
        if rendition is None:
            return cls(image.url, _media_type(image.file.name), _size(image.file),
                       image.width, image.height, **text)  # fmt: skip
        return cls(rendition.url, rendition.media_type, rendition.bytes, rendition.width,
                   rendition.height, **text)  # fmt: skip

    def media_content_attributes(self):
        return {"url": self.url, "type": self.media_type, "medium": "image",
                "fileSize": str(self.length), "width": str(self.width),
                "height": str(self.height)}  # fmt: skip

    def enclosure_attributes(self):
        return {"rel": "enclosure", "href": self.url, "type": self.media_type,
                "length": str(self.length)}  # fmt: skip


def _media_type(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _size(stored):
    try:
        return stored.size
    except OSError:  # a missing file: the feed still lists the entry
        return 0


def as_html_text(value):
    """Plain text as HTML text: only the characters HTML needs escaped, once. Quotes and
    apostrophes stay as they are, so a reader that shows the field as text shows them too."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_the_second(value):
    return value.replace(microsecond=0) if value else value


def _xml_safe(value):
    if isinstance(value, (list, tuple)):
        return [xml_text(item) for item in value]
    return xml_text(value)


class XmlTextMixin:
    """Every string the feed writes is one XML can carry (Django's XML writer raises on a
    control character, which would make the whole feed a 500)."""

    def __init__(self, *args, **kwargs):
        args = [_xml_safe(value) for value in args]
        super().__init__(*args, **{name: _xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        args = [_xml_safe(value) for value in args]
        super().add_item(*args, **{name: _xml_safe(value) for name, value in kwargs.items()})


class ContentUsageMixin:
    """The response promises only what every listed article and the site allow."""

    def write(self, outfile, encoding):
        listed = [item["ai_preferences"] for item in self.items]
        usage = ai_preferences.strictest([ai_preferences.site_preferences(), *listed])
        outfile["Content-Usage"] = usage.content_usage()
        super().write(outfile, encoding)


class FullContentRssFeed(XmlTextMixin, ContentUsageMixin, Rss201rev2Feed):
    """RSS with the whole article in <content:encoded>; <description> keeps the standfirst.

    Readers take RSS titles and descriptions as HTML, so plain text is escaped for HTML once.
    """

    text = staticmethod(as_html_text)

    def root_attributes(self):
        return {
            **super().root_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_RSS,
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
        picture = item.get("lead_image")  # feeds of other things (live updates) have none
        if picture is not None:
            handler.startElement("media:content", picture.media_content_attributes())
            if picture.description:
                handler.addQuickElement("media:description", picture.description, {"type": "plain"})
            if picture.credit:
                handler.addQuickElement("media:credit", picture.credit)
            handler.endElement("media:content")


class FullContentAtomFeed(XmlTextMixin, ContentUsageMixin, Atom1Feed):
    """Atom with the whole article in <content type="html">; <summary type="text"> keeps the
    standfirst. Atom says what each field is, so plain text goes out as text."""

    text = staticmethod(str)

    def add_root_elements(self, handler):
        super().add_root_elements(handler)  # includes <link rel="self">
        if settings.WEBSUB_HUB_URL:  # distribution: feed readers may subscribe at the hub
            handler.addQuickElement("link", "", {"rel": "hub", "href": settings.WEBSUB_HUB_URL})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        picture = item.get("lead_image")  # feeds of other things (live updates) have none
        if picture is not None:
            handler.addQuickElement("link", "", picture.enclosure_attributes())

    def latest_post_date(self):
        # With no entries the framework says "now", to the microsecond.
        return to_the_second(super().latest_post_date())


class LatestArticlesFeed(Feed):
    feed_type = FullContentRssFeed
    url_name = "articles:feed"

    def title(self):
        return self.feed_type.text(settings.SITE_NAME)

    def description(self):
        return self.feed_type.text(settings.SITE_DESCRIPTION)

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
        articles = list(self.articles(obj).for_listing().prefetch_related("callouts")[:FEED_SIZE])
        site = ai_preferences.site_preferences()  # read once, not once per entry
        for article in articles:
            article.ai_preferences = ai_preferences.article_preferences(article, site)
        return articles

    def item_title(self, article):
        return self.feed_type.text(article.title)

    def item_description(self, article):
        return self.feed_type.text(article.standfirst)

    def item_link(self, article):
        return article.get_canonical_url()

    def item_guid(self, article):
        return article.get_canonical_url()

    def item_pubdate(self, article):
        return to_the_second(article.published_at)

    def item_updateddate(self, article):
        return to_the_second(article.modified_at)

    def item_author_name(self, article):
        names = [author.name for author in article.authors.all()]
        return ", ".join(names) or f"The {settings.SITE_NAME} newsroom"

    def item_author_link(self, article):
        authors = article.authors.all()
        return absolute_url(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, article):
        return [article.section.name] if article.section else []

    def item_extra_kwargs(self, article):
        # Composed from the body and its callouts (prefetched) as the feed renders.
        return {
            "content_html": absolute_links(article.body_html, article.get_canonical_url()),
            "ai_preferences": article.ai_preferences,
            "lead_image": FeedPicture.of(article.lead_image),
        }


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
        return self.feed_type.text(f"{section.name} — {settings.SITE_NAME}")

    def description(self, section):
        return self.feed_type.text(
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
        return self.feed_type.text(f"{author.name} — {settings.SITE_NAME}")

    def description(self, author):
        return self.feed_type.text(f"The latest stories by {author.name} for {settings.SITE_NAME}.")

    subtitle = description

    def link(self, author):
        return absolute_url(author.get_absolute_url())

    def articles(self, author):
        return Article.objects.published().filter(authors=author)


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:author-feed-atom"
