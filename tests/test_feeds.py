"""RSS 2.0 and Atom feeds, read with feedparser."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.feeds import FEED_SIZE
from articles.models import Article
from articles.validators import NOT_FOR_XML

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, SectionFactory
from .pages import soup

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize(
    ("name", "version", "content_type"),
    [
        ("articles:feed", "rss20", "application/rss+xml; charset=utf-8"),
        ("articles:feed-atom", "atom10", "application/atom+xml; charset=utf-8"),
    ],
)
def test_site_feeds_carry_full_sanitized_content_and_canonical_links(
    client, name, version, content_type
):
    author = AuthorFactory(name="Maya Okafor", slug="maya")
    article = ArticleFactory(
        slug="bridges",
        authors=[author],
        body="Opening.\n\n[[callout:take]]\n\n<script>alert(1)</script>Closing.",
    )
    CalloutFactory(article=article, marker="take", label="The take:", body="Callout text.")

    response, feed = parse(client, reverse(name))
    assert response["Content-Type"] == content_type
    assert feed.version == version
    assert feed.feed.title == "InsidersFeed"
    assert feed.feed.link == f"{SITE}/"
    [entry] = feed.entries
    assert entry.title == article.title
    assert entry.link == entry.id == f"{SITE}/news/bridges/"
    assert entry.summary == article.standfirst
    assert entry.author == "Maya Okafor"
    assert [tag.term for tag in entry.tags] == [article.section.name]
    assert entry.published_parsed is not None
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("aside", class_="callout") is not None
    assert "Callout text." in content.get_text()
    assert content.find("script") is None


def test_feeds_list_only_published_articles_newest_first_and_at_most_fifty(client):
    now = timezone.now()
    for hours in range(FEED_SIZE + 5):
        ArticleFactory(published_at=now - timedelta(hours=hours + 1))
    ArticleFactory(draft=True, title="Draft")
    ArticleFactory(scheduled=True, title="Scheduled")
    _, feed = parse(client, reverse("articles:feed"))
    assert len(feed.entries) == FEED_SIZE
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert {"Draft", "Scheduled"}.isdisjoint(entry.title for entry in feed.entries)


def test_section_and_author_feeds_hold_their_own_articles(client):
    section = SectionFactory(name="City", slug="city")
    author = AuthorFactory(slug="maya")
    mine = ArticleFactory(section=section, authors=[author])
    ArticleFactory()
    for name, slug in [
        ("articles:section-feed", "city"),
        ("articles:section-feed-atom", "city"),
        ("articles:author-feed", "maya"),
        ("articles:author-feed-atom", "maya"),
    ]:
        _, feed = parse(client, reverse(name, args=[slug]))
        assert [entry.link for entry in feed.entries] == [mine.get_canonical_url()]
    assert client.get(reverse("articles:section-feed", args=["nope"])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [
        # Page delivery's reads (next scheduled time, the stored listing, the page's tag, its
        # version), then the section or author, the articles, their bylines and their callouts;
        # the site's AI-use preferences, read for the entries and again for the Content-Usage
        # header; one upsert keeps the feed.
        ("articles:feed", [], 9),
        ("articles:feed-atom", [], 9),
        ("articles:section-feed", ["city"], 11),
        ("articles:author-feed-atom", ["maya"], 11),
    ],
)
def test_feeds_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, name, args, queries
):
    section, author = SectionFactory(slug="city"), AuthorFactory(slug="maya")
    for _ in range(count):
        ArticleFactory(section=section, authors=[author, AuthorFactory()])
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args))
    assert len(feedparser.parse(response.content).entries) == count


def test_pages_link_their_feeds_for_autodiscovery(client):
    article = ArticleFactory(section=SectionFactory(slug="city"), authors=[AuthorFactory(slug="m")])
    expected = {
        reverse("articles:home"): [reverse("articles:feed"), reverse("articles:feed-atom")],
        reverse("articles:section", args=["city"]): [
            reverse("articles:section-feed", args=["city"]),
            reverse("articles:section-feed-atom", args=["city"]),
        ],
        reverse("articles:author", args=["m"]): [
            reverse("articles:author-feed", args=["m"]),
            reverse("articles:author-feed-atom", args=["m"]),
        ],
        article.get_absolute_url(): [reverse("articles:section-feed", args=["city"])],
    }
    for path, feeds in expected.items():
        links = soup(client.get(path)).find_all(
            "link", rel="alternate", type=["application/rss+xml", "application/atom+xml"]
        )
        hrefs = [link["href"] for link in links]
        assert {SITE + feed for feed in feeds} <= set(hrefs), path
        for href in hrefs:
            assert client.get(href.removeprefix(SITE)).status_code == 200


AWKWARD_TEXT = "O'Brien's \"quiet\" deal: 3 < 5 & <b>not bold</b>"


def seen(detail):
    """The text a reader shows for a feed field: HTML fields rendered, text fields as they are."""
    if detail.type == "text/html":
        return BeautifulSoup(detail.value, "html.parser").get_text()
    assert detail.type == "text/plain", detail.type
    return detail.value


@pytest.mark.parametrize("name", ["articles:feed", "articles:feed-atom"])
def test_every_feed_field_is_escaped_exactly_once(client, name):
    author = AuthorFactory(name="Siobhán O'Neill & Co")
    section = SectionFactory(name="Q&A <live>", slug="qa")
    ArticleFactory(
        title=AWKWARD_TEXT,
        standfirst=AWKWARD_TEXT,
        body='It\'s 3 &lt; 5 & "fine".',
        authors=[author],
        section=section,
    )
    _, feed = parse(client, reverse(name))
    [entry] = feed.entries
    assert seen(entry.title_detail) == AWKWARD_TEXT
    assert seen(entry.summary_detail) == AWKWARD_TEXT
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.get_text() == 'It\'s 3 < 5 & "fine".'
    assert entry.author == "Siobhán O'Neill & Co"
    assert "&#x27;" not in response_text(client, reverse(name))

    _, section_feed = parse(client, reverse(name.replace("feed", "section-feed"), args=["qa"]))
    assert seen(section_feed.feed.title_detail) == "Q&A <live> — InsidersFeed"


def response_text(client, url):
    return client.get(url).content.decode()


ISO_TO_THE_SECOND = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"


def test_atom_dates_are_iso_8601_to_the_second_with_an_offset(client):
    import re
    import xml.etree.ElementTree as ET

    ArticleFactory(published_at=timezone.now() - timedelta(minutes=90))  # with microseconds
    root = ET.fromstring(client.get(reverse("articles:feed-atom")).content)  # noqa: S314
    atom = "{http://www.w3.org/2005/Atom}"
    dates = [element.text for element in root.iter() if element.tag in (
        f"{atom}updated", f"{atom}published")]  # fmt: skip
    assert len(dates) == 3
    assert all(re.match(ISO_TO_THE_SECOND, value) for value in dates), dates


def test_an_empty_atom_feed_still_dates_itself_to_the_second(client):
    import re

    _, feed = parse(client, reverse("articles:feed-atom"))
    assert re.match(ISO_TO_THE_SECOND, feed.feed.updated), feed.feed.updated


@pytest.mark.parametrize("name", ["articles:feed", "articles:feed-atom", "articles:news-sitemap"])
def test_text_saved_before_validation_never_breaks_xml(client, name):
    # A row written before the validators refused controls (here: straight through the ORM).
    article = ArticleFactory(title="Budget vote", standfirst="Council decides", body="Text.")
    Article.objects.filter(pk=article.pk).update(
        title="Budget\x0b vote\ufffe", standfirst="Council\x1b decides", body="Te\x08xt."
    )
    response = client.get(reverse(name))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    texts = " ".join(root.itertext())
    assert "Budget vote" in texts
    assert not NOT_FOR_XML.search(response.content.decode())
    if name != "articles:news-sitemap":
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo
        assert parsed.entries[0].title == "Budget vote"


RAW_CONTENT = {
    "articles:feed": "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded",
    "articles:feed-atom": "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content",
}


@pytest.mark.parametrize("name", RAW_CONTENT)
def test_links_and_images_in_feed_content_are_absolute(client, name):
    # Read from the raw XML: feedparser would resolve relative addresses itself, and many feed
    # readers and email clients do not.
    ArticleFactory(
        slug="bridges",
        body="See [the other story](/news/other/), [the FAQ](#faq), [a site](https://example.org/)"
        " and [a protocol-relative one](//cdn.example.net/x).\n\n![A chart](/media/chart.png)",
    )
    response = client.get(reverse(name))
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    (content,) = root.findall(RAW_CONTENT[name])
    html = BeautifulSoup(content.text, "html.parser")
    assert [a["href"] for a in html.find_all("a")] == [
        f"{SITE}/news/other/",
        f"{SITE}/news/bridges/#faq",
        "https://example.org/",
        "//cdn.example.net/x",
    ]
    assert [img["src"] for img in html.find_all("img")] == [f"{SITE}/media/chart.png"]
