"""Every machine-read date in one form: ISO 8601 to the second with the zone offset."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from .factories import ArticleFactory
from .pages import path_of, soup

pytestmark = pytest.mark.django_db

ISO_TO_THE_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture
def article():
    # Times with microseconds, as the clock gives them: none of them may show.
    story = ArticleFactory(slug="dated", published_at=timezone.now() - timedelta(hours=3))
    ArticleFactory(section=story.section, published_at=timezone.now() - timedelta(hours=4))
    story.corrections.create(text="A date was wrong.", corrected_at=timezone.now())
    return story


def xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return ET.fromstring(response.content)  # noqa: S314


def assert_iso(values):
    assert values
    for value in values:
        assert ISO_TO_THE_SECOND.match(value), value


def test_sitemaps_date_every_entry_to_the_second(client, settings, article):
    index = xml(client, "/sitemap.xml")
    assert_iso([element.text for element in index.findall("s:sitemap/s:lastmod", NS)])
    for location in index.findall("s:sitemap/s:loc", NS):
        urlset = xml(client, path_of(location.text, settings))
        assert_iso([element.text for element in urlset.findall("s:url/s:lastmod", NS)])
    news = xml(client, "/news-sitemap.xml")
    assert_iso([element.text for element in news.findall("s:url/s:lastmod", NS)])
    assert_iso([e.text for e in news.findall("s:url/news:news/news:publication_date", NS)])


@pytest.mark.parametrize("path", ["/news/dated/", "/corrections/"])
def test_every_time_element_is_to_the_second(client, article, path):
    times = soup(client.get(path)).find_all("time")
    assert_iso([element["datetime"] for element in times])


def test_atom_and_markdown_dates_are_to_the_second(client, article):
    feed = xml(client, "/feed/atom/")
    assert_iso([e.text for e in feed.iter() if e.tag.endswith(("}updated", "}published"))])
    markdown = client.get("/news/dated.md").content.decode()
    dates = re.findall(r"^(?:Published: |### )(\d{4}-\S+)$", markdown, re.MULTILINE)
    assert len(dates) == 2
    assert_iso(dates)
