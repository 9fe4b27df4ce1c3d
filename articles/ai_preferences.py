"""AI-use preferences: the site's defaults, each article's overrides, and what crawlers get.

Three uses, each allowed or not: training models, AI search answers, and fetches an assistant
makes because a person asked. Every output (robots.txt groups, its Content-Signal line, the
Content-Usage header, llms.txt, llms-full.txt and the .md form) is worked out here, from one
list of known crawlers, so they cannot disagree.
"""

from dataclasses import dataclass
from functools import wraps

from .models import AIPreference, SiteAIPreferences

TRAINING, ANSWERS, USER_FETCH = "training", "answers", "user_fetch"

# Known AI crawlers, each with the one use it fetches for. Add new ones here.
KNOWN_AGENTS = {
    "GPTBot": TRAINING,
    "OAI-SearchBot": ANSWERS,
    "ChatGPT-User": USER_FETCH,
    "ClaudeBot": TRAINING,
    "Claude-SearchBot": ANSWERS,
    "Claude-User": USER_FETCH,
    "Google-Extended": TRAINING,
    "Applebot-Extended": TRAINING,
    "CCBot": TRAINING,
    "Meta-ExternalAgent": TRAINING,
    "Meta-ExternalFetcher": USER_FETCH,
    "Bytespider": TRAINING,
    "Amazonbot": ANSWERS,
    "PerplexityBot": ANSWERS,
    "Perplexity-User": USER_FETCH,
    "DuckAssistBot": ANSWERS,
    "MistralAI-User": USER_FETCH,
}


@dataclass(frozen=True)
class Preferences:
    training: bool
    answers: bool
    user_fetch: bool

    def allows(self, use):
        return getattr(self, use)

    @property
    def machine_readable(self):
        """The .md form and the llms.txt entry exist only for AI input: answers and fetches."""
        return self.answers and self.user_fetch

    @property
    def in_llms_full(self):
        # The whole text in one file is the easiest corpus to train on.
        return self.machine_readable and self.training

    def content_signal(self):
        """Cloudflare's Content Signals: search stays yes; AI input and training as chosen."""
        return (
            f"search=yes, ai-input={yes_no(self.machine_readable)}, "
            f"ai-train={yes_no(self.training)}"
        )

    def content_usage(self):
        """The IETF aipref vocabulary as a Content-Usage header (y/n per category)."""
        return f"train-ai={y_n(self.training)}, search=y"


def yes_no(value):
    return "yes" if value else "no"


def y_n(value):
    return "y" if value else "n"


def site_preferences():
    """The site's preferences, read when a page renders: the rendered page is what is cached,
    and page delivery's `site` tag drops it when an editor saves new preferences."""
    row = SiteAIPreferences.current()
    return Preferences(row.allow_training, row.allow_answers, row.allow_user_fetch)


def _override(value, default):
    if value == AIPreference.ALLOW:
        return True
    if value == AIPreference.DISALLOW:
        return False
    return default


def article_preferences(article, site=None):
    site = site or site_preferences()
    return Preferences(
        training=_override(article.ai_training, site.training),
        answers=_override(article.ai_answers, site.answers),
        user_fetch=_override(article.ai_user_fetch, site.user_fetch),
    )


def strictest(preferences):
    """What a page listing several articles may promise: only what all of them allow."""
    preferences = list(preferences)
    return Preferences(
        training=all(p.training for p in preferences),
        answers=all(p.answers for p in preferences),
        user_fetch=all(p.user_fetch for p in preferences),
    )


def has_override(article):
    return bool(article.ai_training or article.ai_answers or article.ai_user_fetch)


def markdown_path(article):
    return article.get_absolute_url().removesuffix("/") + ".md"


def robots_rules(agent, site, overridden):
    """The Allow/Disallow lines one crawler's group needs beyond the site-wide ones, most
    specific first (first-match parsers and RFC 9309's longest match then agree), and
    whether the rest of the site is open to it. `overridden`: [(article, its preferences)]."""
    use = KNOWN_AGENTS[agent]
    page_default = site.allows(use)
    markdown_default = page_default and site.machine_readable
    rules = []
    for article, preferences in overridden:
        page = preferences.allows(use)
        markdown = page and preferences.machine_readable
        if page != page_default:
            rules.append(("Allow" if page else "Disallow", article.get_absolute_url()))
        if markdown != markdown_default:
            rules.append(("Allow" if markdown else "Disallow", markdown_path(article)))
    if page_default and not markdown_default:
        rules.append(("Disallow", "/*.md$"))  # RFC 9309 wildcard: every Markdown form
    return rules, page_default


def site_content_usage(view):
    """Give a site-wide page (home, sections, llms files) the site's Content-Usage header."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not response.has_header("Content-Usage"):
            response["Content-Usage"] = site_preferences().content_usage()
        return response

    return wrapper
