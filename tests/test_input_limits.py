"""Input that costs too much or breaks outputs is refused with a clear error, on every path."""

import time
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from articles.article_markdown import export
from articles.editor import UploadRejected, decode_image
from articles.gif_frames import count_gif_frames
from articles.markdown_limits import validate_markdown_cost
from articles.models import Article
from articles.query_limits import QueryTooSlow, statement_timeout
from articles.rendering import render_markdown

from .factories import ArticleFactory
from .hostile_corpus import CONTROL_TEXTS, LINE_BREAKS, PATHOLOGICAL_MARKDOWN
from .test_admin import ADD_URL, article_form, errors

pytestmark = pytest.mark.django_db

PREVIEW_URL = f"/{settings.ADMIN_PATH}markdownx/markdownify/"
ONE_LINE_FIELDS = ["title", "standfirst", "kicker", "callouts-0-label", "faq_entries-0-question"]
# Wrapping boxes on the desk: a typed line end in them is a space (articles/forms.py).
HEADLINE_BOXES = ["title", "standfirst", "kicker"]
MULTI_LINE_FIELDS = ["body", "callouts-0-body", "faq_entries-0-answer"]


def with_value(field, value):
    data = article_form()
    if field == "body":
        value = f"[[callout:take]]\n\n{value}\n\n[[callout:counter]]"
    data[field] = value
    return data


@pytest.mark.parametrize("field", ONE_LINE_FIELDS + MULTI_LINE_FIELDS)
@pytest.mark.parametrize("value", CONTROL_TEXTS.values(), ids=CONTROL_TEXTS.keys())
def test_controls_and_non_characters_are_a_form_error_in_every_field(staff_client, field, value):
    response = staff_client.post(ADD_URL, with_value(field, value))
    assert response.status_code == 200
    assert any("control character" in error for error in errors(response)), errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ONE_LINE_FIELDS)
@pytest.mark.parametrize("value", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_a_crafted_line_break_in_a_one_line_field_is_refused(staff_client, field, value):
    response = staff_client.post(ADD_URL, with_value(field, value))
    if field in HEADLINE_BOXES and value.replace("\r", "\n").count("\n"):
        # The desk's wrapping headline boxes turn a typed line end into a space instead.
        assert response.status_code == 302, errors(response)
        saved = Article.objects.values_list(field, flat=True).get()
        assert saved == " ".join(value.split())
        return
    assert response.status_code == 200
    assert any("one line" in error for error in errors(response)), errors(response)
    assert not Article.objects.exists()


def test_multi_line_fields_keep_tabs_newlines_and_carriage_returns(staff_client):
    response = staff_client.post(ADD_URL, with_value("callouts-0-body", "One\r\n\tTwo\n\nThree"))
    assert response.status_code == 302, errors(response)


@pytest.mark.parametrize("field", MULTI_LINE_FIELDS)
@pytest.mark.parametrize("value", PATHOLOGICAL_MARKDOWN.values(), ids=PATHOLOGICAL_MARKDOWN.keys())
def test_pathological_markdown_is_a_form_error_answered_quickly(staff_client, field, value):
    started = time.monotonic()
    response = staff_client.post(ADD_URL, with_value(field, value))
    assert response.status_code == 200
    assert errors(response)
    assert not Article.objects.exists()
    # Far below the seconds these take to render: the form never hands them to the renderer.
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("value", PATHOLOGICAL_MARKDOWN.values(), ids=PATHOLOGICAL_MARKDOWN.keys())
def test_pathological_markdown_in_the_live_preview_is_a_clear_4xx(staff_client, value):
    response = staff_client.post(PREVIEW_URL, {"content": value})
    assert response.status_code == 413
    assert response.json()["error"]


def test_the_live_preview_has_a_time_budget(staff_client, settings):
    settings.MARKDOWN_PREVIEW_SECONDS = 0.001  # far below what 95 kB of Markdown takes
    long_but_allowed = "Some [link](https://example.org) and *emphasis*.\n\n" * 1900
    validate_markdown_cost(long_but_allowed)
    response = staff_client.post(PREVIEW_URL, {"content": long_but_allowed})
    assert response.status_code == 422
    assert "too long to preview" in response.json()["error"]
    # The worker is fine afterwards.
    settings.MARKDOWN_PREVIEW_SECONDS = 2
    assert staff_client.post(PREVIEW_URL, {"content": "*ok*"}).content == b"<p><em>ok</em></p>"


def test_ordinary_long_articles_pass_the_limits():
    nested = "> quote\n>\n> - a list\n>   - in a list\n>     1. numbered\n"
    text = ("A [link](https://example.org/a_(b)) in (brackets [and] more).\n\n" + nested) * 500
    validate_markdown_cost(text)


def test_the_importer_refuses_pathological_markdown(tmp_path, settings):
    settings.SITE_URL = "https://insidersfeed.com"
    text = export(ArticleFactory(slug="deep")).replace(
        "The second paragraph.", PATHOLOGICAL_MARKDOWN["deep_inline_list"]
    )
    Article.objects.all().delete()
    path = tmp_path / "deep.md"
    path.write_text(text)
    with pytest.raises(CommandError, match="nested more than"):
        call_command("import_articles", str(path), stdout=StringIO())
    assert not Article.objects.exists()


def test_the_renderer_removes_bidi_overrides_and_isolates():
    html = render_markdown("Budget \u202edevorppa ton\u202c and \u2066isolated\u2069 \u200fmark")
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in html)
    assert "\u200f" in html  # the marks right-to-left text needs stay


