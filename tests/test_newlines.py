"""Text is stored and exported with `\n` line ends only, whichever way it arrived."""

import pytest

from articles.article_markdown import export, parse, save_parsed
from articles.models import Article, Status

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory
from .test_admin import ADD_URL, article_form

pytestmark = pytest.mark.django_db


def test_a_browser_form_with_crlf_is_stored_and_exported_with_lf(staff_client, client):
    form = article_form(status=Status.DRAFT)
    body = form["body"]
    form["body"] = body.replace("\n", "\r\n") + "\rOld Mac line."
    form["standfirst"] = "One line."
    response = staff_client.post(ADD_URL, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.body == body + "\nOld Mac line."
    assert "\r" not in export(article)


def test_import_stores_lf_only():
    text = (
        "# A title\r\n> A standfirst\r\nBy Maya Okafor · InsidersFeed\r\n\r\n"
        "Body one.\r\nBody two.\r\n"
    )
    article = save_parsed(parse(text), trusted=True)
    assert article.body == "Body one.\nBody two."


def test_the_markdown_forms_carry_no_cr_even_from_old_rows(client):
    article = ArticleFactory(slug="old-row")
    CalloutFactory(article=article, marker="m", body="Callout\r\nlines")
    FAQEntryFactory(article=article, question="Why?", answer="Because.\r\nReally.")
    # A row written before normalisation, bypassing save().
    Article.objects.filter(pk=article.pk).update(body="Old\r\nrow\r\n\r\n[[callout:m]]")
    article = Article.objects.get(pk=article.pk)
    assert "\r" not in export(article)
    for url in (f"/news/{article.slug}.md", "/llms.txt"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"\r" not in response.content, url
