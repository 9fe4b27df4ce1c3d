"""What every reader page wears: the header's mark and sections, and the icons browsers ask for."""

import io

import pytest
from PIL import Image

from tests.factories import ArticleFactory, SectionFactory
from tests.pages import soup, text

pytestmark = pytest.mark.django_db


def section_links(page):
    return [
        (text(link), link["href"], link.get("aria-current"))
        for link in page.select("header nav.section-nav a")
    ]


def test_the_header_lists_every_section_and_marks_the_one_being_read(client):
    politics = SectionFactory(name="Politics", slug="politics")
    ArticleFactory(section=politics)
    SectionFactory(name="Climate", slug="climate")

    home = soup(client.get("/"))
    assert section_links(home) == [
        ("Climate", "/section/climate/", None),
        ("Politics", "/section/politics/", None),
    ]
    assert home.select_one("header nav.section-nav")["aria-label"] == "Sections"

    on_section = soup(client.get("/section/politics/"))
    assert section_links(on_section)[1] == ("Politics", "/section/politics/", "page")
    assert [current for *_, current in section_links(on_section)].count("page") == 1


def test_the_header_mark_is_decorative_beside_the_site_name(client):
    header = soup(client.get("/")).select_one("header .site-name")
    mark = header.find("img")
    assert mark["alt"] == "" and (mark["width"], mark["height"]) == ("32", "32")
    assert text(header) == "InsidersFeed"


def test_renaming_a_section_reaches_pages_that_show_none_of_its_stories(
    client, django_assert_num_queries
):
    section = SectionFactory(name="Politics", slug="politics")
    elsewhere = ArticleFactory(section=SectionFactory(name="Climate", slug="climate"))
    url = elsewhere.get_absolute_url()
    assert [name for name, *_ in section_links(soup(client.get(url)))] == ["Climate", "Politics"]
    with django_assert_num_queries(1):  # served from the page cache: only the tag versions
        client.get(url)
    section.name = "Power"
    section.save()
    assert [name for name, *_ in section_links(soup(client.get(url)))] == ["Climate", "Power"]


@pytest.mark.parametrize(
    "path, content_types, sizes",
    [
        ("/favicon.ico", {"image/x-icon", "image/vnd.microsoft.icon"}, {(16, 16), (32, 32)}),
        ("/apple-touch-icon.png", {"image/png"}, {(180, 180)}),
    ],
)
def test_icons_are_served_at_the_root_as_real_images(client, path, content_types, sizes):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] in content_types
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    available = image.info.get("sizes") or {image.size}
    assert sizes <= set(available)


def test_pages_link_the_icons_they_serve(client):
    head = soup(client.get("/")).head
    icons = {
        link["href"] for link in head.select('link[rel~="icon"], link[rel="apple-touch-icon"]')
    }
    assert {"/favicon.ico", "/apple-touch-icon.png"} <= icons


def test_indexable_pages_allow_large_image_previews_and_previews_do_not(client, staff_client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url(),
                article.authors.first().get_absolute_url()):  # fmt: skip
        robots = [meta["content"] for meta in soup(client.get(url)).select('meta[name="robots"]')]
        assert robots == ["max-image-preview:large, max-snippet:-1"], url
    draft = ArticleFactory(draft=True)
    preview = soup(staff_client.get(draft.get_absolute_url()))
    assert [m["content"] for m in preview.select('meta[name="robots"]')] == ["noindex, nofollow"]
