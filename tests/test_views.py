from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.caching import content_state

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from .pages import graph_nodes, soup, text

pytestmark = pytest.mark.django_db


def make_article(callouts=2, faq=2, **fields):
    markers = [f"c{n}" for n in range(callouts)]
    body = "\n\n".join(f"Paragraph {n}.\n\n[[callout:{m}]]" for n, m in enumerate(markers))
    article = ArticleFactory(body=body + "\n\nLast paragraph.", **fields)
    for n, marker in enumerate(markers):
        kind = "key" if n % 2 == 0 else "note"
        CalloutFactory(article=article, marker=marker, kind=kind, body=f"Callout body {n}.")
    FAQEntryFactory.create_batch(faq, article=article)
    article.refresh_body_html()
    return article


def test_article_page_shows_every_part_of_the_article(client):
    author = AuthorFactory(name="Maya Okafor")
    article = make_article(title="Bridges are late", authors=[author])
    page = soup(client.get(article.get_absolute_url()))

    assert text(page.find("h1")) == "Bridges are late"
    assert len(page.find_all("h1")) == 1
    assert page.title.string.startswith("Bridges are late")
    assert text(page.select_one(".standfirst")) == article.standfirst
    assert text(page.select_one(".kicker")) == article.kicker
    assert page.select_one(".byline a")["href"] == author.get_absolute_url()
    assert text(page.select_one(".byline a")) == "Maya Okafor"
    assert page.select_one(".byline time")["datetime"] == article.published_at.isoformat()
    assert page.find("meta", attrs={"name": "description"})["content"] == article.standfirst


def test_canonical_link_is_absolute_and_from_site_url(client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(slug="late-bridges")
    page = soup(client.get(article.get_absolute_url() + "?utm_source=x"))
    links = page.find_all("link", rel="canonical")
    assert [link["href"] for link in links] == ["https://news.example.org/news/late-bridges/"]


def test_callouts_render_in_place_as_labelled_asides(client):
    article = make_article(callouts=2)
    body = soup(client.get(article.get_absolute_url())).select_one(".article__body")
    blocks = [child for child in body.children if getattr(child, "name", None)]
    sequence = [
        "aside" if block.name == "aside" else text(block)
        for block in blocks
        if block.name in ("p", "aside")
    ]
    assert sequence == ["Paragraph 0.", "aside", "Paragraph 1.", "aside", "Last paragraph."]
    first, second = body.find_all("aside")
    heading = body.find(id=first["aria-labelledby"])
    assert text(heading) == "Key: The take:"
    assert text(body.find(id=second["aria-labelledby"])).startswith("Note:")
    assert "callout--key" in first["class"]
    assert text(first.select_one(".callout__body")) == "Callout body 0."


def test_faq_json_ld_matches_the_visible_faq(client):
    article = make_article(faq=3)
    page = soup(client.get(article.get_absolute_url()))
    faq = page.select_one("section.faq")
    visible = [
        (text(entry.select_one(".faq__question")), text(entry.select_one(".faq__answer")))
        for entry in faq.select(".faq__entry")
    ]
    [faq_page] = graph_nodes(page, "FAQPage")
    from_json = [
        (
            question["name"],
            text(BeautifulSoup(question["acceptedAnswer"]["text"], "html.parser")),
        )
        for question in faq_page["mainEntity"]
    ]
    assert len(visible) == 3
    assert from_json == visible
    assert [h.name for h in faq.find_all(["h2", "h3"])] == ["h2", "h3", "h3", "h3"]


def test_news_article_json_ld_describes_the_page(client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(slug="json-story")
    page = soup(client.get(article.get_absolute_url()))
    [node] = graph_nodes(page, "NewsArticle")
    assert node["headline"] == article.title
    assert node["description"] == article.standfirst
    assert node["mainEntityOfPage"] == "https://news.example.org/news/json-story/"
    assert node["datePublished"] == article.published_at.isoformat()
    assert [author["name"] for author in node["author"]] == [
        author.name for author in article.authors.all()
    ]


def test_script_closing_text_in_an_faq_answer_stays_inside_the_json_ld(client):
    article = ArticleFactory()
    evil = "</script><script>alert(1)</script><!-- & -->"
    FAQEntryFactory(article=article, question=f"Q {evil}", answer=f"`{evil}`")
    page = soup(client.get(article.get_absolute_url()))
    scripts = page.find_all("script")
    assert [script.get("type") for script in scripts] == ["application/ld+json"]
    [faq_page] = graph_nodes(page, "FAQPage")
    assert faq_page["mainEntity"][0]["name"] == f"Q {evil}"


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_drafts_and_scheduled_articles_are_404_to_the_public(client, trait):
    article = ArticleFactory(**{trait: True})
    assert client.get(article.get_absolute_url()).status_code == 404
    home = soup(client.get(reverse("articles:home")))
    assert article.get_absolute_url() not in [a["href"] for a in home.find_all("a")]


def test_staff_see_a_draft_as_a_noindex_preview(staff_client):
    article = ArticleFactory(draft=True)
    page = soup(staff_client.get(article.get_absolute_url()))
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert page.select_one(".preview-banner") is not None


def test_unknown_article_and_malformed_slugs_are_404(client):
    assert client.get("/news/no-such-story/").status_code == 404
    assert client.get("/news/bad%00slug/").status_code == 404


@pytest.mark.parametrize(("callouts", "faq"), [(0, 0), (1, 1), (25, 50)])
def test_article_page_query_count_is_constant(client, django_assert_num_queries, callouts, faq):
    article = make_article(callouts=callouts, faq=faq)
    content_state()  # shared cache state, read once per content change, not per page
    # First view after a change: the row with its section, the byline, FAQ and corrections;
    # then the store.
    with django_assert_num_queries(5):
        first = client.get(article.get_absolute_url())
    cache.clear()
    content_state()
    # Every later view without the page cache: one query for the stored page.
    with django_assert_num_queries(1):
        stored = client.get(article.get_absolute_url())
    assert first.status_code == stored.status_code == 200
    assert stored.content == first.content


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count)
    content_state()
    with django_assert_num_queries(3):
        page = soup(client.get(reverse("articles:home")))
    assert len(page.select(".card__title")) == min(count, 20)


def test_home_orders_newest_first(client):
    now = timezone.now()
    for hours, title in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        ArticleFactory(title=title, published_at=now - timedelta(hours=hours))
    page = soup(client.get(reverse("articles:home")))
    assert [text(h) for h in page.select(".card__title")] == ["Newest", "Middle", "Oldest"]


def test_section_and_author_pages_list_their_published_articles(client):
    author = AuthorFactory()
    mine = ArticleFactory(authors=[author])
    ArticleFactory(authors=[author], draft=True)
    ArticleFactory()
    for url in (author.get_absolute_url(), mine.section.get_absolute_url()):
        page = soup(client.get(url))
        assert [a["href"] for a in page.select(".card__title a")] == [mine.get_absolute_url()]
