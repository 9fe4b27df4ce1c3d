"""The demo content's drawn pictures: a lead image for every demo article, portraits for its
authors, the same pixels every time, and pictures on the first page load."""

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article, Author
from images import demo_art, renditions
from images.models import Image

from .pages import soup
from .queue import drain

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo_content", verbosity=0)


def test_every_demo_article_leads_with_a_captioned_credited_picture(client):
    load()
    articles = list(Article.objects.select_related("lead_image"))
    # Every demo article, the live one included, has a drawing of its own.
    assert {article.slug for article in articles} == set(demo_art.LEAD_PICTURES)
    assert len(articles) == 5
    for article in articles:
        image = article.lead_image
        assert image is not None, article.slug
        assert (image.width, image.height) == demo_art.SIZE
        assert image.description and image.caption and image.credit and image.licence
        with image.file.open("rb") as stored, PILImage.open(stored) as decoded:
            assert decoded.format == "JPEG" and decoded.size == demo_art.SIZE
    for author in Author.objects.filter(articles__in=articles).distinct():
        assert author.portrait is not None, author.name
    assert Author.objects.get(name="Maya Okafor").job_title == "Technology correspondent"
    # The first page load shows pictures: the originals, at their size, before any rendition.
    home = soup(client.get(reverse("articles:home")))
    pictures = home.select(".card picture img")
    assert len(pictures) == 5
    assert {(img["width"], img["height"]) for img in pictures} == {("1800", "1200")}
    # The lead story's picture is the largest thing on a phone's first screen: never lazy.
    lead = home.select_one(".card--lead picture img")
    assert lead is pictures[0]
    assert lead.get("fetchpriority") == "high" and lead.get("loading") != "lazy"
    assert all(img.get("loading") == "lazy" for img in pictures[1:])


def test_loading_again_draws_nothing_new():
    load()
    images = Image.objects.count()
    load()
    call_command("load_demo_content", "--update", verbosity=0)
    assert Image.objects.count() == images == 5 + 3


def test_the_drawings_are_the_same_every_time():
    for draw, *_ in demo_art.LEAD_PICTURES.values():
        first, second = draw(), draw()
        assert hashlib.sha256(first.tobytes()).digest() == hashlib.sha256(second.tobytes()).digest()
    portrait = demo_art.portrait("Maya Okafor")
    assert portrait.tobytes() == demo_art.portrait("Maya Okafor").tobytes()


def test_the_worker_makes_the_demo_renditions(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    # The encoders' fastest settings: the same code path in a fraction of the time.
    monkeypatch.setitem(renditions.ENCODERS, "avif", ("AVIF", {"quality": 60, "speed": 10}))
    monkeypatch.setitem(renditions.ENCODERS, "webp", ("WEBP", {"quality": 80, "method": 0}))
    with django_capture_on_commit_callbacks(execute=True):
        load()
    with django_capture_on_commit_callbacks(execute=True):
        drain()
    for image in Image.objects.prefetch_related("renditions"):
        assert image.renditions_key == image.wanted_renditions_key
        assert image.best("16:9").width == (1200 if image.width >= 1200 else image.width)
    article = Article.objects.get(slug="city-bets-winter-on-heat-pumps")
    page = soup(client.get(article.get_absolute_url()))
    assert [s["type"] for s in page.select(".article__image source")] == [
        "image/avif",
        "image/webp",
    ]