def animated_gif(frames, size):
    images = [Image.new("RGB", size, (index * 5 % 256, 0, 255 - index)) for index in range(frames)]
    out = BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=20, loop=0)
    return out.getvalue()


def test_gif_frames_are_counted_from_the_file_without_decoding():
    data = animated_gif(37, (20, 10))
    with Image.open(BytesIO(data)) as image:
        assert count_gif_frames(data) == image.n_frames == 37


def test_an_animation_over_the_frame_pixel_limit_is_refused_before_decoding(settings, monkeypatch):
    settings.UPLOAD_MAX_FRAME_PIXELS = 100 * 100 * 50
    data = animated_gif(60, (100, 100))
    monkeypatch.setattr(
        Image.Image, "load", lambda self: pytest.fail("decoded a frame it should have refused")
    )
    with pytest.raises(UploadRejected, match="60 frames"):
        decode_image(SimpleUploadedFile("many.gif", data, content_type="image/gif"))


def test_an_animation_under_the_limit_is_kept(settings):
    settings.UPLOAD_MAX_FRAME_PIXELS = 100 * 100 * 50
    data, extension = decode_image(SimpleUploadedFile("few.gif", animated_gif(5, (100, 100))))
    assert extension == "gif"
    with Image.open(BytesIO(data)) as image:
        assert image.n_frames == 5


@pytest.mark.parametrize("query", ["-budget", "-budget -council", "-a or -b", '"-budget"'])
def test_a_search_made_only_of_excluded_words_is_refused(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert "at least one word" in response.content.decode()


def test_a_search_with_one_word_to_find_still_works(client):
    ArticleFactory(title="Council budget approved")
    assert client.get("/search/", {"q": "budget -tram"}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_public_queries_get_a_statement_timeout(settings):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 50
    with pytest.raises(QueryTooSlow), statement_timeout(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    with connection.cursor() as cursor:  # the connection is usable afterwards
        cursor.execute("SELECT 1")


def test_canonical_override_must_be_one_https_address():
    article = ArticleFactory()
    for bad in [
        "http://example.org/story",
        "https://a.example/x, <https://evil.example>; rel=preload",
        "https://a.example/x>; rel=preload",
        "https://a.example/with space",
        'https://a.example/"quoted"',
    ]:
        article.canonical_url = bad
        with pytest.raises(ValidationError):
            article.full_clean()
    article.canonical_url = "https://partner.example/news/story?id=4"
    article.full_clean()


def test_a_budget_spent_inside_a_finalizer_still_counts():
    from articles.markdown_limits import RenderTooSlow, time_budget

    class Finalized:
        def __del__(self):
            time.sleep(0.05)  # the timer fires here, where Python drops exceptions

    with pytest.raises(RenderTooSlow), time_budget(0.01):
        Finalized()
