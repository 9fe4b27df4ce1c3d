from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from pages.decorators import cache_public_page

from . import feeds, views
from .sitemaps import SITEMAPS


def stored_listing(view, params=()):
    """Feeds and sitemaps, kept in the database too: a cold cache costs a query, not a render."""
    return cache_public_page(view, params=params, stored="listing")


class UnicodeSlugConverter:
    """Slugs in any script (allow_unicode=True); anything else never reaches a query."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<uslug:slug>/", views.article_detail, name="detail"),
    path("news/<uslug:slug>.md", views.article_markdown, name="markdown"),
    # Without the trailing slash: one 301 straight to the canonical address.
    path("news/<uslug:slug>", views.article_without_slash),
    path("section/<uslug:slug>/", views.section, name="section"),
    path("author/<uslug:slug>/", views.author, name="author"),
    path("feed/", stored_listing(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", stored_listing(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("section/<uslug:slug>/feed/", stored_listing(feeds.SectionFeed()), name="section-feed"),
    path(
        "section/<uslug:slug>/feed/atom/",
        stored_listing(feeds.SectionAtomFeed()),
        name="section-feed-atom",
    ),
    path("author/<uslug:slug>/feed/", stored_listing(feeds.AuthorFeed()), name="author-feed"),
    path(
        "author/<uslug:slug>/feed/atom/",
        stored_listing(feeds.AuthorAtomFeed()),
        name="author-feed-atom",
    ),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        stored_listing(sitemap_views.sitemap, params=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("llms.txt", views.llms_txt, name="llms"),
    path("llms-full.txt", views.llms_full_txt, name="llms-full"),
    path("about/<slug:kind>/", views.site_page, name="site-page"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:token>/", views.shared_preview, name="shared-preview"),
    path("search/", views.search, name="search"),
]
