"""The hostile corpus through every field a journalist edits, and through the live preview."""

from html import unescape
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse

from articles.article_markdown import export
from articles.rendering import render_markdown

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from .hostile_corpus import BIDI_TITLES, CASES, assert_inert, assert_inert_markup
from .pages import graph_nodes, text
from .test_admin import ADD_URL, article_form

pytestmark = pytest.mark.django_db

PREVIEW_URL = f"/{settings.ADMIN_PATH}markdownx/markdownify/"


def hostile_article(payload):
    """One published article with `payload` in every field a journalist edits."""
    author = AuthorFactory(name=payload[:120])
    article = ArticleFactory(
        title=payload[:200],
        standfirst=payload[:300],
        kicker=payload[:200],
        body=f"[[callout:hostile]]\n\n{payload}\n\nThe end.",
        authors=[author],
    )
    CalloutFactory(article=article, marker="hostile", label=payload[:80], body=payload)
    FAQEntryFactory(article=article, question=payload[:300], answer=payload)
    return article


@pytest.mark.parametrize("payload", CASES.values(), ids=CASES.keys())
def test_hostile_text_in_every_field_renders_inert_and_intact(client, payload):
    article = hostile_article(payload)

    page = assert_inert(client.get(article.get_absolute_url()))
    assert page.title.string == f"{article.title} — {settings.SITE_NAME}"
    assert page.find("meta", attrs={"name": "description"})["content"] == article.standfirst
    assert page.h1.get_text() == article.title
    assert page.select_one(".kicker").get_text() == article.kicker
    assert page.select_one(".callout__label").get_text() == payload[:80]
    assert page.select_one(".faq__question").get_text() == payload[:300]
    assert page.select_one(".byline a").get_text() == payload[:120]

    # JSON-LD parses, and carries the journalist's strings exactly.
    (news,) = graph_nodes(page, "NewsArticle")
    assert news["headline"] == article.title
    assert news["description"] == article.standfirst
    assert news["alternativeHeadline"] == article.kicker
    assert news["author"][0]["name"] == payload[:120]
    (faq,) = graph_nodes(page, "FAQPage")
    assert faq["mainEntity"][0]["name"] == payload[:300]
    assert_inert_markup(faq["mainEntity"][0]["acceptedAnswer"]["text"])
    raw_blocks = [script.string for script in page.find_all("script")]
    for raw in raw_blocks:
        assert "<" not in raw
        assert "\u2028" not in raw
        assert "\u2029" not in raw

    home = assert_inert(client.get(reverse("articles:home")))
    assert text(home.select_one(".card__title")) == " ".join(article.title.split())

    # Feeds: every title carries the string as typed (escaped once for HTML in RSS, where
    # readers take it as HTML; as text in Atom), and every HTML payload a feed reader would
    # render (RSS content:encoded, title and description, Atom content) is inert.
    for feed in ("articles:feed", "articles:feed-atom"):
        response = client.get(reverse(feed))
        assert response.status_code == 200
        document = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
        texts = {element.tag.rsplit("}", 1)[-1]: [] for element in document.iter()}
        for element in document.iter():
            texts[element.tag.rsplit("}", 1)[-1]].append(element.text or "")
        if feed == "articles:feed":
            assert article.title in [unescape(title) for title in texts["title"]]
        else:
            assert article.title in texts["title"]
            assert article.standfirst in texts["summary"]  # type="text": shown as typed
        html_fields = ("encoded", "description", "content")
        for tag in html_fields + (("title",) if feed == "articles:feed" else ()):
            for html in texts.get(tag, []):
                assert_inert_markup(html)

    # The Markdown export is plain text; shown through our renderer it is inert too.
    document = export(article)
    assert_inert_markup(render_markdown(document))
    assert document.startswith(f"# {article.title}")


@pytest.mark.parametrize("payload", CASES.values(), ids=CASES.keys())
def test_hostile_markdown_in_the_live_preview_renders_inert(staff_client, payload):
    response = staff_client.post(PREVIEW_URL, {"content": payload})
    assert response.status_code == 200
    assert_inert_markup(response.content.decode())


@pytest.mark.parametrize("title", BIDI_TITLES.values(), ids=BIDI_TITLES.keys())
def test_direction_controls_in_a_title_are_refused_with_a_form_error(staff_client, title):
    response = staff_client.post(ADD_URL, article_form(title=title, slug="bidi"))
    assert response.status_code == 200
    assert "invisible direction controls" in response.content.decode()


def test_direction_marks_that_mixed_script_titles_need_are_accepted(staff_client):
    title = "\u05e9\u05dc\u05d5\u05dd \u200fworld\u200e"
    response = staff_client.post(ADD_URL, article_form(title=title, slug="mixed"))
    assert response.status_code == 302


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(CASES) >= 50
