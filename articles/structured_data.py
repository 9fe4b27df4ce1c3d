"""JSON-LD for our pages, built from the same rows the visible page shows."""

import json

import nh3
from django.conf import settings
from django.utils.safestring import mark_safe

from .canonical import absolute_url

# The markup search engines keep in an FAQ answer; everything else is reduced to its text.
FAQ_ANSWER_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "div", "b",
    "strong", "i", "em",
}  # fmt: skip
_faq_answer_cleaner = nh3.Cleaner(
    tags=FAQ_ANSWER_TAGS,
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
)

# Like Django's json_script: nothing in the data can close the <script> or open a comment.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld_script(data):
    """Serialize `data` into a <script type="application/ld+json"> element that stays closed."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def organization_id():
    return absolute_url("/#organization")


def organization():
    return {
        "@type": "NewsMediaOrganization",
        "@id": organization_id(),
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
    }


def author_node(author):
    return {
        "@type": "Person" if author.kind == author.Kind.PERSON else "Organization",
        "@id": absolute_url(author.get_absolute_url()) + "#author",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }


def news_article(article):
    canonical = article.get_canonical_url()
    node = {
        "@type": "NewsArticle",
        "@id": canonical + "#article",
        "url": canonical,
        "mainEntityOfPage": canonical,
        "headline": article.title,
        "description": article.standfirst,
        "inLanguage": settings.LANGUAGE_CODE,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [author_node(author) for author in article.authors.all()]
        or [{"@id": organization_id()}],
        "publisher": {"@id": organization_id()},
    }
    if article.kicker:
        node["alternativeHeadline"] = article.kicker
    if article.section:
        node["articleSection"] = article.section.name
    node["correction"] = corrections(article)
    return {key: value for key, value in node.items() if value is not None}


def corrections(article):
    """The article's correction notes as CorrectionComment nodes, or None when it has none."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": correction.corrected_at.isoformat(),
        }
        for correction in article.corrections.all()
    ] or None


def faq_answer_html(answer_html):
    return _faq_answer_cleaner.clean(answer_html).strip()


def faq_page(article, entries):
    canonical = article.get_canonical_url()
    return {
        "@type": "FAQPage",
        "@id": canonical + "#faq",
        "url": canonical,
        "isPartOf": {"@id": canonical + "#article"},
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": faq_answer_html(entry.answer_html)},
            }
            for entry in entries
        ],
    }


def article_graph(article):
    graph = [organization(), news_article(article)]
    entries = list(article.faq_entries.all())
    if entries:
        graph.append(faq_page(article, entries))
    return {"@context": "https://schema.org", "@graph": graph}
