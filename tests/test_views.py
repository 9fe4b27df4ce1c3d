from datetime import timedelta
from itertools import pairwise

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.structured_data import iso_datetime

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory, ImageFactory
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
    assert text(heading) == "Key point The take:"
    assert text(body.find(id=second["aria-labelledby"])).startswith("Note ")
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


@pytest.mark.parametrize(("callouts", "faq", "related"), [(0, 0, 0), (1, 1, 1), (25, 50, 12)])
def test_article_page_query_count_is_constant(
    client, django_assert_num_queries, callouts, faq, related
):
    article = make_article(callouts=callouts, faq=faq)
    ArticleFactory.create_batch(related, section=article.section)
    # First view after a change: page delivery reads the next scheduled time, the stored row,
    # the page's tags (article, byline) and their versions; the view reads the article with its
    # section, byline, FAQ, corrections, callouts and related stories; the site's AI-use
    # preferences, the header's sections and the trust pages (footer and publisher JSON-LD);
    # one upsert stores it.
    with django_assert_num_queries(16):
        first = client.get(article.get_absolute_url())
    cache.clear()
    # Every later view without the page cache: one read, the stored page (with its compressed
    # forms and the next scheduled time it was rendered under) with its tags' current versions.
    with django_assert_num_queries(1):
        stored = client.get(article.get_absolute_url())
    assert first.status_code == stored.status_code == 200
    assert stored.content == first.content


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count)
    # The next scheduled time, the stored listing and the listings' tag version, then the
    # count, the page, the bylines; the site's AI-use preferences, the header's sections and
    # the trust pages (footer, publisher JSON-LD); the upsert that keeps it.
    with django_assert_num_queries(11):
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


