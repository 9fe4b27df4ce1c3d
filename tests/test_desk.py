"""The desk's admin views: live preview, autosave, revision compare, restore and the index."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.desk import MAX_FORM_BYTES
from articles.models import Article, Autosave, PublishingEvent, Status

from .admin_forms import form_fields
from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory, ImageFactory
from .pages import soup, text
from .test_admin import formset

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("admin:articles_article_preview")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_form(**overrides):
    data = {
        "title": "Harbour <b>dredging</b> starts",
        "standfirst": "The port deepens its channel.",
        "kicker": "Bigger ships, bigger stakes.",
        "body": "[[callout:row]]\n\nShips come in.\n\n> **Note:** **Fair counter:** Not all.",
        "authors": [],
    }
    data.update(
        formset("callouts", [{"kind": "key", "label": "The take:", "marker": "row", "body": "A."}])
    )
    data.update(formset("faq_entries", [{"question": "Who pays?", "answer": "The *port*."}]))
    data.update(overrides)
    return data


def test_preview_renders_the_article_as_readers_see_it(staff_client):
    maya = AuthorFactory(name="Maya Okafor")
    page = soup(staff_client.post(PREVIEW_URL, preview_form(authors=[str(maya.pk)])))
    article = page.select_one("article.article")
    assert text(article.select_one("h1.article__title")) == "Harbour <b>dredging</b> starts"
    assert text(article.select_one(".kicker")) == "Bigger ships, bigger stakes."
    headings = [text(h) for h in article.select(".article__body aside .callout__heading")]
    assert headings == ["Key point The take:", "Note Fair counter:"]
    assert "[[callout" not in text(article)
    assert [text(h) for h in article.select(".faq h3")] == ["Who pays?"]
    assert article.select_one(".faq em").get_text() == "port"
    assert "Maya Okafor" in text(article.select_one(".byline"))
    assert page.select_one("link[rel=stylesheet]")["href"].endswith("css/site.css")
    assert not Article.objects.exists()


def test_preview_of_a_saved_article_shows_its_image_and_leaves_it_alone(staff_client, media_root):
    lead = ImageFactory(size=(40, 20), description="The harbour")
    article = ArticleFactory(body="Saved body.", lead_image=lead)
    before = Article.objects.values().get(pk=article.pk)
    url = reverse("admin:articles_article_preview", args=[article.pk])
    page = soup(staff_client.post(url, preview_form(body="Unsaved body.", lead_image=lead.pk)))
    assert page.select_one(".article__image img")["alt"] == "The harbour"
    assert "Unsaved body." in text(page.select_one(".article__body"))
    assert Article.objects.values().get(pk=article.pk) == before


def test_preview_names_a_near_miss_marker(staff_client):
    page = soup(staff_client.post(PREVIEW_URL, preview_form(body="A\n\n[[callout:The-Take]]")))
    assert "looks like a callout marker" in text(page.select_one(".preview-banner"))


def test_preview_is_for_staff_by_post_with_csrf_and_a_size_limit(staff_client, editor):
    response = Client().post(PREVIEW_URL, preview_form())
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert staff_client.get(PREVIEW_URL).status_code == 405
    big = staff_client.post(PREVIEW_URL, {"body": "x" * (MAX_FORM_BYTES + 1)})
    assert big.status_code == 413
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(PREVIEW_URL, preview_form()).status_code == 403


def test_a_journalist_cannot_preview_or_autosave_a_published_article(journalist_client):
    article = ArticleFactory()
    for name in ("preview", "autosave"):
        url = reverse(f"admin:articles_article_{name}", args=[article.pk])
        assert journalist_client.post(url, preview_form()).status_code == 403
    missing = reverse("admin:articles_article_autosave", args=["999999"])
    assert journalist_client.post(missing, {}).status_code == 404


def test_autosave_keeps_the_form_and_never_touches_the_article(editor_client, editor, client):
    article = ArticleFactory(title="Live title", body="Live body.")
    before = Article.objects.values().get(pk=article.pk)
    data = form_fields(editor_client.get(change_url(article)))
    data.update(title="Half-written title", body="Half-written body.")
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert json.loads(response.content)["label"]
    saved = Autosave.objects.get(article=article, user=editor)
    assert saved.data["body"] == ["Half-written body."]
    assert "csrfmiddlewaretoken" not in saved.data
    assert Article.objects.values().get(pk=article.pk) == before
    assert "Half-written" not in text(soup(client.get(article.get_absolute_url())))

    offered = soup(editor_client.get(change_url(article))).select_one("#desk-autosave")
    assert json.loads(offered.string)["data"]["title"] == ["Half-written title"]

    # Saving the article discards the autosave: the form has nothing left to offer.
    response = editor_client.post(
        change_url(article), form_fields(editor_client.get(change_url(article)))
    )
    assert response.status_code == 302
    assert not Autosave.objects.exists()
    assert soup(editor_client.get(change_url(article))).select_one("#desk-autosave") is None


def test_an_autosave_older_than_the_article_is_not_offered(editor_client, editor):
    article = ArticleFactory()
    Autosave.objects.create(article=article, user=editor, data={"title": ["Old"]})
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() + timedelta(minutes=1))
    assert soup(editor_client.get(change_url(article))).select_one("#desk-autosave") is None


def test_a_refused_stale_save_shows_both_versions_field_by_field(article_with_rows, opened_twice):
    article = article_with_rows
    first, second, stale = opened_twice
    theirs = form_fields(first.get(change_url(article)))
    theirs.update(title="Maya's title", **{"faq_entries-0-answer": "Maya's answer."})
    assert first.post(change_url(article), theirs).status_code == 302

    stale.update(body="Intro by the second editor.\n\n[[callout:take]]")
    page = soup(second.post(change_url(article), stale))
    fields = {text(box.find("h3")): box for box in page.select(".desk-merge .desk-merge__field")}
    # The body is only theirs to keep: they left it.
    assert set(fields) == {"Headline", "FAQ “First question?”"}
    title = fields["Headline"]
    assert title["data-merge-field"] == "title"
    assert title.select_one("[data-merge-theirs]")["data-value"] == "Maya's title"
    assert title.select_one("[data-merge-yours]")["data-value"] == "First title"
    faq = fields["FAQ “First question?”"]
    assert faq["data-merge-row"] == "faq_entries-0"
    assert json.loads(faq.select_one("[data-merge-theirs]")["data-value"]) == {
        "question": "First question?", "answer": "Maya's answer."
    }  # fmt: skip
    assert "Maya's answer." in text(faq.select_one("[data-merge-theirs]"))
    assert page.select_one("input[name=merge-title][value=yours]").has_attr("checked")
    assert page.select_one("input[name=merge-faq_entries-0][value=yours]").has_attr("checked")


@pytest.fixture
def article_with_rows():
    article = ArticleFactory(title="First title", body="Intro.\n\n[[callout:take]]")
    CalloutFactory(article=article, marker="take", body="First callout.")
    FAQEntryFactory(article=article, question="First question?", answer="First answer.")
    return article


def save(client, article, **changes):
    data = form_fields(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    return Version.objects.get_for_object(article).first()


def test_history_compares_any_two_revisions(editor_client, article_with_rows):
    article = article_with_rows
    first = save(editor_client, article)
    second = save(
        editor_client,
        article,
        title="Second title",
        body="Intro, rewritten.\n\n[[callout:take]]",
        **{"callouts-0-body": "Second callout."},
    )
    history = soup(editor_client.get(reverse("admin:articles_article_history", args=[article.pk])))
    form = history.select_one("form.desk-compare-form")
    picked = {i["name"]: i["value"] for i in form.select("input[checked]")}
    assert picked == {"from": str(first.revision_id), "to": str(second.revision_id)}

    page = soup(editor_client.get(form["action"], picked))
    changes = {text(s.find("h3")): s for s in page.select(".desk-diff")}
    assert set(changes) == {"Title", "Body", "Callouts"}
    assert [text(d) for d in changes["Title"].select("del")] == ["First title"]
    assert [text(i) for i in changes["Title"].select("ins")] == ["Second title"]
    assert [text(i) for i in changes["Body"].select("ins")] == ["Intro, rewritten."]
    assert "Second callout." in text(changes["Callouts"].select_one("ins"))

    same = soup(editor_client.get(form["action"], {"from": second.revision_id, "to": "current"}))
    assert same.select(".desk-diff") == []
    assert editor_client.get(form["action"], {"from": "nope"}).status_code == 400
    other = ArticleFactory()
    assert (
        editor_client.get(
            reverse("admin:articles_article_compare", args=[other.pk]), {"from": first.revision_id}
        ).status_code
        == 400
    )


def test_restore_says_what_it_will_change(editor_client, article_with_rows):
    article = article_with_rows
    first = save(editor_client, article)
    save(editor_client, article, title="Second title")
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = soup(editor_client.get(url))
    changes = {text(s.find("h3")): s for s in page.select(".desk-restore .desk-diff")}
    assert set(changes) == {"Title"}
    assert [text(i) for i in changes["Title"].select("ins")] == ["First title"]
    article.refresh_from_db()
    assert article.title == "Second title"  # showing the revision changed nothing


def desk(client):
    page = soup(client.get(reverse("admin:index")))
    return {
        text(section.find("h3")).rsplit(" ", 1)[0]: [text(a) for a in section.select("li a")]
        for section in page.select(".newsroom-desk__list")
    }


def test_the_admin_index_is_a_desk(editor_client, editor, journalist):
    now = timezone.now()
    ArticleFactory(title="My draft", draft=True, created_by=editor)
    saved_only = ArticleFactory(title="Someone's draft", draft=True, created_by=journalist)
    save(editor_client, saved_only)  # saving someone's draft does not make it mine
    ArticleFactory(title="Waiting for an editor", status=Status.REVIEW, published_at=None)
    ArticleFactory(title="Tomorrow's story", scheduled=True)
    ArticleFactory(title="Out this morning", published_at=now - timedelta(hours=2))
    assert desk(editor_client) == {
        "My drafts": ["My draft"],
        "In review": ["Waiting for an editor"],
        "Scheduled": ["Tomorrow's story"],
        "Recently published": ["Out this morning"],
    }
    writer = Client()
    writer.force_login(journalist)
    titles = [
        text(h) for h in soup(writer.get(reverse("admin:index"))).select(".newsroom-desk__list h3")
    ]
    assert [title.rsplit(" ", 1)[0] for title in titles] == [
        "My drafts", "Mine in review", "Scheduled", "Recently published",
    ]  # fmt: skip


def test_my_drafts_are_those_i_started_or_whose_byline_is_mine(journalist_client, journalist):
    byline = AuthorFactory(name="Jo Writer", user=journalist)
    ArticleFactory(title="Started by me", draft=True, created_by=journalist, authors=[])
    ArticleFactory(title="Under my byline", draft=True, authors=[byline, AuthorFactory()])
    ArticleFactory(title="Mine, with an editor", status=Status.REVIEW, authors=[byline])
    ArticleFactory(title="Another writer's", draft=True)
    lists = desk(journalist_client)
    assert sorted(lists["My drafts"]) == ["Started by me", "Under my byline"]
    assert lists["Mine in review"] == ["Mine, with an editor"]


def test_the_admin_records_who_started_an_article(journalist_client, journalist, editor):
    data = form_fields(journalist_client.get(reverse("admin:articles_article_add")))
    data.update(title="A journalist's first draft", standfirst="One line.", body="Text.")
    assert journalist_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert article.created_by == journalist
    other = Client()
    other.force_login(editor)
    save(other, article, title="An editor's headline")
    article.refresh_from_db()
    # Later saves leave the owner alone.
    assert (article.title, article.created_by) == ("An editor's headline", journalist)


NEW_AUTOSAVE_URL = reverse("admin:articles_article_autosave")


def test_autosaves_of_the_add_form_make_one_draft_the_final_save_updates(
    journalist_client, journalist
):
    add = reverse("admin:articles_article_add")
    data = form_fields(journalist_client.get(add))
    assert len(data["draft_key"]) == 32
    data.update(title="Harbour dredging starts", body="The port deepens")
    first = json.loads(journalist_client.post(NEW_AUTOSAVE_URL, data).content)
    data.update(body="The port deepens its channel.")
    second = json.loads(journalist_client.post(NEW_AUTOSAVE_URL, data).content)
    article = Article.objects.get()
    assert first["change_url"] == second["change_url"] == change_url(article)
    assert (article.title, article.status, article.created_by) == (
        "Harbour dredging starts", Status.DRAFT, journalist,
    )  # fmt: skip
    assert article.body == ""  # the rest is the autosave's until the journalist saves
    assert Autosave.objects.get(article=article).data["body"] == ["The port deepens its channel."]
    assert [v.revision.comment for v in Version.objects.get_for_object(article)] == [
        "Autosaved draft."
    ]
    assert not PublishingEvent.objects.exists()
    # Reloaded there, the change form offers the autosave back.
    offered = soup(journalist_client.get(first["change_url"])).select_one("#desk-autosave")
    assert json.loads(offered.string)["data"]["body"] == ["The port deepens its channel."]

    # The page now posts to the article's change form, with what it lacked as an add form.
    assert "corrections-TOTAL_FORMS" not in data
    data.update(second["fields"], loaded_version=second["loaded_version"])
    data.update(standfirst="Bigger ships are coming.", _continue="Save")
    response = journalist_client.post(second["change_url"], data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.standfirst, article.body, article.status) == (
        "Bigger ships are coming.", "The port deepens its channel.", Status.DRAFT,
    )  # fmt: skip
    assert not Autosave.objects.exists()
    assert not PublishingEvent.objects.exists()


def test_the_add_form_autosave_needs_a_headline_a_key_and_the_add_permission(
    journalist_client, journalist, django_user_model
):
    data = {"draft_key": "a" * 32, "title": "  \n ", "body": "Text."}
    response = journalist_client.post(NEW_AUTOSAVE_URL, data)
    assert response.status_code == 400
    assert "headline" in json.loads(response.content)["error"]
    data.update(title="A headline", draft_key="../../etc")
    assert journalist_client.post(NEW_AUTOSAVE_URL, data).status_code == 400
    data.update(title="Bad \u202e headline", draft_key="a" * 32)
    assert journalist_client.post(NEW_AUTOSAVE_URL, data).status_code == 400
    assert not Article.objects.exists()

    reader = django_user_model.objects.create_user("viewer", password="x" * 16, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="change_article"))
    viewer = Client()
    viewer.force_login(reader)
    data.update(title="A headline")
    assert viewer.post(NEW_AUTOSAVE_URL, data).status_code == 403
    assert viewer.get(NEW_AUTOSAVE_URL).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(journalist)
    assert strict.post(NEW_AUTOSAVE_URL, data).status_code == 403
    assert not Article.objects.exists()


def refused(client, article, stale, **changes):
    """Post a stale form; return the refused page and the form data it now holds."""
    stale.update(changes)
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".desk-merge")
    return page, form_fields(response)


@pytest.fixture
def opened_twice(article_with_rows, editor, django_user_model):
    """Maya's browser and mine, each with the change form open at the same, recorded version:
    (her client, my client, the form data I hold)."""
    maya = django_user_model.objects.create_superuser("maya", "maya@example.org", "x" * 16)
    first, second = Client(), Client()
    first.force_login(maya)
    second.force_login(editor)
    save(second, article_with_rows)
    return first, second, form_fields(second.get(change_url(article_with_rows)))


def test_rows_they_added_or_deleted_are_shown_one_choice_each(article_with_rows, opened_twice):
    article = article_with_rows
    first, second, stale = opened_twice
    # Maya deletes the callout (and its marker) and adds an FAQ entry.
    theirs = form_fields(first.get(change_url(article)))
    theirs.update(
        {
            "body": "Intro by Maya.",
            "callouts-0-DELETE": "on",
            "faq_entries-TOTAL_FORMS": "2",
            "faq_entries-1-question": "Maya's question?",
            "faq_entries-1-answer": "Maya's answer.",
        }
    )
    assert first.post(change_url(article), theirs).status_code == 302
    assert article.callouts.count() == 0 and article.faq_entries.count() == 2

    page, held = refused(second, article, stale, **{"callouts-0-body": "My callout, edited."})
    rows = {box["data-merge-row"]: box for box in page.select("[data-merge-row]")}
    assert set(rows) == {"callouts-0", "faq_entries-1"}
    callout, question = rows["callouts-0"], rows["faq_entries-1"]
    assert callout.select_one("[data-merge-theirs]").has_attr("data-missing")
    assert "My callout, edited." in text(callout.select_one("[data-merge-yours]"))
    assert question.select_one("[data-merge-yours]").has_attr("data-missing")
    assert "Maya's question?" in text(question.select_one("[data-merge-theirs]"))
    # The form holds every row of both: my callout as a new row, Maya's question ticked off.
    assert (held["callouts-INITIAL_FORMS"], held["callouts-TOTAL_FORMS"]) == ("0", "1")
    assert (held["callouts-0-id"], held["callouts-0-body"]) == ("", "My callout, edited.")
    assert held["faq_entries-1-question"] == "Maya's question?"
    assert held["faq_entries-1-DELETE"] == "on"
    assert not page.select(".inline-group .errorlist")

    # Keeping both versions' rows: my callout stays, so does Maya's question (delete unticked).
    del held["faq_entries-1-DELETE"]
    assert second.post(change_url(article), held).status_code == 302
    assert list(article.callouts.values_list("body", flat=True)) == ["My callout, edited."]
    assert list(article.faq_entries.values_list("question", flat=True)) == [
        "First question?", "Maya's question?",
    ]  # fmt: skip


def test_saving_a_refused_form_as_it_is_keeps_yours_and_drops_nothing_unshown(
    article_with_rows, opened_twice
):
    article = article_with_rows
    first, second, stale = opened_twice
    theirs = form_fields(first.get(change_url(article)))
    theirs["callouts-0-body"] = "Maya's callout."
    assert first.post(change_url(article), theirs).status_code == 302

    page, held = refused(second, article, stale, title="My title")
    assert [box["data-merge-row"] for box in page.select("[data-merge-row]")] == ["callouts-0"]
    assert held["callouts-0-body"] == "First callout."  # yours, until you take theirs
    assert second.post(change_url(article), held).status_code == 302
    article.refresh_from_db()
    assert article.title == "My title"
    assert list(article.callouts.values_list("body", flat=True)) == ["First callout."]


def test_an_add_form_saved_after_its_autosave_made_the_draft_adds_nothing_twice(
    journalist_client, journalist
):
    add = reverse("admin:articles_article_add")
    data = form_fields(journalist_client.get(add))
    data.update(title="Harbour dredging starts", body="Half")
    made = json.loads(journalist_client.post(NEW_AUTOSAVE_URL, data).content)
    # The save overtook the page's switch: it still goes to the add form.
    data.update(standfirst="Bigger ships.", body="The whole text.", _continue="Save")
    response = journalist_client.post(add, data, follow=True)
    assert response.redirect_chain[-1][0] == made["change_url"]
    article = Article.objects.get()
    assert article.body == ""  # nothing saved over it, nothing added beside it
    warning = text(soup(response).select_one(".messagelist .warning"))
    assert "nothing was added twice" in warning
    offered = soup(response).select_one("#desk-autosave")
    assert json.loads(offered.string)["data"]["body"] == ["The whole text."]
