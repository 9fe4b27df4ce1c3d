import json
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db

PREVIEW_URL = settings.MARKDOWNX_URLS_PATH
UPLOAD_URL = settings.MARKDOWNX_UPLOAD_URLS_PATH


def image_bytes(fmt="PNG", size=(8, 6)):
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def upload(client, content, name="photo.png", content_type="image/png"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(UPLOAD_URL, {"image": file}, headers={"x-requested-with": "XMLHttpRequest"})


@pytest.mark.parametrize("url", [PREVIEW_URL, UPLOAD_URL])
def test_editor_endpoints_refuse_anonymous_users(client, url):
    response = client.post(url, {"content": "hi"})
    assert response.status_code == 403
    assert "error" in response.json()


def test_editor_endpoints_refuse_logged_in_non_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 16))
    assert client.post(PREVIEW_URL, {"content": "hi"}).status_code == 403


def test_markdownx_urls_as_shipped_are_not_mounted(client):
    assert client.post("/markdownx/markdownify/", {"content": "hi"}).status_code == 404


def test_preview_uses_the_sanitizing_renderer(staff_client):
    response = staff_client.post(PREVIEW_URL, {"content": "## Hi\n\n<script>alert(1)</script>"})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.find("h2").get_text() == "Hi"
    assert page.find("script") is None


def test_preview_without_content_is_a_clear_400(staff_client):
    response = staff_client.post(PREVIEW_URL, {})
    assert response.status_code == 400
    assert "content" in response.json()["error"]


def test_preview_rejects_get(staff_client):
    assert staff_client.get(PREVIEW_URL).status_code == 405


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif")])
def test_upload_stores_the_decoded_format_under_media_root(
    staff_client, media_root, fmt, extension
):
    # Name and claimed type lie; the stored extension follows the decoded content.
    response = upload(
        staff_client, image_bytes(fmt), name="innocent.txt", content_type="text/plain"
    )
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    assert code.startswith(f"![]({settings.MEDIA_URL}uploads/") and code.endswith(f".{extension})")
    stored = media_root / code[len(f"![]({settings.MEDIA_URL}") : -1]
    assert stored.is_file()
    with Image.open(stored) as image:
        assert image.format == fmt


def test_upload_of_svg_is_refused(staff_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = upload(staff_client, svg, name="x.svg", content_type="image/svg+xml")
    assert response.status_code == 400
    assert "JPEG, PNG, GIF or WebP" in response.json()["error"]
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_upload_of_html_named_png_is_refused(staff_client, media_root):
    response = upload(staff_client, b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400


def test_upload_of_a_truncated_image_is_refused(staff_client, media_root):
    response = upload(staff_client, image_bytes("PNG", (64, 64))[:60])
    assert response.status_code == 400


def test_upload_over_the_byte_limit_is_413(staff_client, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(staff_client, image_bytes("PNG", (64, 64)) + b"\0" * 200)
    assert response.status_code == 413
    assert "limit" in response.json()["error"]


def test_upload_over_the_pixel_limit_is_refused_before_decoding(staff_client, media_root, settings):
    settings.UPLOAD_MAX_PIXELS = 100
    response = upload(staff_client, image_bytes("PNG", (20, 20)))
    assert response.status_code == 400
    assert "20×20" in response.json()["error"]


def test_upload_without_a_file_is_a_clear_400(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
