"""One Atom feed per live article: an entry per update, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles import ai_preferences
from articles.canonical import absolute_links, absolute_url
from articles.feeds import FEED_SIZE, FullContentAtomFeed, to_the_second
from articles.models import Article

from .pages import coverage_of


def permalink(update, article):
    return absolute_url(reverse("live:live-update", args=[article.slug, update.pk]))


class LiveUpdatesFeed(Feed):
    feed_type = FullContentAtomFeed

    def get_object(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        coverage = coverage_of(article)
        if coverage is None:
            raise Http404("This article has no live updates.")
        article.ai_preferences = ai_preferences.article_preferences(article)
        return article

    def title(self, article):
        return f"{article.title} — live updates — {settings.SITE_NAME}"

    def subtitle(self, article):
        return article.standfirst

    def link(self, article):
        return article.get_site_url()

    def feed_url(self, article):
        return absolute_url(reverse("live:live-feed", args=[article.slug]))

    def items(self, article):
        updates = list(article.coverage.updates.for_page()[:FEED_SIZE])
        for update in updates:
            update.article = article
        return updates

    def item_title(self, update):
        return update.headline or update.excerpt

    def item_description(self, update):
        return None

    def item_link(self, update):
        return permalink(update, update.article)

    def item_guid(self, update):
        return permalink(update, update.article)

    def item_pubdate(self, update):
        return to_the_second(update.published_at)

    def item_updateddate(self, update):
        return to_the_second(update.published_at)

    def item_author_name(self, update):
        names = [author.name for author in update.authors.all()]
        return ", ".join(names) or f"The {settings.SITE_NAME} newsroom"

    def item_author_link(self, update):
        authors = update.authors.all()
        return absolute_url(authors[0].get_absolute_url()) if authors else None

    def item_extra_kwargs(self, update):
        page_url = update.article.get_site_url()
        return {
            "content_html": absolute_links(update.body_html, page_url),
            "ai_preferences": update.article.ai_preferences,
        }
