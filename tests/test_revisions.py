"""Revisions with django-reversion, restore in one step, and refused stale saves."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article

from .admin_forms import form_fields
from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_errors(response):
    return [text(e) for e in soup(response).select(".errorlist, .errornote")]


@pytest.fixture
def article():
    article = ArticleFactory(title="First title", body="Intro.\n\n[[callout:take]]")
    CalloutFactory(article=article, marker="take", body="First callout.")
    FAQEntryFactory(article=article, question="First question?", answer="First answer.")
    return article


def save(client, article, **changes):
    data = form_fields(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    return data


def test_every_admin_save_records_the_article_with_its_callouts_and_faq(editor_client, article):
    save(editor_client, article, title="Second title", **{"callouts-0-body": "Second callout."})
    version = Version.objects.get_for_object(article).first()
    in_revision = {v.content_type.model: v for v in version.revision.version_set.all()}
    assert set(in_revision) == {"article", "callout", "faqentry"}
    assert in_revision["callout"].field_dict["body"] == "Second callout."
    assert version.revision.user.get_username() == "ed"


def test_history_shows_who_when_and_what_changed(editor_client, article):
    save(editor_client, article, title="Second title")
    page = soup(editor_client.get(reverse("admin:articles_article_history", args=[article.pk])))
    rows = [text(row) for row in page.select("#change-history tbody tr")]
    assert rows
    assert "ed" in rows[0]
    assert "Headline" in rows[0]  # the form calls the title the headline


def test_restoring_a_revision_brings_back_article_callouts_and_faq(editor_client, article, client):
    save(editor_client, article)  # the first recorded revision
    first = Version.objects.get_for_object(article).first()
    save(
        editor_client,
        article,
        title="Second title",
        **{"callouts-0-body": "Second callout.", "faq_entries-0-answer": "Second answer."},
    )
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    restore_form = editor_client.get(revision_url)
    assert soup(restore_form).select_one("#id_title").text.strip() == "First title"
    response = editor_client.post(revision_url, form_fields(restore_form))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.title == "First title"
    assert article.callouts.get().body == "First callout."
    assert article.faq_entries.get().answer == "First answer."
    assert "First callout." in article.body_html
    page = soup(client.get(article.get_absolute_url()))
    assert text(page.select_one("aside .callout__body")) == "First callout."


def test_a_stale_save_is_refused_and_keeps_the_second_persons_text(
    article, editor, django_user_model
):
    other = django_user_model.objects.create_superuser("maya", "maya@example.org", "x" * 16)
    first, second = Client(), Client()
    first.force_login(other)
    second.force_login(editor)
    stale = form_fields(second.get(change_url(article)))
    save(first, article, title="Maya's better title")

    stale["body"] = "Intro rewritten by the second editor.\n\n[[callout:take]]"
    response = second.post(change_url(article), stale)

    assert response.status_code == 200
    message = " ".join(form_errors(response))
    assert "maya" in message
    assert "headline" in message.lower()  # the form calls the title the headline
    page = soup(response)
    assert page.select_one("#id_body").text.strip() == stale["body"]
    article.refresh_from_db()
    assert article.title == "Maya's better title"
    assert "second editor" not in article.body

    # Saving the returned form again is a deliberate choice, and goes through.
    again = form_fields(response)
    response = second.post(change_url(article), again)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert "second editor" in article.body


def test_a_change_form_post_without_its_version_is_refused(editor_client, article):
    data = form_fields(editor_client.get(change_url(article)))
    del data["loaded_version"]
    data["title"] = "Blind overwrite"
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).title == "First title"


def test_the_change_form_says_who_else_has_it_open(article, editor, django_user_model):
    other = django_user_model.objects.create_superuser("maya", "maya@example.org", "x" * 16)
    first, second = Client(), Client()
    first.force_login(other)
    second.force_login(editor)
    assert soup(first.get(change_url(article))).select_one(".also-open") is None
    notice = soup(second.get(change_url(article))).select_one(".also-open")
    assert "maya" in text(notice)
