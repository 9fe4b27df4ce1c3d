"""What machines read of live coverage: LiveBlogPosting JSON-LD equal to the visible updates,
the Atom feed, the Markdown form, the News sitemap, and valid HTML."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.templatetags.iso_dates import iso8601
from live.pages import PAGE_SIZE

from .factories import ArticleFactory, AuthorFactory
from .html_checker import check_html
from .live_factories import CoverageFactory, UpdateFactory, updates_for
from .pages import path_of, soup, structured
from .pages import xml_document as xml

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def live_node(client, path):
    response = client.get(path)
    graph = structured(response, SITE + path)["graph"]
    [node] = [node for node in graph if node.get("@type") == "LiveBlogPosting"]
    assert not [node for node in graph if node.get("@type") == "NewsArticle"]
    return node, soup(response)


def edited_long_ago(article):
    """The article's own last change well before its updates (as a story told live goes)."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=5))


def visible_ids(page):
    return [element["id"] for element in page.select("article.live-update")]


def test_a_live_article_is_a_live_blog_posting_of_its_visible_updates(client):
    reporter = AuthorFactory(name="Ana Ruiz", job_title="City reporter")
    coverage = CoverageFactory()
    plain = UpdateFactory(coverage=coverage, headline="", body="No headline here, just words.")
    titled = UpdateFactory(coverage=coverage, authors=[reporter])
    pinned = UpdateFactory(coverage=coverage, pinned=True, headline="What we know")
    edited_long_ago(coverage.article)
    path = coverage.article.get_absolute_url()
    node, page = live_node(client, path)

    assert node["@id"] == coverage.article.get_canonical_url() + "#article"
    assert node["headline"] == coverage.article.title  # the NewsArticle properties stay
    assert node["coverageStartTime"] == iso8601(coverage.started_at)
    assert "coverageEndTime" not in node
    assert node["about"] == {"@type": "Thing", "name": coverage.about}
    updates = node["liveBlogUpdate"]
    assert [entry["url"].split("#")[1] for entry in updates] == visible_ids(page)
    assert [entry["url"] for entry in updates] == [
        f"{SITE}{path}#update-{update.pk}" for update in (pinned, titled, plain)
    ]
    assert [entry["@type"] for entry in updates] == ["BlogPosting"] * 3
    assert [entry["headline"] for entry in updates] == [
        "What we know", titled.headline, "No headline here, just words.",
    ]  # fmt: skip
    assert updates[1]["datePublished"] == iso8601(titled.published_at)
    assert updates[1]["author"] == [
        {"@type": "Person", "@id": f"{SITE}/author/{reporter.slug}/#author", "name": "Ana Ruiz",
         "url": f"{SITE}/author/{reporter.slug}/", "jobTitle": "City reporter"},
    ]  # fmt: skip
    assert updates[2]["author"] == [{"@id": f"{SITE}/#organization"}]
    # The newest update is later than the article's own last change.
    assert node["dateModified"] == iso8601(pinned.published_at)


def test_older_pages_list_their_own_updates_and_the_newest_time(client):
    coverage = CoverageFactory(ended_at=timezone.now().replace(microsecond=0))
    rows = updates_for(coverage, PAGE_SIZE + 3)
    edited_long_ago(coverage.article)
    path = reverse("live:live-page", args=[coverage.article.slug, 2])
    node, page = live_node(client, path)
    assert [entry["url"] for entry in node["liveBlogUpdate"]] == [
        f"{SITE}{path}#update-{row.pk}" for row in reversed(rows[:3])
    ]
    assert [f"update-{row.pk}" for row in reversed(rows[:3])] == visible_ids(page)
    assert node["mainEntityOfPage"] == SITE + path
    assert node["coverageEndTime"] == iso8601(coverage.ended_at)
    assert node["dateModified"] == iso8601(rows[-1].published_at)


def test_hostile_update_text_stays_text_in_the_json_ld(client):
    coverage = CoverageFactory(about="</script><script>alert(1)</script>")
    UpdateFactory(
        coverage=coverage, headline="</script><!-- x", body="<img src=x onerror=alert(1)>"
    )
    response = client.get(coverage.article.get_absolute_url())
    page = soup(response)
    [script] = page.find_all("script", type="application/ld+json")
    assert "</script" not in script.string and "<!--" not in script.string
    node, _ = live_node(client, coverage.article.get_absolute_url())
    assert node["about"]["name"] == "</script><script>alert(1)</script>"
    assert node["liveBlogUpdate"][0]["headline"] == "</script><!-- x"
    assert page.find("img", attrs={"onerror": True}) is None
    assert not page.find_all("script", src=False, type=lambda value: value != "application/ld+json")


