"""The live desk in the admin: post an update in one step, correct and delete it, who may,
and what each change leaves behind (a revision, an audit event, a fresh page)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from live.models import Update, UpdateEvent

from .admin_forms import form_fields
from .factories import ArticleFactory, AuthorFactory
from .live_factories import CoverageFactory, UpdateFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def desk_url(coverage):
    return reverse("admin:live_coverage_desk", args=[coverage.pk])


def fields_of(page):
    form = page.select_one("form.live-desk__form")
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "file"):
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.name == "select":
            data[name] = [o["value"] for o in element.find_all("option") if o.has_attr("selected")]
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = "on"
        else:
            data[name] = element.get("value", "")
    return data


def post_update(client, coverage, **values):
    page = soup(client.get(desk_url(coverage)))
    data = {**fields_of(page), **values}
    return client.post(desk_url(coverage), data, follow=True)


def test_an_editor_posts_in_one_step_and_sees_it_on_top(editor_client, editor):
    coverage = CoverageFactory()
    UpdateFactory(coverage=coverage, headline="The earlier one")
    reporter = AuthorFactory(name="Ana Ruiz")
    response = post_update(
        editor_client, coverage, headline="The vote passed", body="Seven to **four**.",
        authors=[str(reporter.pk)],
    )  # fmt: skip
    assert response.redirect_chain == [(desk_url(coverage), 302)]
    page = soup(response)
    first = page.select_one(".live-desk__item")
    assert text(first.select_one(".live-desk__headline")) == "The vote passed"
    assert first.select_one(".live-desk__body strong").get_text() == "four"
    update = Update.objects.get(headline="The vote passed")
    assert list(update.authors.all()) == [reporter]
    assert first.select_one(f'a[href="{reverse("admin:live_update_change", args=[update.pk])}"]')
    assert first.select_one(f'a[href="{reverse("admin:live_update_delete", args=[update.pk])}"]')
    [event] = UpdateEvent.objects.filter(update=update)
    assert (event.action, event.user, event.summary) == ("posted", editor, "The vote passed")
    [version] = Version.objects.get_for_object(update)
    assert version.revision.user == editor
    # The reader's page has it at once.
    reader = soup(editor_client.get(coverage.article.get_absolute_url()))
    assert reader.select("article.live-update")[0]["id"] == f"update-{update.pk}"


def test_the_desk_suggests_the_byline_used_last(editor_client):
    coverage = CoverageFactory()
    reporter = AuthorFactory(name="Ana Ruiz")
    post_update(editor_client, coverage, body="First.", authors=[str(reporter.pk)])
    assert fields_of(soup(editor_client.get(desk_url(coverage))))["authors"] == [str(reporter.pk)]


def test_the_desk_suggests_the_author_of_ones_own_name(client, editor):
    editor.first_name, editor.last_name = "Ed", "Itor"
    editor.save()
    author = AuthorFactory(name="Ed Itor")
    client.force_login(editor)
    assert fields_of(soup(client.get(desk_url(CoverageFactory()))))["authors"] == [str(author.pk)]


def test_a_bad_update_is_shown_again_with_its_errors(editor_client):
    coverage = CoverageFactory()
    response = post_update(editor_client, coverage, body="", headline="Two\nlines")
    assert response.status_code == 200 and response.redirect_chain == []
    page = soup(response)
    assert page.select(".errorlist")
    assert not Update.objects.exists()


def test_a_journalist_may_not_post_on_a_published_article(journalist_client):
    coverage = CoverageFactory()
    page = soup(journalist_client.get(desk_url(coverage)))
    assert page.select_one("form.live-desk__form") is None
    assert "posted by editors" in text(page)
    response = journalist_client.post(desk_url(coverage), {"body": "Sneaked in."})
    assert response.status_code == 403
    assert not Update.objects.exists()


def test_a_journalist_prepares_updates_on_a_draft(journalist_client, journalist):
    coverage = CoverageFactory(article=ArticleFactory(draft=True))
    response = post_update(journalist_client, coverage, body="Doors open at seven.")
    assert response.redirect_chain == [(desk_url(coverage), 302)]
    assert UpdateEvent.objects.get().user == journalist
    # Once it is published, correcting it is the editors'.
    article = coverage.article
    article.status, article.published_at = "published", None
    article.save()
    update = Update.objects.get()
    change = reverse("admin:live_update_change", args=[update.pk])
    response = journalist_client.post(change, {"body": "Changed.", "published_at_0": "x"})
    assert response.status_code == 403


def test_an_editor_corrects_an_update_from_its_change_form(editor_client, editor):
    update = UpdateFactory(body="Seven to three.")
    change = reverse("admin:live_update_change", args=[update.pk])
    data = form_fields(editor_client.get(change), form_id="update_form")
    data["body"] = "Seven to four."
    response = editor_client.post(change, data, follow=True)
    assert response.redirect_chain[-1][0] == desk_url(update.coverage)
    update.refresh_from_db()
    assert update.body_html == "<p>Seven to four.</p>"
    [event] = UpdateEvent.objects.all()
    assert (event.action, event.user) == ("corrected", editor)
    assert Version.objects.get_for_object(update).count() == 1


def test_an_editor_deletes_an_update_and_it_is_recorded(editor_client, editor):
    update = UpdateFactory(headline="Posted in error")
    coverage = update.coverage
    delete = reverse("admin:live_update_delete", args=[update.pk])
    assert editor_client.get(delete).status_code == 200
    response = editor_client.post(delete, {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == desk_url(coverage)
    assert not Update.objects.exists()
    [event] = UpdateEvent.objects.all()
    assert (event.action, event.user, event.summary, event.update) == (
        "deleted", editor, "Posted in error", None,
    )  # fmt: skip


def test_an_image_is_decoded_and_re_encoded(editor_client, media_root):
    coverage = CoverageFactory()
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG", pnginfo=None)
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    post_update(editor_client, coverage, body="A picture.", image=upload, image_alt="The chamber")
    update = Update.objects.get()
    assert update.image.name.endswith(".png")  # the format read from the content
    assert (update.image_width, update.image_height) == (64, 48)
    not_an_image = SimpleUploadedFile(
        "evil.png", b"<svg onload=alert(1)>", content_type="image/png"
    )
    response = post_update(editor_client, coverage, body="B.", image=not_an_image, image_alt="N")
    assert "Upload a valid image" in text(soup(response).select_one(".errorlist"))


def test_an_image_over_the_project_limits_is_refused(editor_client, media_root, settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    coverage = CoverageFactory()
    response = post_update(editor_client, coverage, body="A.", image=upload, image_alt="Big")
    assert "64×48 pixels" in text(soup(response).select_one(".errorlist"))
    assert not Update.objects.exists()


def test_hostile_text_on_the_desk_is_escaped(editor_client):
    coverage = CoverageFactory()
    post_update(editor_client, coverage, headline="<b>bold</b>", body="<script>x()</script>Fine.")
    page = soup(editor_client.get(desk_url(coverage)))
    item = page.select_one(".live-desk__item")
    assert item.find("b") is None and item.find("script") is None
    assert text(item.select_one(".live-desk__headline")) == "<b>bold</b>"


def test_the_article_form_and_coverage_list_link_to_the_desk(editor_client):
    coverage = CoverageFactory()
    change = reverse("admin:articles_article_change", args=[coverage.article.pk])
    page = soup(editor_client.get(change))
    assert page.select_one(f'a[href="{desk_url(coverage)}"]') is not None
    listing = soup(editor_client.get(reverse("admin:live_coverage_changelist")))
    assert listing.select_one(f'a[href="{desk_url(coverage)}"]') is not None
    other = ArticleFactory()
    page = soup(editor_client.get(reverse("admin:articles_article_change", args=[other.pk])))
    link = page.select_one("a.live-desk-link")
    assert link["href"] == reverse("admin:live_coverage_add") + f"?article={other.pk}"


def test_a_journalist_may_not_start_coverage_of_a_published_article(journalist_client):
    article = ArticleFactory()
    add = reverse("admin:live_coverage_add")
    response = journalist_client.post(
        add, {"article": article.pk, "started_at_0": "2026-01-01", "started_at_1": "10:00"}
    )
    assert response.status_code == 403


def test_an_editor_makes_an_article_live_and_lands_on_its_desk(editor_client, editor):
    from live.models import Coverage

    article = ArticleFactory()
    add = reverse("admin:live_coverage_add") + f"?article={article.pk}"
    data = form_fields(editor_client.get(add), form_id="coverage_form")
    assert data["article"] == str(article.pk)
    data["about"] = "Budget night"
    response = editor_client.post(add, data)
    coverage = Coverage.objects.get()
    assert (coverage.article, coverage.about, coverage.ended_at) == (article, "Budget night", None)
    assert response["Location"] == desk_url(coverage)
    assert Version.objects.get_for_object(coverage).get().revision.user == editor
    page = soup(editor_client.get(article.get_absolute_url()))
    assert text(page.select_one(".live-status")) == "Live"


def test_the_desk_suggests_the_author_linked_to_the_user(client, editor):
    author = AuthorFactory(name="Someone Else", user=editor)
    client.force_login(editor)
    assert fields_of(soup(client.get(desk_url(CoverageFactory()))))["authors"] == [str(author.pk)]
