"""JSON-LD for our pages, built from the same rows the visible page shows."""

import json

import nh3
from django.conf import settings
from django.utils.safestring import mark_safe

from .canonical import absolute_url, site_logo
from .models import SitePage
from .site_pages import page_urls
from .templatetags.iso_dates import iso8601

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


def iso_datetime(value):
    """As the page's <time> elements show it."""
    return iso8601(value)


def organization_id():
    return absolute_url("/#organization")


def website_id():
    return absolute_url("/#website")


def image_object(node_id, url, width, height):
    return {"@type": "ImageObject", "@id": node_id, "url": url, "contentUrl": url,
            "width": width, "height": height}  # fmt: skip


# Search engines pick the crop that fits where they show a picture: wide, 4:3 and square.
SHARED_CROPS = ("16:9", "4:3", "1:1")


def picture_objects(image, node_id):
    """The image as ImageObjects, one per crop at 1200 px wide or more where the original
    allows, with its caption and rights; the original alone while renditions are not made."""
    shared = [image.shared(crop) for crop in SHARED_CROPS] if image.renditions.all() else []
    shared = shared or [image.shared("free")]
    rights = {
        "caption": image.caption or image.description or None,
        "creditText": image.credit or None,
        "copyrightNotice": (image.licence if not image.is_licence_url else image.credit) or None,
        "license": image.licence if image.is_licence_url else None,
        "creator": {"@type": "Person", "name": image.creator} if image.creator else None,
    }
    rights = {key: value for key, value in rights.items() if value is not None}
    objects = []
    for index, picture in enumerate(shared):
        found = image_object(f"{node_id}-{index}" if index else node_id, picture.url,
                             picture.width, picture.height)  # fmt: skip
        objects.append({**found, **rights})
    return objects


# schema.org's publisher policies, each the address of the trust page of that kind.
POLICY_PROPERTIES = {
    "publishingPrinciples": SitePage.Kind.PUBLISHING_PRINCIPLES,
    "correctionsPolicy": SitePage.Kind.CORRECTIONS_POLICY,
    "ethicsPolicy": SitePage.Kind.ETHICS_POLICY,
    "masthead": SitePage.Kind.MASTHEAD,
    "ownershipFundingInfo": SitePage.Kind.OWNERSHIP_FUNDING,
    "actionableFeedbackPolicy": SitePage.Kind.FEEDBACK_POLICY,
}


def contact_point(contact_url):
    node = {"@type": "ContactPoint", "contactType": "newsroom"}
    if contact_url:
        node["url"] = contact_url
    if settings.SITE_CONTACT_EMAIL:
        node["email"] = settings.SITE_CONTACT_EMAIL
    return node if len(node) > 2 else None


def organization():
    logo = site_logo()
    pages = page_urls()
    node = {
        "@type": "NewsMediaOrganization",
        "@id": organization_id(),
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": image_object(absolute_url("/#logo"), logo.url, logo.width, logo.height),
    }
    if settings.SITE_SAME_AS:
        node["sameAs"] = list(settings.SITE_SAME_AS)
    for name, kind in POLICY_PROPERTIES.items():
        if kind in pages:
            node[name] = pages[kind]
    contact = contact_point(pages.get(SitePage.Kind.CONTACT))
    if contact:
        node["contactPoint"] = contact
    return node


def website():
    return {
        "@type": "WebSite",
        "@id": website_id(),
        "url": absolute_url("/"),
        "name": settings.SITE_NAME,
        "description": settings.SITE_DESCRIPTION,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": {"@id": organization_id()},
    }


def home_graph():
    return {"@context": "https://schema.org", "@graph": [website(), organization()]}


def author_node(author):
    url = absolute_url(author.get_absolute_url())
    node = {
        "@type": "Person" if author.kind == author.Kind.PERSON else "Organization",
        "@id": url + "#author",
        "name": author.name,
        "url": url,
    }
    if author.job_title and author.kind == author.Kind.PERSON:
        node["jobTitle"] = author.job_title
    if author.profile_urls:
        node["sameAs"] = author.profile_urls
    return node


def profile_graph(author):
    """The author's page: a ProfilePage about the person (or desk) it lists the stories of."""
    url = absolute_url(author.get_absolute_url())
    person = author_node(author)
    if author.bio:
        person["description"] = author.bio
    if author.portrait:  # the square crop the page shows
        picture = author.portrait.shared("1:1")
        person["image"] = image_object(url + "#portrait", picture.url, picture.width,
                                       picture.height)  # fmt: skip
    page = {"@type": "ProfilePage", "@id": url, "url": url, "name": author.name,
            "mainEntity": {"@id": person["@id"]}, "isPartOf": {"@id": website_id()}}  # fmt: skip
    return {"@context": "https://schema.org", "@graph": [page, person]}


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
        "datePublished": iso_datetime(article.published_at) if article.published_at else None,
        "dateModified": iso_datetime(article.modified_at),
        # With no byline the article is the newsroom's, as the page says.
        "author": [author_node(author) for author in article.authors.all()]
        or [{"@id": organization_id()}],
        "publisher": {"@id": organization_id()},
    }
    # Only an image the page shows: the site-wide social image is for cards, not for the article.
    if article.lead_image:
        node["image"] = picture_objects(article.lead_image, canonical + "#primaryimage")
    if article.kicker:
        node["alternativeHeadline"] = article.kicker
    if article.section:
        node["articleSection"] = article.section.name
    node["correction"] = corrections(article)
    return {key: value for key, value in node.items() if value is not None}


def breadcrumb_list(article):
    """Home > section > article, the trail the page shows above the headline."""
    trail = [(settings.SITE_NAME, absolute_url("/"))]
    if article.section:
        trail.append((article.section.name, absolute_url(article.section.get_absolute_url())))
    trail.append((article.title, article.get_canonical_url()))
    return {
        "@type": "BreadcrumbList",
        "@id": article.get_canonical_url() + "#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def corrections(article):
    """The article's correction notes as CorrectionComment nodes, or None when it has none."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": iso_datetime(correction.corrected_at),
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
    graph = [organization(), news_article(article), breadcrumb_list(article)]
    entries = list(article.faq_entries.all())
    if entries:
        graph.append(faq_page(article, entries))
    return {"@context": "https://schema.org", "@graph": graph}
