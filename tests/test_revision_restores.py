"""Restoring revisions through the admin: one article at a time, through the publishing action."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Callout, PublishingEvent, Status

from .admin_forms import form_fields
from .factories import ArticleFactory, CalloutFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def form_errors(response):
    return [text(e) for e in soup(response).select(".errorlist, .errornote")]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def save(client, article, **changes):
    data = form_fields(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)


def oldest_version(article):
    return Version.objects.get_for_object(article).last()


def test_recover_refuses_the_version_of_an_article_that_still_exists(editor, journalist):
    article = ArticleFactory(draft=True)
    save(logged_in(editor), article)  # a draft revision
    save(logged_in(editor), article, status="published")
    recover = reverse("admin:articles_article_recover", args=[oldest_version(article).pk])
    journalist_client = logged_in(journalist)
    assert journalist_client.get(recover).status_code == 404
    response = journalist_client.post(recover, {"status": "draft"})
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_recover_brings_back_a_deleted_article_as_a_draft_for_a_journalist(editor, journalist):
    article = ArticleFactory()
    save(logged_in(editor), article, title="Deleted by mistake")
    version = Version.objects.get_for_object(article).first()
    article.delete()
    recover = reverse("admin:articles_article_recover", args=[version.pk])
    journalist_client = logged_in(journalist)
    page = journalist_client.get(recover)
    assert page.status_code == 200
    response = journalist_client.post(recover, form_fields(page))
    assert response.status_code == 302, form_errors(response)
    recovered = Article.objects.get(title="Deleted by mistake")
    assert recovered.status == Status.DRAFT
    assert not recovered.is_public


def test_restoring_one_article_never_changes_another_in_the_same_revision(editor, journalist):
    first, second = ArticleFactory(draft=True), ArticleFactory(draft=True)
    journalist_client = logged_in(journalist)
    # One list action saves both articles in one revision.
    journalist_client.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [first.pk, second.pk]}
    )
    shared = Version.objects.get_for_object(first).first()
    assert shared.revision.version_set.filter(object_id=str(second.pk)).exists()
    save(logged_in(editor), second, status="published", title="The second, published")
    save(journalist_client, first, title="The first, rewritten")

    restore = journalist_client.get(revision_url(first, shared))
    response = journalist_client.post(revision_url(first, shared), form_fields(restore))

    assert response.status_code == 302, form_errors(response)
    second.refresh_from_db()
    assert (second.status, second.title) == (Status.PUBLISHED, "The second, published")
    assert Client().get(second.get_absolute_url()).status_code == 200
    first.refresh_from_db()
    assert first.title != "The first, rewritten"


def test_a_version_of_another_model_is_not_a_revision_of_the_article(editor_client, client):
    article = ArticleFactory(body="Text.\n\n[[callout:take]]", title="Kept as it is")
    other = ArticleFactory(title="The other article")
    # A callout of `article` whose id is the other article's id.
    callout = CalloutFactory(pk=other.pk, article=article, marker="take")
    save(editor_client, article)
    callout_type = ContentType.objects.get_for_model(Callout)
    callout_version = Version.objects.get(content_type=callout_type, object_id=str(callout.pk))
    url = reverse("admin:articles_article_revision", args=[other.pk, callout_version.pk])
    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url, {"title": "Hijacked"}).status_code == 404
    assert Article.objects.filter(title="Hijacked").count() == 0


def test_a_restore_is_audited_revisioned_and_reaches_readers(editor, client):
    article = ArticleFactory(draft=True, title="Draft title")
    editor_client = logged_in(editor)
    save(editor_client, article)
    draft_version = Version.objects.get_for_object(article).first()
    save(editor_client, article, status="published", title="Live title")
    assert client.get(article.get_absolute_url()).status_code == 200
    revisions_before = Version.objects.get_for_object(article).count()

    restore = editor_client.get(revision_url(article, draft_version))
    assert soup(restore).select_one("#id_title").text.strip() == "Draft title"
    response = editor_client.post(revision_url(article, draft_version), form_fields(restore))

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.DRAFT, "Draft title")
    assert PublishingEvent.objects.filter(article=article).first().action == "unpublished"
    assert Version.objects.get_for_object(article).count() == revisions_before + 1
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_journalist_restore_keeps_the_status_and_time(journalist):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, title="Old words")
    journalist_client = logged_in(journalist)
    save(journalist_client, article)
    old = Version.objects.get_for_object(article).first()
    Article.objects.filter(pk=article.pk).update(title="New words")
    article.refresh_from_db()
    save(journalist_client, article, status="draft")

    restore = journalist_client.get(revision_url(article, old))
    response = journalist_client.post(revision_url(article, old), form_fields(restore))

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert (article.title, article.status) == ("Old words", Status.DRAFT)
