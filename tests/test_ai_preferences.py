"""Every output that states AI-use preferences agrees, for every site default and override."""

import itertools
import urllib.robotparser

import feedparser
import pytest

from articles.ai_preferences import KNOWN_AGENTS
from articles.models import AIPreference, SiteAIPreferences

from . import robots
from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

USES = ("training", "answers", "user_fetch")
SITE_DEFAULTS = list(itertools.product([True, False], repeat=3))
OVERRIDES = list(itertools.product([None, True, False], repeat=3))
FIELD = {"training": "ai_training", "answers": "ai_answers", "user_fetch": "ai_user_fetch"}


CHOICE = {None: AIPreference.SITE_DEFAULT, True: AIPreference.ALLOW, False: AIPreference.DISALLOW}
SITE_FIELDS = ("allow_training", "allow_answers", "allow_user_fetch")


def yn(value):
    return "y" if value else "n"


@pytest.mark.parametrize("site", SITE_DEFAULTS, ids=lambda s: "site-" + "".join(map(yn, s)))
@pytest.mark.parametrize("override", OVERRIDES, ids=lambda o: "art-" + "".join(
    "-" if v is None else yn(v) for v in o))  # fmt: skip
def test_every_output_agrees_with_the_preferences(client, site, override):
    SiteAIPreferences(**dict(zip(SITE_FIELDS, site, strict=True))).save()
    ArticleFactory(slug="neighbour")  # follows the site
    article = ArticleFactory(
        slug="story",
        **{FIELD[use]: CHOICE[choice] for use, choice in zip(USES, override, strict=True)},
    )
    expected = {
        use: site_value if choice is None else choice
        for use, site_value, choice in zip(USES, site, override, strict=True)
    }
    site_prefs = dict(zip(USES, site, strict=True))
    ai_input = expected["answers"] and expected["user_fetch"]
    page_path, markdown_path = "/news/story/", "/news/story.md"

    # The page and its Markdown form say the article's own preferences.
    page = client.get(page_path)
    assert page["Content-Usage"] == f"train-ai={yn(expected['training'])}, search=y"
    markdown = client.get(markdown_path)
    assert markdown.status_code == (200 if ai_input else 404)
    negotiated = client.get(page_path, headers={"accept": "text/markdown"})
    assert negotiated["Content-Type"].startswith("text/markdown" if ai_input else "text/html")
    if ai_input:
        assert markdown["Content-Usage"] == page["Content-Usage"]

    # llms.txt links the Markdown form, llms-full.txt carries the text, only when allowed.
    llms = client.get("/llms.txt").content.decode()
    assert (f"({article.get_markdown_url()})" in llms) is ai_input
    full = client.get("/llms-full.txt").content.decode()
    assert (f"Canonical: {article.get_canonical_url()}" in full) is (
        ai_input and expected["training"]
    )
    assert "Canonical: http://127.0.0.1:8000/news/neighbour/" in full or not (
        site_prefs["answers"] and site_prefs["user_fetch"] and site_prefs["training"]
    )

    # A feed promises only what every listed article allows.
    feed = client.get("/feed/")
    assert not feedparser.parse(feed.content).bozo
    strictest_training = expected["training"] and site_prefs["training"]
    assert feed["Content-Usage"] == f"train-ai={yn(strictest_training)}, search=y"

    # robots.txt: the site's Content-Signal, and per crawler what its use allows.
    text = client.get("/robots.txt").content.decode()
    site_input = site_prefs["answers"] and site_prefs["user_fetch"]
    signal = (
        f"Content-Signal: search=yes, ai-input={'yes' if site_input else 'no'}, "
        f"ai-train={'yes' if site_prefs['training'] else 'no'}"
    )
    assert signal in text.splitlines()
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    for agent, use in KNOWN_AGENTS.items():
        may_fetch_page = expected[use]
        may_fetch_markdown = expected[use] and ai_input
        assert parser.can_fetch(agent, page_path) is may_fetch_page, (agent, text)
        assert robots.allowed(text, agent, page_path) is may_fetch_page, agent
        assert robots.allowed(text, agent, markdown_path) is may_fetch_markdown, (agent, text)
        assert robots.allowed(text, agent, "/news/neighbour/") is site_prefs[use]
    assert parser.can_fetch("Googlebot", page_path)
    assert not parser.can_fetch("Googlebot", "/search?q=x")


def test_an_editor_changes_the_site_preferences_in_the_admin_and_robots_follows(staff_client):
    from django.urls import reverse

    assert "User-agent: GPTBot\nContent-Signal: search=yes, ai-input=yes, ai-train=no" in (
        staff_client.get("/robots.txt").content.decode()
    )
    changelist = reverse("admin:articles_siteaipreferences_changelist")
    add = reverse("admin:articles_siteaipreferences_add")
    assert staff_client.get(changelist).status_code == 200
    form = {"allow_training": "on", "allow_user_fetch": "on"}  # answers refused
    assert staff_client.post(add, form).status_code == 302
    change = reverse("admin:articles_siteaipreferences_change", args=[1])
    assert staff_client.get(changelist).url == change
    assert staff_client.get(add).status_code == 403  # one row only
    staff_client.logout()
    text = staff_client.get("/robots.txt").content.decode()
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    assert parser.can_fetch("GPTBot", "/news/x/")
    assert not parser.can_fetch("OAI-SearchBot", "/news/x/")
    assert "Content-Signal: search=yes, ai-input=no, ai-train=yes" in text.splitlines()
