"""Checks the change form shows the newsroom: warnings that never block a save."""

import re

from .structured_data import FAQ_ANSWER_TAGS

# What search results and headline markup show before cutting the text off.
SEARCH_TITLE_LIMIT = 60
SEARCH_DESCRIPTION_LIMIT = 155
HEADLINE_LIMIT = 110  # NewsArticle headlines longer than this are not shown as rich results.

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")


def dropped_faq_tags(answer_html):
    """The tags in a rendered FAQ answer that search engines drop, sorted."""
    return sorted({tag.lower() for tag in _TAG.findall(answer_html)} - FAQ_ANSWER_TAGS)


def search_title(article):
    return article.seo_title or article.title


def search_description(article):
    return article.seo_description or article.standfirst


# Search engines and social cards show a picture large only from this width.
LARGE_IMAGE_WIDTH = 1200


def image_warnings(image):
    """What an image lacks to be shown well and credited: the image admin and the article
    form both say so, neither refuses it."""
    found = []
    if image.width < LARGE_IMAGE_WIDTH:
        found.append(
            f"The image is {image.width} px wide; search engines and social cards show "
            f"pictures large from {LARGE_IMAGE_WIDTH} px."
        )
    if not image.description.strip():
        found.append("The image has no description for readers who cannot see it.")
    if not image.credit.strip():
        found.append("The image has no credit: say who took or made it.")
    return found


def warnings(article):
    """Plain-language warnings about a saved article, for the change form and after a save."""
    found = []
    image = article.lead_image
    if image is None:
        found.append("No lead image: social cards and search results will show none.")
    else:
        found += image_warnings(image)
    if len(article.title) > HEADLINE_LIMIT:
        found.append(
            f"The headline is {len(article.title)} characters; search engines ignore "
            f"NewsArticle headlines over {HEADLINE_LIMIT}. Shorten it."
        )
    if len(search_title(article)) > SEARCH_TITLE_LIMIT:
        found.append(
            f"Search results show about {SEARCH_TITLE_LIMIT} characters of the title; "
            f"this one has {len(search_title(article))}. Consider a shorter search title."
        )
    if len(search_description(article)) > SEARCH_DESCRIPTION_LIMIT:
        found.append(
            f"Search results show about {SEARCH_DESCRIPTION_LIMIT} characters of the "
            f"description; this one has {len(search_description(article))}."
        )
    if article.pk:
        for entry in article.faq_entries.all():
            dropped = dropped_faq_tags(entry.answer_html)
            if dropped:
                found.append(
                    f"The answer to “{entry.question}” uses markup search engines drop "
                    f"({', '.join(dropped)}): keep to paragraphs, lists, links and emphasis."
                )
    return found
