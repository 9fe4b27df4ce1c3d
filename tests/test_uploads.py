"""Editor uploads under attack: bombs, polyglots, and how stored files are served back."""

import struct
import tracemalloc
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.editor import UploadRejected, decode_image

from .test_editor import image_bytes, upload

pytestmark = pytest.mark.django_db

PAYLOAD = b"<html><script>window.__pwned=1</script></html>"


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width=100_000, height=100_000):
    """A tiny, valid-looking PNG that declares ten billion pixels of grey."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()]


def test_a_decompression_bomb_is_refused_without_decoding_it(staff_client, media_root):
    bomb = bomb_png()
    assert len(bomb) < 2_000
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as rejected:
            decode_image(SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "pixels" in str(rejected.value)
    # Ten billion pixels would be gigabytes; refusing one costs almost nothing.
    assert peak < 5 * 1024 * 1024

    response = upload(staff_client, bomb, name="bomb.png")
    assert response.status_code == 400
    assert stored_files(media_root) == []


def test_a_gif_javascript_polyglot_is_stored_without_its_payload(staff_client, media_root):
    out = BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF", comment=PAYLOAD)
    polyglot = out.getvalue() + PAYLOAD
    assert PAYLOAD in polyglot

    response = upload(staff_client, polyglot, name="x.html", content_type="text/html")
    assert response.status_code == 200
    (stored,) = stored_files(media_root)
    assert stored.suffix == ".gif"
    assert b"<script" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert image.format == "GIF"


def test_a_jpeg_html_polyglot_is_stored_without_its_payload(staff_client, media_root):
    out = BytesIO()
    Image.new("RGB", (16, 16), (10, 20, 30)).save(out, "JPEG", comment=PAYLOAD)
    polyglot = out.getvalue() + PAYLOAD
    response = upload(staff_client, polyglot, name="page.htm", content_type="text/html")
    assert response.status_code == 200
    (stored,) = stored_files(media_root)
    assert stored.suffix == ".jpg"
    assert b"<script" not in stored.read_bytes()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg"),
        (b"<!DOCTYPE html><script>alert(1)</script>", "x.png"),
        (b"GIF89a/*<script>alert(1)</script>*/", "x.gif"),
        (b"%PDF-1.4\n<script>alert(1)</script>", "x.jpg"),
    ],
)
def test_documents_dressed_as_images_are_refused(staff_client, media_root, content, name):
    response = upload(staff_client, content, name=name)
    assert response.status_code == 400
    assert stored_files(media_root) == []


def test_stored_images_are_served_as_images_with_nosniff_and_a_sandbox(client, media_root):
    path = media_root / "uploads" / "2026" / "01" / "abc.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(image_bytes("PNG"))
    response = client.get("/media/uploads/2026/01/abc.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "notes.txt", "script.js"])
def test_anything_else_under_media_is_a_sandboxed_download(client, media_root, name):
    path = media_root / "articles" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(PAYLOAD)
    response = client.get(f"/media/articles/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_paths_cannot_climb_out_of_media_root(client, media_root):
    media_root.mkdir(parents=True)
    for path in ["/media/../insidersfeed/settings.py", "/media/%2e%2e/insidersfeed/settings.py"]:
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert b"SECRET_KEY" not in response.content
