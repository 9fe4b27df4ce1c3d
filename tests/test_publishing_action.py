"""The one publishing action: permission, time, revision, audit and cache, for every caller."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from reversion.models import Version

from articles import workflow
from articles.models import Article, PublishingEvent, Status

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_journalist_is_refused_a_publishing_change_and_nothing_is_written(journalist):
    article = ArticleFactory(draft=True)
    with pytest.raises(PermissionDenied):
        workflow.change_status(article, user=journalist, status=Status.PUBLISHED, via="test")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not PublishingEvent.objects.exists()
    assert not Version.objects.get_for_object(article).exists()


def test_no_user_is_refused_unless_the_caller_says_it_is_trusted():
    article = ArticleFactory(draft=True)
    with pytest.raises(PermissionDenied):
        workflow.change_status(article, user=None, status=Status.REVIEW, via="test")
    workflow.change_status(article, user=None, trusted=True, status=Status.REVIEW, via="test")
    assert PublishingEvent.objects.get().action == "submitted"


def test_publishing_sets_the_time_records_a_revision_and_the_audit_event(editor, client):
    article = ArticleFactory(draft=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    event = workflow.change_status(article, user=editor, status=Status.PUBLISHED, via="test")
    article.refresh_from_db()
    assert article.is_public
    assert (event.action, event.user, event.published_at) == (
        "published",
        editor,
        article.published_at,
    )
    revision = Version.objects.get_for_object(article).get().revision
    assert revision.user == editor
    assert revision.comment == "Published via test."
    # The cache heard of it: the reader who just had a 404 now gets the page.
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_a_journalist_may_submit_for_review(journalist):
    article = ArticleFactory(draft=True)
    event = workflow.change_status(article, user=journalist, status=Status.REVIEW, via="test")
    assert (event.action, event.user) == ("submitted", journalist)


def test_load_demo_content_writes_an_audit_event_per_published_article():
    call_command("load_demo_content", stdout=StringIO())
    events = PublishingEvent.objects.all()
    assert {event.action for event in events} == {"published"}
    published = set(Article.objects.values_list("pk", flat=True))
    assert {event.article_id for event in events} == published
    assert all(event.user is None for event in events)
    for article in Article.objects.all():
        assert Version.objects.get_for_object(article).exists()
