"""Home, article, section and author pages are valid HTML to the Nu Html Checker."""

import pytest

from images.renditions import replace_renditions

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CalloutFactory,
    FAQEntryFactory,
    ImageFactory,
)
from .html_checker import check_html

pytestmark = pytest.mark.django_db


def test_reader_pages_have_no_html_errors(client, tmp_path, media_root):
    # Pictures with their renditions, so <picture>, <source> and srcset are checked too.
    portrait, lead = ImageFactory(size=(600, 600)), ImageFactory(description="A bridge")
    for image in (portrait, lead):
        replace_renditions(image)
    author = AuthorFactory(
        slug="maya", bio="Covers the city.", job_title="Reporter", portrait=portrait
    )
    article = ArticleFactory(
        authors=[author, AuthorFactory()],
        body="Opening.\n\n[[callout:take]]\n\n## Then\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        lead_image=lead,
    )
    CalloutFactory(article=article, marker="take")
    FAQEntryFactory.create_batch(2, article=article)
    ArticleFactory.create_batch(3, section=article.section, lead_image=lead)

    urls = {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "author": author.get_absolute_url(),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()

    found = check_html(pages, tmp_path)
    errors = {
        name: [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
        for name, messages in found.items()
    }
    assert errors == {name: [] for name in pages}
    warnings = {
        name: [m["message"] for m in messages if m.get("subType") == "warning"]
        for name, messages in found.items()
    }
    assert warnings == {name: [] for name in pages}


def test_the_checker_reports_broken_markup(tmp_path):
    found = check_html({"broken": "<!DOCTYPE html><title>x</title><p><div></span>"}, tmp_path)
    assert [m for m in found["broken"] if m["type"] == "error"]
