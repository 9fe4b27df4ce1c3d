"""One canonical URL per article, and every other address for it answers with a 301."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.canonical import absolute_link, absolute_links
from articles.models import SlugHistory, Status

from .factories import ArticleFactory, AuthorFactory, SectionFactory
from .pages import node_of, path_of, soup, structured, xml_document

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://news.example.org"


def assert_moved_to(response, url):
    assert response.status_code == 301
    assert response["Location"] == url


def test_changing_a_slug_keeps_every_old_address_as_a_301(client):
    article = ArticleFactory(slug="first")
    for slug in ("second", "third"):
        article.slug = slug
        article.save()
    for old in ("first", "second"):
        assert_moved_to(client.get(f"/news/{old}/"), "https://news.example.org/news/third/")
        assert_moved_to(client.get(f"/news/{old}.md"), "https://news.example.org/news/third.md")
    assert client.get("/news/third/").status_code == 200
    assert set(SlugHistory.objects.values_list("slug", flat=True)) == {"first", "second"}


def test_a_slug_taken_back_or_reused_is_live_again(client):
    article = ArticleFactory(slug="first")
    article.slug = "second"
    article.save()
    newcomer = ArticleFactory(slug="first")
    assert client.get("/news/first/").status_code == 200
    assert soup(client.get("/news/first/")).find("h1").get_text() == newcomer.title
    assert not SlugHistory.objects.filter(slug="first").exists()


def test_non_canonical_path_forms_redirect_once_to_the_canonical_url(client):
    ArticleFactory(slug="late-bridges")
    canonical = "https://news.example.org/news/late-bridges/"
    for path in ("/news/Late-Bridges/", "/news/late-bridges", "/news/LATE-BRIDGES"):
        assert_moved_to(client.get(path + "?utm_source=x&fbclid=y"), canonical)


def test_tracking_parameters_never_reach_the_canonical_link_or_og_url(client):
    article = ArticleFactory(slug="late-bridges")
    path = article.get_absolute_url() + "?utm_source=news&utm_medium=social&fbclid=a&gclid=b"
    data = structured(client.get(path), article.get_canonical_url())
    page = soup(client.get(path))
    canonical = "https://news.example.org/news/late-bridges/"
    assert page.find("link", rel="canonical")["href"] == canonical
    assert data["og"]["og:url"] == [canonical]
    assert node_of(data["graph"], "NewsArticle")["url"] == canonical


def test_unpublished_article_is_gone_with_a_styled_page(client):
    article = ArticleFactory(slug="withdrawn")
    article.slug = "withdrawn-2"
    article.status = Status.UNPUBLISHED
    article.save()
    for path in ("/news/withdrawn-2/", "/news/withdrawn/", "/news/withdrawn-2.md"):
        response = client.get(path)
        assert response.status_code == 410
        page = BeautifulSoup(response.content, "html.parser")
        assert page.find("h1").get_text() == "This story is no longer available"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_drafts_and_scheduled_are_404_by_any_address(client, trait):
    article = ArticleFactory(slug="not-yet", **{trait: True})
    article.slug = "not-yet-2"
    article.save()
    for path in ("/news/not-yet/", "/news/not-yet-2/", "/news/NOT-YET-2/", "/news/not-yet-2.md"):
        assert client.get(path).status_code == 404


def test_canonical_link_og_url_json_ld_sitemap_feeds_and_redirects_agree(client, settings):
    section = SectionFactory(slug="city")
    author = AuthorFactory(slug="maya")
    article = ArticleFactory(slug="one-address", section=section, authors=[author])
    article.slug = "the-address"
    article.save()
    canonical = article.get_canonical_url()
    assert canonical == "https://news.example.org/news/the-address/"

    response = client.get(article.get_absolute_url())
    page, data = soup(response), structured(response, canonical)
    news = node_of(data["graph"], "NewsArticle")
    crumbs = node_of(data["graph"], "BreadcrumbList")["itemListElement"]
    seen = {
        "canonical link": page.find("link", rel="canonical")["href"],
        "og:url": data["og"]["og:url"][0],
        "JSON-LD @id": news["@id"].removesuffix("#article"),
        "JSON-LD url": news["url"],
        "JSON-LD mainEntityOfPage": news["mainEntityOfPage"],
        "breadcrumb": crumbs[-1]["item"],
    }

    urlset = xml_document(client.get("/sitemap-articles.xml"))
    [seen["sitemap loc"]] = [loc.text for loc in urlset.findall("s:url/s:loc", SITEMAP_NS)]
    news_set = xml_document(client.get("/news-sitemap.xml"))
    [seen["news sitemap loc"]] = [loc.text for loc in news_set.findall("s:url/s:loc", SITEMAP_NS)]

    for name, url in [
        ("feed", reverse("articles:feed")),
        ("atom feed", reverse("articles:feed-atom")),
        ("section feed", reverse("articles:section-feed", args=["city"])),
        ("author feed", reverse("articles:author-feed-atom", args=["maya"])),
    ]:
        [entry] = feedparser.parse(client.get(url).content).entries
        seen[name] = entry.link
        seen[name + " id"] = entry.id

    seen["old slug redirect"] = client.get("/news/one-address/")["Location"]
    seen["no slash redirect"] = client.get("/news/the-address")["Location"]
    seen["capitals redirect"] = client.get("/news/The-Address/")["Location"]

    assert seen == dict.fromkeys(seen, canonical)
    assert client.get(path_of(canonical, settings)).status_code == 200


PAGE = "https://news.example.org/news/bridges/"


@pytest.mark.parametrize(
    ("written", "page_url", "made"),
    [
        ("/media/chart.png", PAGE, "https://news.example.org/media/chart.png"),
        ("/media/chart.png", None, "https://news.example.org/media/chart.png"),
        ("#faq", PAGE, PAGE + "#faq"),
        ("#faq", None, "#faq"),
        ("other/", PAGE, PAGE + "other/"),
        ("../other/", None, "https://news.example.org/other/"),
        ("?page=2", PAGE, PAGE + "?page=2"),
        ("//cdn.example.net/x", PAGE, "//cdn.example.net/x"),
        ("https://example.org/", PAGE, "https://example.org/"),
        ("MAILTO:desk@example.org", None, "MAILTO:desk@example.org"),
        (" /padded/ ", None, "https://news.example.org/padded/"),
    ],
)
def test_an_address_is_made_absolute_for_readers_away_from_our_pages(written, page_url, made):
    assert absolute_link(written, page_url) == made


def test_links_images_and_srcset_in_html_are_made_absolute_and_nothing_else():
    html = (
        '<p><A HREF="/news/a/">a</A> <a href="#faq">faq</a> <span data-src="/keep/">x</span>'
        ' <img src="/media/a.png" srcset="/media/a-1x.png 1x, //cdn.example.net/a-2x.png 2x"'
        ' alt="A"> /not/a/link</p>'
    )
    made = BeautifulSoup(absolute_links(html, PAGE), "html.parser")
    assert [a["href"] for a in made.find_all("a")] == [
        "https://news.example.org/news/a/",
        PAGE + "#faq",
    ]
    assert made.img["src"] == "https://news.example.org/media/a.png"
    assert made.img["srcset"] == (
        "https://news.example.org/media/a-1x.png 1x, //cdn.example.net/a-2x.png 2x"
    )
    assert made.span["data-src"] == "/keep/"
    assert made.p.get_text().endswith("/not/a/link")


def test_markdown_links_in_plain_text_are_made_absolute_and_only_them():
    text = (
        'See [the plan](/news/plan/ "The plan") and ![a chart]( /media/c.png).\n'
        "Mail [the desk](mailto:desk@example.org). A path in prose: /news/plan/ (kept)."
    )
    assert absolute_links(text, markdown=True) == (
        'See [the plan](https://news.example.org/news/plan/ "The plan") and'
        " ![a chart]( https://news.example.org/media/c.png).\n"
        "Mail [the desk](mailto:desk@example.org). A path in prose: /news/plan/ (kept)."
    )
