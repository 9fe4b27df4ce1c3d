"""The machine-readable side of our pages, read back with extruct, not string matching."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.canonical import default_social_image
from articles.models import Article, Author

from .factories import (
    ArticleFactory,
    AuthorFactory,
    FAQEntryFactory,
    ImageFactory,
    SectionFactory,
)
from .pages import node_of, soup, structured, text

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"

# Google's Article / NewsArticle rich result properties (all of them are recommended ones).
NEWS_ARTICLE_PROPERTIES = {
    "headline", "description", "image", "datePublished", "dateModified", "author",
    "publisher", "mainEntityOfPage", "articleSection", "inLanguage", "alternativeHeadline",
    "url", "@id",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_SAME_AS = ["https://social.example/@insidersfeed", "https://video.example/if"]


def png(width, height):
    buffer = BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("lead.png", buffer.getvalue(), content_type="image/png")


def full_article(**fields):
    author = AuthorFactory(name="Maya Okafor", kind=Author.Kind.PERSON, slug="maya-okafor")
    article = ArticleFactory(
        slug="bridges",
        section=SectionFactory(name="City", slug="city"),
        authors=[author],
        lead_image=ImageFactory(size=(1200, 675), description="The river bridge under scaffolding"),
        **fields,
    )
    FAQEntryFactory.create_batch(2, article=article)
    return article


def read(client, article):
    return structured(client.get(article.get_absolute_url()), article.get_canonical_url())


def test_news_article_has_every_required_and_recommended_property(client, media_root):
    article = full_article()
    graph = read(client, article)["graph"]
    node = node_of(graph, "NewsArticle")
    canonical = f"{SITE}/news/bridges/"

    assert set(node) - {"@type"} >= NEWS_ARTICLE_PROPERTIES
    assert node["@id"] == canonical + "#article"
    assert node["url"] == node["mainEntityOfPage"] == canonical
    assert node["headline"] == article.title
    assert node["description"] == article.standfirst
    assert node["alternativeHeadline"] == article.kicker
    assert node["articleSection"] == "City"
    assert node["inLanguage"] == "en"
    # No renditions made yet: the original stands in, at its own size.
    [image] = node["image"]
    assert image["url"] == SITE + article.lead_image.file.url
    assert (image["width"], image["height"]) == (1200, 675)
    assert node["author"] == [
        {
            "@type": "Person",
            "@id": f"{SITE}/author/maya-okafor/#author",
            "name": "Maya Okafor",
            "url": f"{SITE}/author/maya-okafor/",
        }
    ]
    assert node["publisher"] == {"@id": f"{SITE}/#organization"}


def test_dates_are_iso_8601_with_a_zone_and_shown_on_the_page(client, media_root):
    article = full_article()
    later = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(updated_at=later)
    article.refresh_from_db()
    response = client.get(article.get_absolute_url())
    node = node_of(structured(response, article.get_canonical_url())["graph"], "NewsArticle")
    published = datetime.fromisoformat(node["datePublished"])
    modified = datetime.fromisoformat(node["dateModified"])
    assert published.tzinfo is not None and modified.tzinfo is not None
    assert published == article.published_at
    assert modified == article.updated_at

    byline = soup(response).select_one(".article__header .byline")
    shown = [datetime.fromisoformat(time["datetime"]) for time in byline.find_all("time")]
    assert shown == [published, modified]
    assert "Updated" in text(byline.select_one(".byline__updated"))


def test_an_article_saved_on_publication_shows_no_update(client):
    article = ArticleFactory(published_at=timezone.now())
    response = client.get(article.get_absolute_url())
    node = node_of(structured(response, article.get_canonical_url())["graph"], "NewsArticle")
    assert node["dateModified"] == node["datePublished"]
    assert soup(response).select_one(".byline__updated") is None


def test_the_lead_image_in_the_json_ld_is_shown_on_the_page(client, media_root):
    article = full_article()
    page = soup(client.get(article.get_absolute_url()))
    image = page.select_one(".article__image img")
    assert image["src"] == article.lead_image.file.url
    assert image["alt"] == "The river bridge under scaffolding"
    assert (image["width"], image["height"]) == ("1200", "675")


def test_an_article_without_an_image_claims_none_but_cards_use_the_site_image(client):
    article = ArticleFactory()
    data = read(client, article)
    assert "image" not in node_of(data["graph"], "NewsArticle")
    assert data["og"]["og:image"] == [f"{SITE}/static/img/social-default.png"]
    assert data["og"]["og:image:width"] == ["1200"]
    assert data["og"]["og:image:height"] == ["630"]
    with Image.open("static/img/social-default.png") as image:
        assert image.size == (1200, 630)


def test_a_desk_byline_is_an_organization_with_its_own_page(client):
    desk = AuthorFactory(name="The InsidersFeed Desk", kind=Author.Kind.DESK, slug="desk")
    article = ArticleFactory(authors=[desk])
    [author] = node_of(read(client, article)["graph"], "NewsArticle")["author"]
    assert author["@type"] == "Organization"
    assert author["url"] == f"{SITE}/author/desk/"
    assert client.get(desk.get_absolute_url()).status_code == 200


def test_publisher_organization_has_name_url_logo_and_same_as(client):
    graph = read(client, ArticleFactory())["graph"]
    organization = node_of(graph, "NewsMediaOrganization")
    assert organization["@id"] == f"{SITE}/#organization"
    assert organization["name"] == "InsidersFeed"
    assert organization["url"] == f"{SITE}/"
    assert organization["logo"]["url"] == f"{SITE}/static/img/logo.png"
    assert (organization["logo"]["width"], organization["logo"]["height"]) == (512, 512)
    assert organization["sameAs"] == [
        "https://social.example/@insidersfeed",
        "https://video.example/if",
    ]
    with Image.open("static/img/logo.png") as logo:
        assert logo.size == (512, 512)


def test_breadcrumbs_run_home_section_article_and_match_the_visible_trail(client):
    article = ArticleFactory(section=SectionFactory(name="City", slug="city"), slug="bridges")
    response = client.get(article.get_absolute_url())
    crumbs = node_of(structured(response, article.get_canonical_url())["graph"], "BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [(item["position"], item["name"], item["item"]) for item in items] == [
        (1, "InsidersFeed", f"{SITE}/"),
        (2, "City", f"{SITE}/section/city/"),
        (3, article.title, f"{SITE}/news/bridges/"),
    ]
    page = soup(response)
    trail = page.select("nav.breadcrumbs a")
    assert [(text(a), SITE + a["href"]) for a in trail] == [
        (item["name"], item["item"]) for item in items[:2]
    ]
    assert text(page.find("h1")) == items[2]["name"]


def test_faq_page_questions_answers_and_allowed_answer_markup(client):
    article = ArticleFactory()
    FAQEntryFactory(
        article=article,
        question="Is it open?",
        answer="Mostly **yes**.\n\n```\ncode\n```\n\n| a |\n|---|\n| b |",
    )
    faq = node_of(read(client, article)["graph"], "FAQPage")
    [question] = faq["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == "Is it open?"
    assert question["acceptedAnswer"]["@type"] == "Answer"
    answer = question["acceptedAnswer"]["text"]
    assert "<strong>yes</strong>" in answer
    assert "<pre" not in answer and "<code" not in answer and "<table" not in answer


def test_page_emits_one_graph_and_no_competing_microdata(client, media_root):
    article = full_article()
    page = soup(client.get(article.get_absolute_url()))
    assert len(page.find_all("script", type="application/ld+json")) == 1
    assert read(client, article)["microdata"] == []


def test_open_graph_and_twitter_tags_describe_the_article(client, media_root):
    article = full_article()
    og = read(client, article)["og"]
    assert og["og:type"] == ["article"]
    assert og["og:url"] == [f"{SITE}/news/bridges/"]
    assert og["og:title"] == [article.title]
    assert og["og:description"] == [article.standfirst]
    assert og["og:image"] == [SITE + article.lead_image.file.url]
    assert og["og:image:alt"] == ["The river bridge under scaffolding"]
    assert (og["og:image:width"], og["og:image:height"]) == (["1200"], ["675"])
    assert datetime.fromisoformat(og["article:published_time"][0]) == article.published_at
    modified = datetime.fromisoformat(og["article:modified_time"][0])
    assert modified == article.modified_at.replace(microsecond=0)
    assert og["article:section"] == ["City"]
    assert og["article:author"] == [f"{SITE}/author/maya-okafor/"]

    page = soup(client.get(article.get_absolute_url()))
    twitter = {
        meta["name"]: meta["content"]
        for meta in page.find_all("meta", attrs={"name": lambda n: n and n.startswith("twitter:")})
    }
    assert twitter == {
        "twitter:card": "summary_large_image",
        "twitter:title": article.title,
        "twitter:description": article.standfirst,
        "twitter:image": SITE + article.lead_image.file.url,
        "twitter:image:alt": "The river bridge under scaffolding",
    }


def test_home_page_has_website_and_organization(client):
    response = client.get(reverse("articles:home"))
    data = structured(response, SITE + "/")
    website = node_of(data["graph"], "WebSite")
    assert website["@id"] == f"{SITE}/#website"
    assert website["url"] == f"{SITE}/"
    assert website["name"] == "InsidersFeed"
    assert website["publisher"] == {"@id": f"{SITE}/#organization"}
    organization = node_of(data["graph"], "NewsMediaOrganization")
    assert {"name", "url", "logo", "sameAs"} <= set(organization)
    assert data["og"]["og:type"] == ["website"]
    assert data["og"]["og:url"] == [f"{SITE}/"]


def test_hostile_text_stays_text_in_json_ld_and_meta_tags(client):
    evil = '</script><script>alert(1)</script>"><b>'
    article = ArticleFactory(title=f"Title {evil}", standfirst=f"Standfirst {evil}")
    response = client.get(article.get_absolute_url())
    page = soup(response)
    assert [s.get("type") for s in page.find_all("script")] == ["application/ld+json"]
    data = structured(response, article.get_canonical_url())
    assert node_of(data["graph"], "NewsArticle")["headline"] == f"Title {evil}"
    assert data["og"]["og:title"] == [f"Title {evil}"]
    assert page.find("meta", attrs={"name": "twitter:description"})["content"] == (
        f"Standfirst {evil}"
    )
    assert page.find("b") is None


def test_home_carries_the_same_twitter_set_as_articles(client):
    page = soup(client.get(reverse("articles:home")))
    twitter = {
        meta["name"]: meta["content"]
        for meta in page.find_all("meta", attrs={"name": lambda n: n and n.startswith("twitter:")})
    }
    image = default_social_image()
    assert twitter == {
        "twitter:card": "summary_large_image",
        "twitter:title": "InsidersFeed",
        "twitter:description": settings.SITE_DESCRIPTION,
        "twitter:image": image.url,
        "twitter:image:alt": image.alt,
    }
