"""The demo's live article: loaded once with a dozen updates, one pinned; loading again keeps
what the newsroom changed; its page and JSON-LD read as a live blog."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from live.models import Coverage, Update, UpdateEvent

from .pages import soup, structured

pytestmark = pytest.mark.django_db

SLUG = "riverton-council-budget-night"


def load(*args):
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def test_the_demo_has_one_live_article_with_a_dozen_updates_one_pinned():
    output = load()
    assert "Loaded 4 demo articles" in output
    assert "Loaded 1 live demo articles with their updates." in output
    coverage = Coverage.objects.get(article__slug=SLUG)
    assert coverage.is_running and coverage.about
    assert coverage.updates.count() == 12
    assert list(coverage.updates.filter(pinned=True).values_list("headline", flat=True)) == [
        "Where things stand"
    ]
    assert all(update.authors.exists() for update in coverage.updates.all())
    assert UpdateEvent.objects.filter(action="posted").count() == 12
    assert coverage.article.is_public


def test_loading_again_keeps_what_the_newsroom_changed():
    load()
    update = Update.objects.get(headline="The chamber fills up")
    update.body = "Corrected by an editor."
    update.save()
    Update.objects.get(headline="What comes next").delete()
    output = load()
    assert "kept 1 that exist" in output
    assert Update.objects.get(pk=update.pk).body == "Corrected by an editor."
    assert Update.objects.count() == 11
    load("--update")  # puts the article's text back, never the updates
    assert Update.objects.count() == 11
    assert Coverage.objects.count() == 1


def test_a_dry_run_saves_nothing():
    assert "Checked 1 live demo articles" in load("--dry-run")
    assert not Article.objects.exists() and not Coverage.objects.exists()


def test_the_demo_page_reads_as_a_live_blog(client, settings):
    load()
    article = Article.objects.get(slug=SLUG)
    response = client.get(article.get_absolute_url())
    page = soup(response)
    assert page.select_one(".live-status__badge").get_text() == "Live"
    ids = [element["id"] for element in page.select("article.live-update")]
    assert len(ids) == 12
    pinned = Update.objects.get(pinned=True)
    assert ids[0] == f"update-{pinned.pk}"
    graph = structured(response, settings.SITE_URL + article.get_absolute_url())["graph"]
    [node] = [node for node in graph if node["@type"] == "LiveBlogPosting"]
    assert [entry["url"].split("#")[1] for entry in node["liveBlogUpdate"]] == ids
    for entry in node["liveBlogUpdate"]:
        assert entry["headline"] and entry["datePublished"] and entry["author"]
