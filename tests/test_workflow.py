"""Roles and publishing: journalists draft and submit, only editors publish, by every route."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PublishingEvent, Status

from .admin_forms import form_fields
from .factories import ArticleFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_in(response):
    return [text(li) for li in soup(response).select(".messagelist li")]


def form_errors(response):
    return [text(e) for e in soup(response).select(".errorlist, .errornote")]


def new_article_form(client, **changes):
    data = form_fields(client.get(ADD_URL))
    data.update(
        title="Trams return to the harbour",
        slug="trams-return",
        standfirst="The line reopens in spring.",
        body="The first paragraph.",
    )
    data.update(changes)
    return data


def test_migration_gives_only_editors_the_publish_permission():
    journalist = set(Group.objects.get(name="Journalist").permissions.values_list("codename"))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename"))
    assert ("publish_article",) in editor
    assert ("publish_article",) not in journalist
    assert {("add_article",), ("change_article",)} <= journalist
    assert journalist < editor


def test_journalist_sees_only_draft_and_review_and_no_publication_time(journalist_client):
    page = soup(journalist_client.get(ADD_URL))
    options = [option["value"] for option in page.select("#id_status option")]
    assert options == ["draft", "review"]
    assert page.select_one("[name=published_at_0]") is None


def test_editor_sees_every_status_and_the_publication_time(editor_client):
    page = soup(editor_client.get(ADD_URL))
    options = [option["value"] for option in page.select("#id_status option")]
    assert options == ["draft", "review", "published", "unpublished"]
    assert page.select_one("[name=published_at_0]") is not None


def test_journalist_writes_a_draft_and_submits_it_for_review(journalist_client, journalist):
    response = journalist_client.post(ADD_URL, new_article_form(journalist_client, status="review"))
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="trams-return")
    assert article.status == Status.REVIEW
    event = PublishingEvent.objects.get()
    assert (event.action, event.user, event.article) == ("submitted", journalist, article)


def test_journalist_cannot_publish_from_the_add_form(journalist_client):
    data = new_article_form(journalist_client, status="published")
    response = journalist_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("Only editors publish" in error for error in form_errors(response))
    assert not Article.objects.exists()


def test_journalist_cannot_publish_a_draft_from_its_change_form(journalist_client):
    article = ArticleFactory(draft=True)
    data = form_fields(journalist_client.get(change_url(article)))
    data["status"] = "published"
    response = journalist_client.post(change_url(article), data)
    assert response.status_code == 200
    assert any("Only editors publish" in error for error in form_errors(response))
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert not PublishingEvent.objects.exists()


def test_journalist_cannot_schedule_with_a_crafted_publication_time(journalist_client):
    article = ArticleFactory(draft=True)
    data = form_fields(journalist_client.get(change_url(article)))
    later = timezone.now() + timedelta(days=2)
    data.update(published_at_0=later.strftime("%Y-%m-%d"), published_at_1="09:00:00")
    response = journalist_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at is None


def test_journalist_cannot_change_a_published_article(journalist_client, editor):
    article = ArticleFactory(title="Live story")
    page = soup(journalist_client.get(change_url(article)))
    assert page.select_one("#id_title") is None  # read-only view
    data = {"title": "Changed by a journalist", "status": "draft"}
    assert journalist_client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Live story", Status.PUBLISHED)


def test_journalist_has_no_publishing_list_actions(journalist_client):
    ArticleFactory(draft=True)
    page = soup(journalist_client.get(LIST_URL))
    actions = {option["value"] for option in page.select("select[name=action] option")}
    assert "submit_for_review" in actions
    assert not {"publish_now", "schedule", "unpublish"} & actions


@pytest.mark.parametrize("action", ["publish_now", "schedule", "unpublish"])
def test_journalist_crafted_list_action_changes_nothing(journalist_client, action):
    draft = ArticleFactory(draft=True, published_at=timezone.now() + timedelta(days=1))
    live = ArticleFactory()
    data = {"action": action, "_selected_action": [str(draft.pk), str(live.pk)]}
    journalist_client.post(LIST_URL, data, follow=True)
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert live.status == Status.PUBLISHED
    assert not PublishingEvent.objects.exists()


def test_journalist_crafted_bulk_edit_changes_nothing(journalist_client):
    draft = ArticleFactory(draft=True)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(draft.pk),
        "form-0-status": "published",
        "_save": "Save",
    }
    journalist_client.post(LIST_URL, data)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_journalist_cannot_unpublish_by_restoring_an_old_revision(editor, journalist):
    editor_client, journalist_client = Client(), Client()
    editor_client.force_login(editor)
    journalist_client.force_login(journalist)
    editor_client.post(ADD_URL, new_article_form(editor_client, status="draft"))
    article = Article.objects.get()
    data = form_fields(editor_client.get(change_url(article)))
    editor_client.post(change_url(article), {**data, "status": "published"})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    draft_version = reverse(
        "admin:articles_article_revision",
        args=[article.pk, article_versions(article)[-1].pk],
    )
    response = journalist_client.post(draft_version, {**data, "status": "draft"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def article_versions(article):
    from reversion.models import Version

    return list(Version.objects.get_for_object(article))


def test_editor_publishes_from_the_change_form_and_it_is_logged(editor_client, editor, client):
    article = ArticleFactory(draft=True, status=Status.REVIEW)
    data = form_fields(editor_client.get(change_url(article)))
    data.update(status="published", published_at_0="", published_at_1="")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.is_public
    event = PublishingEvent.objects.get()
    assert (event.action, event.user, event.published_at) == (
        "published",
        editor,
        article.published_at,
    )


def test_editor_schedules_and_the_article_appears_on_its_own(editor_client, editor):
    article = ArticleFactory(draft=True)
    later = timezone.localtime() + timedelta(days=1)
    data = form_fields(editor_client.get(change_url(article)))
    data.update(
        status="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    assert PublishingEvent.objects.get().action == "scheduled"
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 404
    assert article.title not in reader.get(reverse("articles:home")).content.decode()
    # Time passes: nothing runs; the visibility filter and the caches let it through on time.
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=1)):
        assert reader.get(article.get_absolute_url()).status_code == 200
        assert article.title in reader.get(reverse("articles:home")).content.decode()


def test_editor_list_actions_publish_schedule_and_unpublish_with_an_audit_trail(
    editor_client, editor
):
    draft = ArticleFactory(draft=True)
    planned = ArticleFactory(status=Status.REVIEW, published_at=timezone.now() + timedelta(days=1))
    live = ArticleFactory()
    editor_client.post(LIST_URL, {"action": "publish_now", "_selected_action": [draft.pk]})
    editor_client.post(LIST_URL, {"action": "schedule", "_selected_action": [planned.pk]})
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [live.pk]})
    for article in (draft, planned, live):
        article.refresh_from_db()
    assert draft.is_public
    assert planned.status == Status.PUBLISHED and not planned.is_public
    assert live.status == Status.UNPUBLISHED
    log = {(e.article_id, e.action, e.user_id) for e in PublishingEvent.objects.all()}
    assert log == {
        (draft.pk, "published", editor.pk),
        (planned.pk, "scheduled", editor.pk),
        (live.pk, "unpublished", editor.pk),
    }


def test_audit_log_is_listed_read_only_in_the_admin(editor_client, editor):
    live = ArticleFactory(title="Pulled story")
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [live.pk]})
    page = soup(editor_client.get(reverse("admin:articles_publishingevent_changelist")))
    cells = [text(cell) for cell in page.select("#result_list tbody tr")[0].find_all(["th", "td"])]
    assert "Unpublished" in cells
    assert "Pulled story" in cells
    assert "ed" in cells
    add = editor_client.get(reverse("admin:articles_publishingevent_add"))
    assert add.status_code == 403
    history = soup(editor_client.get(change_url(live)))
    assert "Unpublished by ed" in text(history.select_one(".publishing-history"))


def test_superuser_can_publish(staff_client):
    article = ArticleFactory(draft=True)
    staff_client.post(LIST_URL, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.is_public


def test_list_shows_the_workflow_state(editor_client):
    ArticleFactory(title="Later story", published_at=timezone.now() + timedelta(days=1))
    row = soup(editor_client.get(LIST_URL)).select_one("#result_list tbody tr")
    assert "Scheduled" in [text(cell) for cell in row.find_all(["th", "td"])]


# Previews and share links


def test_staff_preview_of_a_draft_is_noindex_and_private(editor_client):
    article = ArticleFactory(draft=True)
    response = editor_client.get(article.get_absolute_url())
    page = soup(response)
    assert page.select_one(".preview-banner")
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def share_link(editor_client, article):
    url = reverse("admin:articles_article_share_link", args=[article.pk])
    response = editor_client.post(url, follow=True)
    field = soup(response).select_one("input.share-link")
    return field["value"]


def test_editor_share_link_shows_the_draft_to_an_outsider_and_nothing_else(editor_client, settings):
    article = ArticleFactory(draft=True, title="Embargoed story")
    link = share_link(editor_client, article)
    assert link.startswith(settings.SITE_URL + "/preview/")
    response = Client().get(link.removeprefix(settings.SITE_URL))
    page = soup(response)
    assert text(page.find("h1")) == "Embargoed story"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert not page.find_all("script", type="application/ld+json")
    assert not [a for a in page.find_all("a") if "/admin/" in a.get("href", "")]
    # The link opens that article only; the draft's own address stays closed.
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_tampered_share_link_is_404(editor_client, settings):
    link = share_link(editor_client, ArticleFactory(draft=True))
    path = link.removeprefix(settings.SITE_URL)
    assert Client().get(path[:-3] + "xx/").status_code == 404


def test_expired_share_link_is_410(editor_client, settings):
    link = share_link(editor_client, ArticleFactory(draft=True))
    settings.SHARE_LINK_MAX_AGE = -1
    response = Client().get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_journalist_cannot_create_share_links(journalist_client):
    article = ArticleFactory(draft=True)
    page = soup(journalist_client.get(change_url(article)))
    assert page.select_one(".share-link-button") is None
    url = reverse("admin:articles_article_share_link", args=[article.pk])
    assert journalist_client.post(url).status_code == 403


def test_revoked_share_links_stop_working(editor_client, settings):
    article = ArticleFactory(draft=True)
    link = share_link(editor_client, article).removeprefix(settings.SITE_URL)
    assert Client().get(link).status_code == 200
    revoke = reverse("admin:articles_article_revoke_share_links", args=[article.pk])
    assert editor_client.post(revoke).status_code == 302
    assert Client().get(link).status_code == 410
    fresh = share_link(editor_client, article).removeprefix(settings.SITE_URL)
    assert Client().get(fresh).status_code == 200


def test_a_share_link_stops_working_when_the_article_is_unpublished(editor_client, settings):
    article = ArticleFactory()
    link = share_link(editor_client, article).removeprefix(settings.SITE_URL)
    assert Client().get(link).status_code == 200
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    assert Client().get(link).status_code == 410


def test_journalist_cannot_revoke_share_links(journalist_client):
    article = ArticleFactory(draft=True)
    revoke = reverse("admin:articles_article_revoke_share_links", args=[article.pk])
    assert journalist_client.post(revoke).status_code == 403