def heading_levels(page):
    return [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


def assert_sane_headings(page):
    levels = heading_levels(page)
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for previous, level in pairwise(levels):
        assert level <= previous + 1, f"heading jumps from h{previous} to h{level}: {levels}"


def test_home_leads_with_the_newest_story_then_lists_the_rest(client):
    now = timezone.now()
    for hours, title in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        ArticleFactory(title=title, published_at=now - timedelta(hours=hours))
    page = soup(client.get(reverse("articles:home")))
    lead = page.select_one(".card--lead")
    assert text(lead.select_one(".card__title")) == "Newest"
    assert text(lead.select_one(".kicker")) == "Read the footnotes before the headline."
    rest = [text(h) for h in page.select(".card:not(.card--lead) .card__title")]
    assert rest == ["Middle", "Oldest"]


def test_home_page_two_continues_the_list_without_a_lead(client):
    now = timezone.now()
    for n in range(25):
        ArticleFactory(title=f"Story {n:02}", published_at=now - timedelta(minutes=n))
    first = soup(client.get(reverse("articles:home")))
    second = soup(client.get(reverse("articles:home"), {"page": 2}))
    assert second.select_one(".card--lead") is None
    titles = [text(h) for h in first.select(".card__title") + second.select(".card__title")]
    assert titles == [f"Story {n:02}" for n in range(25)]
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert second.select_one("link[rel=canonical]")["href"].endswith("/?page=2")


def test_home_with_no_stories_says_so(client):
    page = soup(client.get(reverse("articles:home")))
    assert "No stories yet." in text(page.find("main"))


@pytest.mark.parametrize("number", ["0", "3", "-1", "abc", "1.5", "%00", "99999999999999999999"])
def test_pages_that_do_not_exist_are_404_not_page_one(client, number):
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    for url in (reverse("articles:home"), article.section.get_absolute_url()):
        assert client.get(f"{url}?page={number}").status_code == 404
    assert client.get(f"{author.get_absolute_url()}?page={number}").status_code == 404
    assert client.get(reverse("articles:search"), {"q": "city", "page": number}).status_code == 404


@pytest.mark.parametrize("count", [2, 30])
def test_section_and_author_query_counts_do_not_grow(client, django_assert_num_queries, count):
    author = AuthorFactory()
    articles = ArticleFactory.create_batch(count, authors=[author, AuthorFactory()])
    section = articles[0].section
    Article.objects.update(section=section)
    # Page delivery: the next scheduled time, the stored listing, the page's tag and its
    # version. Then the section or author, the count, the page of articles, their authors; the
    # site's AI-use preferences, the header's sections and the footer's trust pages; the upsert.
    for url in (section.get_absolute_url(), author.get_absolute_url()):
        with django_assert_num_queries(12):
            page = soup(client.get(url))
        assert len(page.select(".card__title")) == min(count, 20)


def test_article_shows_reading_time_from_the_words_in_the_body(client):
    article = ArticleFactory(body=" ".join(["word"] * 1000))
    assert article.reading_minutes == 4
    byline = soup(client.get(article.get_absolute_url())).select_one(".byline")
    assert text(byline.select_one(".byline__reading")) == "4 min read"


def test_reading_time_counts_callouts_spliced_into_the_body(client):
    article = ArticleFactory(body="Short.\n\n[[callout:long]]")
    assert article.reading_minutes == 1
    CalloutFactory(article=article, marker="long", body=" ".join(["word"] * 700))
    article.refresh_from_db()
    assert article.reading_minutes == 3


def test_article_shows_an_updated_date_only_after_a_later_edit(client):
    published = timezone.now() - timedelta(days=2)
    article = ArticleFactory(published_at=published)
    touch(article, updated_at=published + timedelta(minutes=1))
    byline = soup(client.get(article.get_absolute_url())).select_one(".byline")
    assert byline.select_one(".byline__updated") is None

    edited = published + timedelta(days=1)
    touch(article, updated_at=edited)
    byline = soup(client.get(article.get_absolute_url())).select_one(".byline")
    updated = byline.select_one(".byline__updated time")
    assert updated["datetime"] == iso_datetime(edited)
    assert [t["datetime"] for t in byline.find_all("time")] == [
        iso_datetime(published),
        iso_datetime(edited),
    ]


def touch(article, **fields):
    """Change stored fields with a bulk update: no save, no post_save, and still fresh at once."""
    Article.objects.filter(pk=article.pk).update(**fields)


def test_related_articles_are_the_newest_others_in_the_same_section(client):
    now = timezone.now()
    article = ArticleFactory(published_at=now - timedelta(hours=3))
    same = [
        ArticleFactory(section=article.section, published_at=now - timedelta(hours=n))
        for n in range(1, 7)
    ]
    ArticleFactory(section=article.section, draft=True)
    ArticleFactory(section=article.section, scheduled=True)
    ArticleFactory()  # another section
    related = soup(client.get(article.get_absolute_url())).select_one("section.related")
    links = [a["href"] for a in related.select(".card__title a")]
    assert links == [story.get_absolute_url() for story in same[:4]]
    assert text(related.find("h2")) == f"More in {article.section.name}"


def test_an_article_alone_in_its_section_has_no_related_block(client):
    article = ArticleFactory()
    assert soup(client.get(article.get_absolute_url())).select_one(".related") is None


def test_article_image_is_shown_with_its_description(client, media_root):
    lead = ImageFactory(size=(16, 9), description="Dredgers at work in the harbour at dawn")
    article = ArticleFactory(lead_image=lead)
    image = soup(client.get(article.get_absolute_url())).select_one(".article__image img")
    assert image["alt"] == "Dredgers at work in the harbour at dawn"
    assert (image["width"], image["height"]) == ("16", "9")


def reader_pages():
    author = AuthorFactory()
    article = make_article(authors=[author])
    ArticleFactory.create_batch(3, section=article.section, authors=[author])
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": reverse("articles:search") + "?q=city",
        "empty search": reverse("articles:search"),
    }


def test_reader_pages_have_one_h1_and_no_skipped_heading_levels(client):
    for url in reader_pages().values():
        page = soup(client.get(url))
        assert_sane_headings(page)
        assert page.find("html")["lang"] == "en"
        assert page.select_one("a.skip-link")["href"] == "#content"
        assert page.find("main", id="content") is not None
        assert page.find("header") and page.find("footer")


def test_reader_pages_carry_no_javascript_and_no_inline_styles(client):
    """A strict CSP without 'unsafe-inline' must not break a single public page."""
    for name, url in reader_pages().items():
        page = soup(client.get(url))
        scripts = [script.get("type") for script in page.find_all("script")]
        assert set(scripts) <= {"application/ld+json"}, name
        assert page.find("style") is None, name
        assert page.select("[style]") == [], name
        handlers = [
            attribute
            for element in page.find_all(True)
            for attribute in element.attrs
            if attribute.startswith("on")
        ]
        assert handlers == [], name
