"""Sitemaps, the Google News sitemap and robots.txt, read with an XML parser."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from articles.templatetags.iso_dates import iso8601

from .factories import ArticleFactory, AuthorFactory, SectionFactory
from .pages import path_of
from .pages import xml_document as xml

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def sitemap_locs(client, settings):
    """Every page URL reachable from /sitemap.xml, with its lastmod."""
    index = xml(client.get("/sitemap.xml", headers={"host": "localhost"}))
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    urls = {}
    for sitemap_loc in index.findall("s:sitemap/s:loc", NS):
        urlset = xml(client.get(path_of(sitemap_loc.text, settings)))
        for url in urlset.findall("s:url", NS):
            urls[url.find("s:loc", NS).text] = url.find("s:lastmod", NS).text
    return urls


def test_sitemap_lists_published_articles_sections_authors_and_home(client, settings):
    author = AuthorFactory(slug="maya")
    section = SectionFactory(slug="city")
    article = ArticleFactory(slug="live", section=section, authors=[author])
    ArticleFactory(slug="draft-one", draft=True, section=SectionFactory(slug="empty"))
    ArticleFactory(slug="later", scheduled=True)
    ArticleFactory(slug="elsewhere", canonical_url="https://other.example/story")

    urls = sitemap_locs(client, settings)
    # The article first published elsewhere is left out; its section and author are not.
    elsewhere = Article.objects.get(slug="elsewhere")
    assert set(urls) == {
        f"{SITE}/",
        f"{SITE}/news/live/",
        f"{SITE}/section/city/",
        f"{SITE}/author/maya/",
        SITE + elsewhere.section.get_absolute_url(),
        *[SITE + author.get_absolute_url() for author in elsewhere.authors.all()],
    }
    assert urls[f"{SITE}/news/live/"] == iso8601(article.modified_at)


def test_every_sitemap_loc_answers_200(client, settings):
    ArticleFactory.create_batch(3)
    urls = sitemap_locs(client, settings)
    assert len(urls) == 1 + 3 + 3 + 3
    for url in urls:
        assert client.get(path_of(url, settings)).status_code == 200, url


def test_sitemap_splits_into_pages_listed_in_the_index(client, settings, monkeypatch):
    assert ArticleSitemap.limit == 50_000  # the protocol's limit, lowered here to test the split
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    ArticleFactory.create_batch(5)
    index = xml(client.get("/sitemap.xml"))
    locs = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    article_pages = [loc for loc in locs if "sitemap-articles" in loc]
    assert article_pages == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
        f"{SITE}/sitemap-articles.xml?p=3",
    ]
    sizes = [
        len(xml(client.get(path_of(loc, settings))).findall("s:url", NS)) for loc in article_pages
    ]
    assert sizes == [2, 2, 1]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_news_sitemap_has_the_last_two_days_with_publication_details(client):
    now = timezone.now()
    fresh = ArticleFactory(title="Fresh & <new>", published_at=now - timedelta(hours=5))
    ArticleFactory(published_at=now - timedelta(days=3))
    ArticleFactory(scheduled=True)
    urlset = xml(client.get("/news-sitemap.xml"))
    [url] = urlset.findall("s:url", NS)
    assert url.find("s:loc", NS).text == fresh.get_canonical_url()
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "InsidersFeed"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Fresh & <new>"
    published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.published_at.replace(microsecond=0)


def test_news_language_is_the_iso_639_code(client, settings):
    settings.LANGUAGE_CODE = "en-us"
    ArticleFactory()
    urlset = xml(client.get("/news-sitemap.xml"))
    assert urlset.find("s:url/news:news/news:publication/news:language", NS).text == "en"


@pytest.mark.parametrize("count", [2, 20])
def test_sitemaps_cost_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for _ in range(count):
        ArticleFactory(authors=[AuthorFactory(), AuthorFactory()])
    # Each adds page delivery's reads (the next scheduled time, the stored listing, the
    # listings' version) and the upsert that keeps it.
    with django_assert_num_queries(11):
        client.get("/sitemap.xml")
    for name, queries in [("articles", 6), ("sections", 6), ("authors", 6), ("home", 5)]:
        with django_assert_num_queries(queries):
            assert client.get(f"/sitemap-{name}.xml").status_code == 200
    with django_assert_num_queries(6):
        client.get("/news-sitemap.xml")


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out(client, settings):
    settings.ADMIN_PATH = "newsroom/"
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    everyone = lines[lines.index("User-agent: *") :]
    rules = [line.split(":", 1)[1].strip() for line in everyone if line.startswith("Disallow:")]
    # A custom admin path is not published here.
    assert rules == ["/preview/", "/search"]
    assert not any("newsroom" in line for line in lines)
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [f"{SITE}/sitemap.xml", f"{SITE}/news-sitemap.xml"]
    for url in sitemaps:
        assert client.get(url.removeprefix(SITE)).status_code == 200
