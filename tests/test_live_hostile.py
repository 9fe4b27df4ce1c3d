"""The hostile corpus through every field of live coverage a journalist edits: the page, its
JSON-LD, the polling JSON's fragment, the Atom feed and the Markdown form stay inert and
carry the strings as typed."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.rendering import render_markdown

from .hostile_corpus import CASES, assert_inert, assert_inert_markup
from .live_factories import CoverageFactory, UpdateFactory
from .pages import graph_nodes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", CASES.values(), ids=CASES.keys())
def test_hostile_text_in_live_coverage_renders_inert_and_intact(client, payload):
    one_line = " ".join(payload.split())[:200] or "x"
    # Ended, so the page carries no script of ours and the corpus's check applies to all of it.
    coverage = CoverageFactory(about=one_line, ended_at=timezone.now())
    update = UpdateFactory(coverage=coverage, headline=one_line, body=payload)
    article = coverage.article

    page = assert_inert(client.get(article.get_absolute_url()))
    element = page.find(id=f"update-{update.pk}")
    assert element.select_one(".live-update__headline").get_text() == one_line
    assert page.select_one(".live__about").get_text() == one_line
    (live,) = graph_nodes(page, "LiveBlogPosting")
    assert live["about"]["name"] == one_line
    assert live["liveBlogUpdate"][0]["headline"] == one_line
    for raw in (script.string for script in page.find_all("script")):
        assert "<" not in raw and "\u2028" not in raw and "\u2029" not in raw

    # The polling JSON's fragment, while the coverage runs.
    coverage.ended_at = None
    coverage.save()
    data = client.get(reverse("live:live-json", args=[article.slug])).json()
    fragment = assert_inert_markup(data["html"])
    assert fragment.select_one(".live-update__headline").get_text() == one_line

    response = client.get(reverse("live:live-feed", args=[article.slug]))
    document = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = document.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text == one_line
    assert_inert_markup(entry.find(f"{atom}content").text or "")

    markdown = client.get(f"/news/{article.slug}.md").content.decode()
    assert_inert_markup(render_markdown(markdown))
