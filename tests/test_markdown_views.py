"""Articles as Markdown at /news/<slug>.md, and /llms.txt pointing at them."""

import re

import pytest
from django.urls import reverse

from articles.article_markdown import parse

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory
from .pages import soup

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def test_article_is_served_as_markdown_in_the_reference_shape(client):
    article = ArticleFactory(slug="bridges", body="Opening.\n\n[[callout:take]]\n\nClosing.")
    CalloutFactory(article=article, marker="take", label="The take:", body="Callout text.")
    FAQEntryFactory(article=article, question="Why?", answer="Because.")
    response = client.get("/news/bridges.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Link"] == f'<{SITE}/news/bridges/>; rel="canonical"'
    document = response.content.decode()
    parsed = parse(document)
    assert parsed.title == article.title
    assert parsed.standfirst == article.standfirst
    assert parsed.kicker == article.kicker
    assert parsed.canonical == f"{SITE}/news/bridges/"
    assert [(c.kind, c.label, c.body) for c in parsed.callouts] == [
        ("key", "The take:", "Callout text.")
    ]
    assert parsed.faq == [("Why?", "Because.")]
    assert "> **Key:** **The take:** Callout text." in document.splitlines()


def test_article_page_links_its_markdown_version(client):
    article = ArticleFactory(slug="bridges")
    link = soup(client.get(article.get_absolute_url())).find(
        "link", rel="alternate", type="text/markdown"
    )
    assert link["href"] == f"{SITE}/news/bridges.md"


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_unpublished_articles_have_no_markdown(client, trait):
    ArticleFactory(slug="hidden", **{trait: True})
    assert client.get("/news/hidden.md").status_code == 404


def test_llms_txt_lists_recent_articles_with_their_markdown_links(client):
    first = ArticleFactory(slug="first", title="A [bracketed] title", standfirst="One line.")
    ArticleFactory(slug="hidden", draft=True)
    response = client.get(reverse("articles:llms"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "# InsidersFeed"
    assert lines[2].startswith("> ")
    assert "## Articles" in lines
    section = lines[lines.index("## Articles") + 1 : lines.index("## Optional")]
    entries = [line for line in section if line.startswith("- ")]
    link = re.compile(r"- \[(?P<title>(?:\\.|[^\]\\])+)\]\((?P<url>[^)]+)\): (?P<summary>.+)")
    [match] = [link.fullmatch(entry) for entry in entries]
    assert match["title"] == r"A \[bracketed\] title"
    assert match["url"] == f"{SITE}/news/first.md"
    assert match["summary"] == first.standfirst
    assert client.get(match["url"].removeprefix(SITE)).status_code == 200
