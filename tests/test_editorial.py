"""Editorial aids on the change form, and the lead image checked by its content."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article

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


def test_lead_image_is_decoded_and_stored_re_encoded(editor_client, media_root):
    article = ArticleFactory()
    data = form_fields(editor_client.get(change_url(article)))
    data.update(
        image=SimpleUploadedFile("photo.jpg", png(), content_type="image/jpeg"),
        image_alt="Ferries at the quay",
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.image.name.endswith(".png")
    assert (article.image_width, article.image_height) == (1200, 630)


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
    article = ArticleFactory()
    data = form_fields(editor_client.get(change_url(article)))
    data.update(image=SimpleUploadedFile(name, content), image_alt="Logo")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response))
    assert not Article.objects.get(pk=article.pk).image


def test_lead_image_over_the_pixel_limit_is_refused_with_the_reason(
    editor_client, media_root, settings
):
    settings.UPLOAD_MAX_PIXELS = 1000
    article = ArticleFactory()
    data = form_fields(editor_client.get(change_url(article)))
    data.update(image=SimpleUploadedFile("big.png", png((100, 100))), image_alt="Big")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert any("100×100 pixels" in error for error in form_errors(response))


def test_lead_image_over_the_byte_limit_is_refused(editor_client, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    article = ArticleFactory()
    data = form_fields(editor_client.get(change_url(article)))
    data.update(image=SimpleUploadedFile("big.png", png()), image_alt="Big")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert any("the limit is 1 KB" in error for error in form_errors(response))


def test_lead_image_needs_a_description(editor_client, media_root):
    article = ArticleFactory()
    data = form_fields(editor_client.get(change_url(article)))
    data.update(image=SimpleUploadedFile("photo.png", png()), image_alt="")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert any("Describe the image" in error for error in form_errors(response))
