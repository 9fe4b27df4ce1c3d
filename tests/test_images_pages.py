"""Pictures on reader pages: <picture> markup from the renditions, the caption under the lead
image, JSON-LD and social tags from the crops, constant query counts, fresh pages after a
picture changes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from images.models import Rendition
from images.renditions import replace_renditions

from .factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from .pages import graph_nodes, soup, text
from .queue import drain

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings, media_root):
    settings.SITE_URL = SITE


def rendered(**fields):
    image = ImageFactory(**fields)
    replace_renditions(image)
    return image


def widths(srcset):
    return [int(part.split()[1].removesuffix("w")) for part in srcset.split(", ")]


def test_lead_picture_has_avif_and_webp_sources_and_a_jpeg_img(client):
    image = rendered()
    article = ArticleFactory(lead_image=image)
    page = soup(client.get(article.get_absolute_url()))
    picture = page.select_one(".article__image picture")
    sources = picture.find_all("source")
    assert [source["type"] for source in sources] == ["image/avif", "image/webp"]
    for source in sources:
        assert widths(source["srcset"]) == [480, 800, 1200, 1600]
        assert source["sizes"] == "(min-width: 40rem) 38rem, calc(100vw - 2rem)"
        extension = source["type"].split("/")[1]
        assert all(url.split()[0].endswith(f".{extension}") for url in source["srcset"].split(","))
    img = picture.find("img")
    assert widths(img["srcset"]) == [480, 800, 1200, 1600]
    assert img["src"].endswith(".jpg")
    assert (img["width"], img["height"]) == ("800", "450")  # the 16:9 crop
    assert img["alt"] == "Ferries at the quay at dawn"
    assert img["fetchpriority"] == "high"
    assert "loading" not in img.attrs  # the lead image is never lazy
    assert img["decoding"] == "async"
    # Every URL in the markup is a rendition that exists, of the size its descriptor says.
    by_url = {r.file.url: r for r in image.renditions.all()}
    for srcset in [img["srcset"], *(s["srcset"] for s in sources)]:
        for url, width in (part.split() for part in srcset.split(", ")):
            assert by_url[url].width == int(width[:-1]) and by_url[url].crop == "16:9"


def test_caption_credit_and_licence_are_under_the_lead_picture(client):
    image = rendered(size=(600, 400), caption='Boats & "ferries" <at> dawn')
    article = ArticleFactory(lead_image=image)
    response = client.get(article.get_absolute_url())
    figure = soup(response).select_one("figure.article__image")
    caption = figure.find("figcaption")
    assert text(caption.select_one(".figure__text")) == 'Boats & "ferries" <at> dawn'
    assert text(caption.select_one(".figure__credit")) == "Photo: Ana Ruiz / InsidersFeed"
    licence = caption.select_one(".figure__licence a[rel=license]")
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert b"&lt;at&gt;" in response.content  # escaped once, not twice
    assert b"&amp;lt;" not in response.content


def test_before_its_renditions_exist_a_page_shows_the_original_at_its_size(client):
    image = ImageFactory(size=(1000, 700))
    article = ArticleFactory(lead_image=image)
    img = soup(client.get(article.get_absolute_url())).select_one(".article__image img")
    assert img["src"] == image.file.url
    assert (img["width"], img["height"]) == ("1000", "700")
    assert "srcset" not in img.attrs
    assert img.find_parent("picture").find("source") is None


def test_cards_are_image_led_and_lazy_below_the_lead(client):
    section = SectionFactory()
    hour = timedelta(hours=1)
    now = timezone.now().replace(microsecond=0)
    picture = rendered(size=(900, 600))
    for hours_ago in (3, 4):
        ArticleFactory(section=section, lead_image=picture, published_at=now - hours_ago * hour)
    ArticleFactory(section=section, published_at=now - 2 * hour)  # no picture
    lead = ArticleFactory(
        section=section, lead_image=rendered(size=(900, 600)), published_at=now - hour
    )
    page = soup(client.get(reverse("articles:home")))
    lead_img = page.select_one(".card--lead picture img")
    assert lead_img["fetchpriority"] == "high"
    assert lead_img["alt"] == lead.lead_image.description
    cards = page.select(".cards .card")
    assert len(cards) == 3
    pictured = [card for card in cards if card.select_one("picture")]
    assert len(pictured) == 2
    for card in pictured:
        img = card.select_one("picture img")
        assert img["loading"] == "lazy" and "fetchpriority" not in img.attrs
        assert int(img["width"]) * 3 == int(img["height"]) * 4  # the 4:3 crop
        # The headline comes first in reading order; CSS puts the picture on top.
        assert card.find(class_="card__text").find_next_sibling("picture") is not None
    section_page = soup(client.get(section.get_absolute_url()))
    assert len(section_page.select(".cards .card picture")) == 3


def test_related_stories_are_cards_with_pictures(client):
    article = ArticleFactory(lead_image=rendered(size=(900, 600)))
    other = ArticleFactory(section=article.section, lead_image=article.lead_image)
    related = soup(client.get(article.get_absolute_url())).select_one("section.related")
    card = related.select_one(".card")
    assert card.select_one(".card__title a")["href"] == other.get_absolute_url()
    assert card.select_one("picture img")["loading"] == "lazy"


def test_author_page_shows_portrait_job_title_bio_and_links(client):
    author = AuthorFactory(
        name="Maya Okafor", job_title="City reporter", bio="Covers the council.",
        profile_links="https://maya.example.org/", portrait=rendered(size=(600, 800)),
    )  # fmt: skip
    ArticleFactory(authors=[author], lead_image=rendered(size=(900, 600)))
    page = soup(client.get(author.get_absolute_url()))
    profile = page.select_one(".profile")
    portrait = profile.select_one(".profile__portrait img")
    assert portrait["width"] == portrait["height"]  # the square crop
    assert portrait["alt"] == "Ferries at the quay at dawn"
    assert text(profile.select_one(".profile__job")) == "City reporter"
    assert "Covers the council." in text(profile)
    assert profile.select_one(".profile-links a")["href"] == "https://maya.example.org/"
    assert len(page.select(".cards .card picture")) == 1


def test_json_ld_lists_the_three_crops_at_1200_px_with_rights(client):
    image = rendered()  # 1600 × 900
    article = ArticleFactory(lead_image=image)
    page = soup(client.get(article.get_absolute_url()))
    [node] = graph_nodes(page, "NewsArticle")
    objects = node["image"]
    assert [(o["width"], o["height"]) for o in objects] == [(1200, 675), (1200, 900), (900, 900)]
    by_url = {SITE + r.file.url: r for r in image.renditions.all()}
    assert [by_url[o["url"]].crop for o in objects] == ["16:9", "4:3", "1:1"]
    for found in objects:
        assert found["@type"] == "ImageObject"
        assert found["contentUrl"] == found["url"] and found["url"].startswith(SITE + "/media/")
        assert by_url[found["url"]].format == "jpeg"
        assert found["caption"] == "The morning crossing leaves on time again."
        assert found["creditText"] == "Photo: Ana Ruiz / InsidersFeed"
        assert found["copyrightNotice"] == "Photo: Ana Ruiz / InsidersFeed"
        assert found["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert found["creator"] == {"@type": "Person", "name": "Ana Ruiz"}
    assert objects[0]["@id"] == article.get_canonical_url() + "#primaryimage"


def test_social_tags_use_the_wide_crop(client):
    image = rendered()
    article = ArticleFactory(lead_image=image)
    page = soup(client.get(article.get_absolute_url()))
    meta = {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in page.find_all("meta")
        if (tag.get("property") or tag.get("name") or "").startswith(("og:image", "twitter:"))
    }
    wide = image.best("16:9")
    assert (wide.crop, wide.format, wide.width) == ("16:9", "jpeg", 1200)
    assert meta["og:image"] == meta["twitter:image"] == SITE + wide.file.url
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "675")
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == "Ferries at the quay at dawn"
    assert meta["twitter:card"] == "summary_large_image"


def first_view_queries(client, article):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


BODY_IMAGES = "\n\n".join(f"![Figure {n}](/media/uploads/figure-{n}.png)" for n in range(8))


def test_article_page_queries_do_not_grow_with_pictures(client):
    """No picture: N. The lead's renditions: one prefetch. Related stories' pictures: one more,
    however many there are. Pictures in the body are Markdown: no query at all."""
    bare = ArticleFactory()
    ArticleFactory(section=bare.section)
    plain = first_view_queries(client, bare)

    picture = rendered(size=(500, 300))
    led = ArticleFactory(lead_image=picture)
    ArticleFactory(section=led.section)
    assert first_view_queries(client, led) == plain + 1

    busy = ArticleFactory(lead_image=picture, body="Opening.\n\n" + BODY_IMAGES)
    ArticleFactory(section=busy.section, lead_image=picture)
    with_related = first_view_queries(client, busy)
    assert with_related == plain + 2

    busier = ArticleFactory(lead_image=rendered(size=(500, 300)), body=BODY_IMAGES * 3)
    for _ in range(4):
        ArticleFactory(section=busier.section, lead_image=rendered(size=(400, 300)))
    assert first_view_queries(client, busier) == with_related


def test_listing_queries_do_not_grow_with_pictures(client, django_assert_num_queries):
    few, many = SectionFactory(), SectionFactory()
    ArticleFactory.create_batch(2, section=few, lead_image=rendered(size=(400, 300)))
    for _ in range(8):
        ArticleFactory(section=many, lead_image=rendered(size=(400, 300)))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(few.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(len(queries)):
        page = soup(client.get(many.get_absolute_url()))
    assert len(page.select(".cards picture source")) == 16


def test_a_picture_change_is_on_the_page_at_the_next_request(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory(size=(900, 600))
        article = ArticleFactory(lead_image=image)
    url = article.get_absolute_url()
    before = soup(client.get(url)).select_one(".article__image")
    assert before.find("source") is None  # renditions not made yet: the original
    with django_capture_on_commit_callbacks(execute=True):
        drain()  # the worker makes them and saves the image
    after = soup(client.get(url)).select_one(".article__image")
    assert [s["type"] for s in after.find_all("source")] == ["image/avif", "image/webp"]
    with django_capture_on_commit_callbacks(execute=True):
        image.caption = "A corrected caption"
        image.save()
    assert text(soup(client.get(url)).select_one(".figure__text")) == "A corrected caption"
    home = soup(client.get(reverse("articles:home")))
    assert home.select_one(".card--lead source") is not None


def test_rendition_rows_cover_every_crop_and_format():
    image = rendered(size=(500, 300))
    kinds = set(image.renditions.values_list("crop", "format"))
    assert kinds == {(c, f) for c in Rendition.Crop.values for f in Rendition.Format.values}


def test_hostile_picture_text_stays_text_in_html_attributes_and_json_ld(client):
    hostile = '</script><script>alert(1)</script>" onerror="alert(2)'
    image = rendered(size=(500, 300), description=hostile, caption=hostile, credit=hostile)
    article = ArticleFactory(lead_image=image)
    response = client.get(article.get_absolute_url())
    page = soup(response)
    img = page.select_one(".article__image img")
    assert img["alt"] == hostile and "onerror" not in img.attrs
    assert text(page.select_one(".figure__text")) == hostile
    scripts = page.find_all("script")
    assert all(s.get("type") == "application/ld+json" for s in scripts)  # none of ours runs
    [node] = graph_nodes(page, "NewsArticle")
    assert node["image"][0]["caption"] == hostile
    assert b"</script><script>alert(1)" not in response.content


def test_author_page_json_ld_has_the_portrait(client):
    author = AuthorFactory(name="Maya Okafor", portrait=rendered(size=(600, 800)))
    page = soup(client.get(author.get_absolute_url()))
    [person] = graph_nodes(page, "Person")
    square = author.portrait.best("1:1")
    assert person["image"]["url"] == SITE + square.file.url
    assert person["image"]["width"] == person["image"]["height"] == 600