def test_the_atom_feed_has_an_entry_per_update_newest_first(client):
    reporter = AuthorFactory(name="Ana Ruiz")
    coverage = CoverageFactory()
    older = UpdateFactory(coverage=coverage, body="See [the agenda](/agenda/).")
    newer = UpdateFactory(coverage=coverage, authors=[reporter], headline="")
    article = coverage.article
    page = soup(client.get(article.get_absolute_url()))
    [link] = page.select('link[rel=alternate][type="application/atom+xml"][href*="live.atom"]')
    response = client.get(path_of(link["href"], _settings()))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith(article.title)
    assert [entry.link for entry in feed.entries] == [
        f"{SITE}/news/{article.slug}/updates/{update.pk}/" for update in (newer, older)
    ]
    assert feed.entries[0].title == newer.excerpt
    assert feed.entries[0].author == "Ana Ruiz"
    assert feed.entries[1].title == older.headline
    assert f'href="{SITE}/agenda/"' in feed.entries[1].content[0].value
    # Each entry's link opens the page at that update.
    location = client.get(path_of(feed.entries[1].link, _settings()))["Location"]
    assert location == f"/news/{article.slug}/#update-{older.pk}"


def _settings():
    from django.conf import settings

    return settings


def test_the_markdown_form_carries_the_updates(client):
    coverage = CoverageFactory()
    reporter = AuthorFactory(name="Ana Ruiz")
    first = UpdateFactory(coverage=coverage, body="The first one.")
    second = UpdateFactory(coverage=coverage, body="The second\r\none.", authors=[reporter])
    pinned = UpdateFactory(coverage=coverage, pinned=True, body="The summary.")
    response = client.get(coverage.article.get_markdown_url().removeprefix(SITE))
    assert response.status_code == 200
    document = response.content.decode()
    _, live = document.split("\n## Live updates\n")
    assert f"Coverage started: {iso8601(coverage.started_at)}" in live
    order = [live.index(text) for text in ("The summary.", "The second\none.", "The first one.")]
    assert order == sorted(order)
    assert f"### {iso8601(second.published_at)} · {second.headline}\n*By Ana Ruiz*" in live
    assert f"### {iso8601(pinned.published_at)} · {pinned.headline}\n*Pinned*" in live
    assert first.headline in live


def test_running_coverage_stays_in_the_news_sitemap(client):
    long_ago = timezone.now() - timedelta(days=9)
    running = CoverageFactory(article__published_at=long_ago)
    ended = CoverageFactory(article__published_at=long_ago, ended_at=timezone.now())
    ArticleFactory(published_at=long_ago, slug="old-news")
    urlset = xml(client.get("/news-sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [url.text for url in urlset.findall("s:url/s:loc", ns)]
    assert locs == [running.article.get_canonical_url()]
    assert ended.article.get_canonical_url() not in locs


def test_ending_coverage_takes_it_out_of_the_cached_news_sitemap(client):
    running = CoverageFactory(article__published_at=timezone.now() - timedelta(days=9))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def locs():
        return [url.text for url in xml(client.get("/news-sitemap.xml")).findall("s:url/s:loc", ns)]

    assert locs() == [running.article.get_canonical_url()]
    running.ended_at = timezone.now()
    running.save()
    assert locs() == []


def test_live_pages_are_valid_html(client, tmp_path, media_root):
    from .test_structured_data import png

    coverage = CoverageFactory()
    UpdateFactory(coverage=coverage, pinned=True, body="## A heading\n\nA *summary*.")
    UpdateFactory(coverage=coverage, image=png(800, 450), image_alt="The council chamber")
    updates_for(coverage, PAGE_SIZE + 2)
    UpdateFactory(coverage=coverage, authors=[AuthorFactory(), AuthorFactory()])
    ended = CoverageFactory(ended_at=timezone.now())
    pages = {
        "live": coverage.article.get_absolute_url(),
        "older": reverse("live:live-page", args=[coverage.article.slug, 2]),
        "ended": ended.article.get_absolute_url(),
    }
    html = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html[name] = response.content.decode()
    found = check_html(html, tmp_path)
    problems = {
        name: [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
               or m.get("subType") == "warning"]
        for name, messages in found.items()
    }  # fmt: skip
    assert problems == {name: [] for name in html}
