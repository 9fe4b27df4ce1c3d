"""The image admin (focal-point picker, warnings, history) and choosing a lead image on the
article form."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from images.models import Image

from .admin_forms import form_fields
from .factories import ArticleFactory, ImageFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


def test_focal_point_picker_is_an_external_script_and_hidden_inputs(editor_client, media_root):
    image = ImageFactory(focal_x=0.25, focal_y=0.75)
    response = editor_client.get(change_url(image))
    page = soup(response)
    picker = page.select_one("[data-focal-picker]")
    assert picker.select_one("img")["src"] == image.file.url
    assert picker.select_one(".focal-picker__dot").has_attr("hidden")  # drawn by the script
    assert page.select_one("input[name=focal_x]")["type"] == "hidden"
    assert page.select_one("input[name=focal_x]")["value"] == "0.25"
    assert page.select_one("input[name=focal_y]")["value"] == "0.75"
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any(src.endswith("js/admin-focal-point.js") for src in scripts)
    # No inline code of ours: every script without src is the admin's own JSON data.
    assert all(s.get("src") or s.get("type") == "application/json" for s in page.find_all("script"))
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")


def test_moving_the_focal_point_queues_new_renditions_and_keeps_history(
    editor_client, media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    DBTaskResult.objects.all().delete()
    data = form_fields(editor_client.get(change_url(image)), "image_form")
    data.update(focal_x="0.8", focal_y="0.1")
    data.pop("file", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(image), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.8, 0.1)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "images.tasks.make_renditions"
    assert queued.args_kwargs["args"] == [image.pk]
    assert Version.objects.get_for_object(image).count() == 1


def test_focal_point_outside_the_picture_is_refused(editor_client, media_root):
    image = ImageFactory()
    data = form_fields(editor_client.get(change_url(image)), "image_form")
    data.update(focal_x="1.5")
    data.pop("file", None)
    response = editor_client.post(change_url(image), data)
    assert response.status_code == 200
    assert Image.objects.get(pk=image.pk).focal_x == 0.5


def test_article_form_chooses_the_lead_image_by_autocomplete_with_a_thumbnail(
    editor_client, media_root
):
    image = ImageFactory(size=(900, 500), credit="")
    article = ArticleFactory(lead_image=image)
    page = soup(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    select = page.select_one("select[name=lead_image]")
    assert "admin-autocomplete" in select["class"]
    assert select.select_one("option[selected]")["value"] == str(image.pk)
    thumbnail = page.select_one(".field-lead_image_preview img.image-thumbnail")
    assert thumbnail["src"] == image.file.url  # no renditions yet: the original
    assert thumbnail["alt"] == image.description
    warnings = [text(li) for li in page.select(".editorial-warnings li")]
    assert any("900 px wide" in w for w in warnings)
    assert any("no credit" in w for w in warnings)

    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "lead_image",
         "term": "Ferries"},
    ).json()  # fmt: skip
    assert [row["id"] for row in found["results"]] == [str(image.pk)]


def test_journalists_may_add_images(journalist_client, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import drawn_png

    response = journalist_client.post(
        reverse("admin:images_image_add"),
        {"file": SimpleUploadedFile("x.png", drawn_png(1300, 800)), "focal_x": "0.5",
         "focal_y": "0.5", "description": "A harbour", "credit": "Photo: Desk",
         "caption": "", "licence": "", "creator": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Image.objects.get().width == 1300


def test_restoring_an_older_focal_point_queues_renditions_for_it(
    editor_client, media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    for focal_x in ("0.2", "0.9"):
        data = form_fields(editor_client.get(change_url(image)), "image_form")
        data.update(focal_x=focal_x)
        data.pop("file", None)
        assert editor_client.post(change_url(image), data).status_code == 302
    Image.objects.filter(pk=image.pk).update(
        renditions_key=Image.objects.get().wanted_renditions_key
    )
    DBTaskResult.objects.all().delete()
    oldest = Version.objects.get_for_object(image).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        oldest.revision.revert()
    image.refresh_from_db()
    assert image.focal_x == 0.2
    assert DBTaskResult.objects.get().args_kwargs["args"] == [image.pk]


def test_image_list_shows_small_renditions_once_they_exist(editor_client, media_root):
    from images.renditions import replace_renditions

    image = ImageFactory(size=(900, 500))
    replace_renditions(image)
    page = soup(editor_client.get(reverse("admin:images_image_changelist")))
    thumbnail = page.select_one("img.image-thumbnail")
    assert thumbnail["src"] == image.renditions_of("free", "jpeg")[0].file.url
    assert thumbnail["width"] == "120"
