"""Corrections: attached by editors, shown on the page, in Markdown, JSON-LD and /corrections/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.article_markdown import export, parse, save_parsed
from articles.models import Article, Correction
from articles.structured_data import iso_datetime

from .admin_forms import form_fields
from .factories import ArticleFactory
from .pages import graph_nodes, soup, text

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_errors(response):
    return [text(e) for e in soup(response).select(".errorlist, .errornote")]


def add_correction(client, article, note, when="2026-11-21"):
    data = form_fields(client.get(change_url(article)))
    data.update(
        {
            "corrections-TOTAL_FORMS": str(int(data["corrections-TOTAL_FORMS"]) + 1),
            f"corrections-{data['corrections-TOTAL_FORMS']}-corrected_at_0": when,
            f"corrections-{data['corrections-TOTAL_FORMS']}-corrected_at_1": "10:00:00",
            f"corrections-{data['corrections-TOTAL_FORMS']}-text": note,
        }
    )
    return client.post(change_url(article), data)


def test_editor_attaches_a_correction_shown_on_the_page_with_its_date(editor_client, client):
    article = ArticleFactory()
    modified_before = article.updated_at
    response = add_correction(editor_client, article, "The fund holds €4m, not €40m.")
    assert response.status_code == 302, form_errors(response)
    page = soup(client.get(article.get_absolute_url()))
    section = page.select_one("section.corrections")
    assert text(section.find("h2")) == "Correction"
    assert text(section.select_one(".correction__text")) == "The fund holds €4m, not €40m."
    assert section.find("time")["datetime"].startswith("2026-11-21T10:00:00")
    article.refresh_from_db()
    assert article.updated_at > modified_before


def test_correction_is_a_correction_comment_in_the_news_article(editor_client, client):
    article = ArticleFactory()
    add_correction(editor_client, article, 'A "quoted" </script> note.')
    article.refresh_from_db()
    (node,) = graph_nodes(soup(client.get(article.get_absolute_url())), "NewsArticle")
    assert node["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": 'A "quoted" </script> note.',
            "datePublished": iso_datetime(article.corrections.get().corrected_at),
        }
    ]
    assert node["dateModified"] == iso_datetime(article.updated_at)


def test_an_article_without_corrections_has_no_correction_property(client):
    article = ArticleFactory()
    page = soup(client.get(article.get_absolute_url()))
    assert "correction" not in graph_nodes(page, "NewsArticle")[0]
    assert page.select_one("section.corrections") is None


def test_corrections_go_on_published_articles_only(editor_client):
    article = ArticleFactory(draft=True)
    response = add_correction(editor_client, article, "Too early.")
    assert response.status_code == 200
    assert any("published articles" in error for error in form_errors(response))
    assert not Correction.objects.exists()


def test_journalist_cannot_add_corrections(journalist_client):
    article = ArticleFactory(status="unpublished")
    page = soup(journalist_client.get(change_url(article)))
    assert page.select_one("#corrections-group .add-row") is None
    assert page.select_one("textarea[name$='-text']") is None


def test_corrections_page_lists_public_corrections_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(title="Older story")
    newer = ArticleFactory(title="Newer story")
    hidden = ArticleFactory(title="Pulled story", status="unpublished")
    Correction.objects.create(article=older, text="Old fix.", corrected_at=now - timedelta(days=3))
    Correction.objects.create(article=newer, text="New fix.", corrected_at=now - timedelta(days=1))
    Correction.objects.create(article=hidden, text="Hidden fix.", corrected_at=now)
    page = soup(client.get(reverse("articles:corrections")))
    entries = page.select(".correction-entry")
    assert [text(entry.find("h2")) for entry in entries] == ["Newer story", "Older story"]
    assert entries[0].find("a")["href"] == newer.get_absolute_url()
    assert "Hidden fix." not in page.get_text()


def test_corrections_survive_the_markdown_round_trip():
    article = ArticleFactory()
    corrected_at = timezone.now().replace(microsecond=0) - timedelta(days=1)
    Correction.objects.create(
        article=article, text="First line.\nSecond line.", corrected_at=corrected_at
    )
    document = export(article)
    assert document.rstrip().endswith(
        "## Corrections\n\n### " + corrected_at.isoformat() + "\nFirst line.\nSecond line."
    )
    parsed = parse(document)
    assert parsed.corrections == [(corrected_at, "First line.\nSecond line.")]
    Correction.objects.all().delete()
    save_parsed(parsed, status="published", trusted=True)
    assert Article.objects.count() == 1
    assert list(article.corrections.values_list("corrected_at", "text")) == [
        (corrected_at, "First line.\nSecond line.")
    ]
    assert export(Article.objects.get()) == document
