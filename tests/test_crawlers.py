"""Each known crawler reads robots.txt, then fetches the site as itself: what robots.txt lets
it fetch answers 200 with a Content-Usage that matches the article's preferences, and what
the preferences refuse it robots.txt refuses (or, for Markdown, the site does not offer)."""

import urllib.robotparser

import feedparser
import pytest
from django.core.management import call_command

from articles.ai_preferences import ANSWERS, KNOWN_AGENTS, TRAINING, USER_FETCH
from articles.models import AIPreference, Article, SiteAIPreferences

from . import robots

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """The demo site: training refused site-wide; one exclusive keeps every AI out; one
    explainer lets training in."""
    call_command("load_demo_content", verbosity=0)
    SiteAIPreferences(allow_training=False, allow_answers=True, allow_user_fetch=True).save()
    exclusive, explainer, *_ = Article.objects.order_by("pk")
    for field in ("ai_training", "ai_answers", "ai_user_fetch"):
        setattr(exclusive, field, AIPreference.DISALLOW)
    exclusive.save()
    explainer.ai_training = AIPreference.ALLOW
    explainer.save()
    return {
        article.slug: {
            TRAINING: article.ai_training == AIPreference.ALLOW,
            ANSWERS: article.ai_answers != AIPreference.DISALLOW,
            USER_FETCH: article.ai_user_fetch != AIPreference.DISALLOW,
        }
        for article in Article.objects.all()
    }


@pytest.mark.parametrize("agent", KNOWN_AGENTS)
def test_each_crawler_gets_what_the_preferences_say(client, site, agent):
    use = KNOWN_AGENTS[agent]
    user_agent = f"Mozilla/5.0 (compatible; {agent}/1.0; +https://crawler.example/)"
    text = client.get("/robots.txt", headers={"user-agent": user_agent}).content.decode()
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    # The rest of the site follows the site's default: no training.
    assert parser.can_fetch(agent, "/") is (use != TRAINING)
    for slug, preferences in site.items():
        page, markdown = f"/news/{slug}/", f"/news/{slug}.md"
        ai_input = preferences[ANSWERS] and preferences[USER_FETCH]
        assert parser.can_fetch(agent, page) is preferences[use], (agent, slug)
        assert robots.allowed(text, agent, markdown) is (preferences[use] and ai_input)
        if parser.can_fetch(agent, page):
            response = client.get(page, headers={"user-agent": user_agent})
            assert response.status_code == 200
            assert response["Content-Usage"] == (
                f"train-ai={'y' if preferences[TRAINING] else 'n'}, search=y"
            )
        if robots.allowed(text, agent, markdown):
            response = client.get(markdown, headers={"user-agent": user_agent})
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/markdown")
        elif not ai_input:
            assert client.get(markdown, headers={"user-agent": user_agent}).status_code == 404
    llms = client.get("/llms.txt", headers={"user-agent": user_agent})
    assert llms["Content-Usage"] == "train-ai=n, search=y"
    listed = {slug for slug in site if f"/news/{slug}.md)" in llms.content.decode()}
    assert listed == {slug for slug, p in site.items() if p[ANSWERS] and p[USER_FETCH]}
    feed = feedparser.parse(client.get("/feed/", headers={"user-agent": user_agent}).content)
    assert not feed.bozo
