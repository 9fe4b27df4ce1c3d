"""Lead images in feeds: Media RSS <media:content> and an Atom enclosure link, absolute URLs,
read with feedparser and as raw XML."""

from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from images.renditions import replace_renditions

from .factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _site(settings, media_root):
    settings.SITE_URL = SITE


@pytest.fixture
def pictured():
    image = ImageFactory(description='Ferries & "boats" <at> dawn')
    replace_renditions(image)
    article = ArticleFactory(slug="ferries", lead_image=image)
    ArticleFactory(slug="no-picture")
    return article


def get(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response.content, feed


def test_rss_items_carry_the_wide_crop_as_media_content(client, pictured):
    raw, feed = get(client, "articles:feed")
    wide = pictured.lead_image.best("16:9")
    entry = next(e for e in feed.entries if e.link.endswith("/ferries/"))
    [media] = entry.media_content
    assert media["url"] == SITE + wide.file.url
    assert media["medium"] == "image" and media["type"] == "image/jpeg"
    assert (media["width"], media["height"]) == ("1200", "675")
    assert entry.media_credit[0]["content"] == "Photo: Ana Ruiz / InsidersFeed"
    other = next(e for e in feed.entries if e.link.endswith("/no-picture/"))
    assert "media_content" not in other

    root = ElementTree.fromstring(raw)  # noqa: S314 (our own response)
    assert root.tag == "rss"
    items = {item.findtext("link"): item for item in root.iter("item")}
    content = items[f"{SITE}/news/ferries/"].find(f"{MEDIA}content")
    assert content.get("url") == SITE + wide.file.url
    assert content.get("fileSize") == str(wide.bytes) == str(wide.file.size)
    assert content.findtext(f"{MEDIA}description") == 'Ferries & "boats" <at> dawn'
    assert items[f"{SITE}/news/no-picture/"].find(f"{MEDIA}content") is None
    assert b'xmlns:media="http://search.yahoo.com/mrss/"' in raw


def test_atom_entries_link_the_picture_as_an_enclosure(client, pictured):
    raw, feed = get(client, "articles:feed-atom")
    wide = pictured.lead_image.best("16:9")
    entry = next(e for e in feed.entries if e.link.endswith("/ferries/"))
    [enclosure] = entry.enclosures
    assert enclosure["href"] == SITE + wide.file.url
    assert enclosure["type"] == "image/jpeg"
    assert enclosure["length"] == str(wide.bytes)

    root = ElementTree.fromstring(raw)  # noqa: S314 (our own response)
    for atom_entry in root.iter(f"{ATOM}entry"):
        links = {link.get("rel"): link.get("href") for link in atom_entry.iter(f"{ATOM}link")}
        if links["alternate"].endswith("/ferries/"):
            assert links["enclosure"] == SITE + wide.file.url
        else:
            assert "enclosure" not in links


def test_feeds_show_the_original_before_the_renditions_exist(client):
    image = ImageFactory(size=(1000, 600))
    ArticleFactory(lead_image=image)
    _, feed = get(client, "articles:feed")
    [media] = feed.entries[0].media_content
    assert media["url"] == SITE + image.file.url
    assert media["type"] == "image/png"
    assert (media["width"], media["height"]) == ("1000", "600")


def test_section_and_author_feeds_carry_pictures_too(client, pictured):
    author = pictured.authors.get()
    for url in (
        reverse("articles:section-feed", args=[pictured.section.slug]),
        reverse("articles:author-feed-atom", args=[author.slug]),
    ):
        feed = feedparser.parse(client.get(url).content)
        entry = feed.entries[0]
        found = entry.get("media_content") or entry.get("enclosures")
        assert found and found[0].get("url", found[0].get("href")).startswith(SITE + "/media/")
