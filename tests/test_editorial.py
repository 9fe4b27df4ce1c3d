"""Editorial aids on the change form, and the lead image checked by its content."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from images.models import Image as LeadImage

from .admin_forms import form_fields
from .factories import ArticleFactory, FAQEntryFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_errors(response):
    return [text(e) for e in soup(response).select(".errorlist, .errornote")]


def png(size=(1200, 630)):
    out = BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def test_change_form_warns_without_blocking(editor_client):
    article = ArticleFactory(title="A" * 120)
    FAQEntryFactory(article=article, answer="| a | b |\n|---|---|\n| 1 | 2 |")
    page = soup(editor_client.get(change_url(article)))
    warnings = [text(li) for li in page.select(".editorial-warnings li")]
    assert any("No lead image" in w for w in warnings)
    assert any("headline is 120 characters" in w for w in warnings)
    assert any("drop (table" in w for w in warnings)
    data = form_fields(editor_client.get(change_url(article)))
    response = editor_client.post(change_url(article), data, follow=True)
    assert response.redirect_chain, form_errors(response)
    messages = [text(li) for li in soup(response).select(".messagelist li.warning")]
    assert any("No lead image" in m for m in messages)


def test_change_form_previews_search_result_and_social_card(editor_client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(title="Ferries", slug="ferries", seo_description="Short and sharp.")
    page = soup(editor_client.get(change_url(article)))
    search = page.select_one("[data-search-preview]")
    assert (
        text(search.select_one('[data-preview="url"]')) == "https://news.example.org/news/ferries/"
    )
    assert text(search.select_one('[data-preview="title"]')) == "Ferries"
    assert text(search.select_one('[data-preview="description"]')) == "Short and sharp."
    social = page.select_one("[data-social-preview]")
    assert text(social.select_one('[data-preview="title"]')) == "Ferries"
    assert page.select_one("#id_title")["data-search-limit"] == "60"
    assert page.select_one("#id_seo_description")["data-search-limit"] == "155"
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any("admin-editorial-aids.js" in src for src in scripts)
    assert not [s for s in page.find_all("script") if s.string and "data-preview" in s.string]


def test_previews_escape_what_the_journalist_typed(editor_client):
    article = ArticleFactory(title='<img src=x onerror="alert(1)">')
    page = soup(editor_client.get(change_url(article)))
    assert page.select_one("[data-search-preview] img") is None
    assert "onerror" in text(page.select_one('[data-search-preview] [data-preview="title"]'))


def test_slug_change_on_a_published_article_notes_the_redirect(editor_client):
    article = ArticleFactory(slug="old-address")
    page = soup(editor_client.get(change_url(article)))
    assert page.select_one("#id_slug")["data-published-slug"] == "old-address"
    data = form_fields(editor_client.get(change_url(article)))
    data["slug"] = "new-address"
    response = editor_client.post(change_url(article), data, follow=True)
    messages = [text(li) for li in soup(response).select(".messagelist li")]
    assert any("/news/old-address/" in m and "redirect" in m for m in messages)


IMAGE_ADD_URL = reverse("admin:images_image_add")


def add_image(client, upload, **fields):
    data = {"focal_x": "0.5", "focal_y": "0.5", "description": "Ferries at the quay",
            "credit": "Photo: Ana Ruiz", "caption": "", "licence": "", "creator": "",
            "file": upload, **fields}  # fmt: skip
    return client.post(IMAGE_ADD_URL, data)


def test_lead_image_is_decoded_and_stored_re_encoded(editor_client, media_root):
    response = add_image(
        editor_client, SimpleUploadedFile("photo.jpg", png(), content_type="image/jpeg")
    )
    assert response.status_code == 302, form_errors(response)
    image = LeadImage.objects.get()
    assert image.file.name.endswith(".png")
    assert (image.width, image.height) == (1200, 630)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Upload a valid image",
        ),
        ("page.png", b"<html>not an image</html>", "Upload a valid image"),
    ],
)
def test_lead_image_that_is_not_an_image_is_refused(
    editor_client, media_root, name, content, message
):
    response = add_image(editor_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response))
    assert not LeadImage.objects.exists()


def test_lead_image_over_the_pixel_limit_is_refused_with_the_reason(
    editor_client, media_root, settings
):
    settings.UPLOAD_MAX_PIXELS = 1000
    response = add_image(editor_client, SimpleUploadedFile("big.png", png((100, 100))))
    assert response.status_code == 200
    assert any("100×100 pixels" in error for error in form_errors(response))


def test_lead_image_over_the_byte_limit_is_refused(editor_client, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = add_image(editor_client, SimpleUploadedFile("big.png", png()))
    assert response.status_code == 200
    assert any("the limit is 1 KB" in error for error in form_errors(response))


def test_an_image_without_description_or_credit_is_saved_with_warnings(editor_client, media_root):
    response = add_image(
        editor_client, SimpleUploadedFile("photo.png", png((800, 450))), description="", credit=""
    )
    assert response.status_code == 302, form_errors(response)
    messages = [text(li) for li in soup(editor_client.get(response.url)).select(".messagelist li")]
    assert any("800 px wide" in m for m in messages)
    assert any("no description" in m for m in messages)
    assert any("no credit" in m for m in messages)
