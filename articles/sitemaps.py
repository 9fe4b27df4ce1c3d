"""Sitemaps with Django's framework, every <loc> on SITE_URL whatever host was asked."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from .models import Article, Author, Section

NEWS_SITEMAP_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most this many URLs per sitemap


def sitemap_articles():
    """Published articles whose canonical address is here (not those first published elsewhere)."""
    return Article.objects.published().filter(canonical_url="")


class SiteURLSitemap(Sitemap):
    """The framework joins protocol, domain and location(); we give it SITE_URL's origin instead
    of the request's host or django.contrib.sites, so <loc> equals absolute_url(location)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteURLSitemap):
    def items(self):
        return sitemap_articles().only("slug", "updated_at", "published_at")

    def lastmod(self, article):
        return article.modified_at

    def get_latest_lastmod(self):
        # One aggregate instead of the framework's walk over every item.
        latest = sitemap_articles().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return max(filter(None, latest.values()), default=None)


class SectionSitemap(SiteURLSitemap):
    def items(self):
        return (
            Section.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__updated_at"))
            .order_by("pk")
        )

    def lastmod(self, section):
        return section.latest


class AuthorSitemap(SiteURLSitemap):
    def items(self):
        return (
            Author.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__updated_at"))
            .order_by("pk")
        )

    def lastmod(self, author):
        return author.latest


class HomeSitemap(SiteURLSitemap):
    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return sitemap_articles().aggregate(latest=Max("updated_at"))["latest"]

    def get_latest_lastmod(self):
        return self.lastmod("articles:home")


class NewsSitemap(ArticleSitemap):
    """Google News: articles published in the last two days, and live coverage (live/) for as
    long as it runs, however long ago it was published; rendered by sitemaps/news.xml."""

    limit = NEWS_SITEMAP_LIMIT

    def items(self):
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        running = Q(coverage__isnull=False, coverage__ended_at__isnull=True)
        return (
            sitemap_articles()
            .filter(Q(published_at__gte=since) | running)
            .only("slug", "title", "updated_at", "published_at")
        )


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}
