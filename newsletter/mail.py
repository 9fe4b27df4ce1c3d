"""The email edition's messages: HTML and plain text from the article, one-click unsubscribe."""

import uuid
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac

from articles.article_markdown import export
from articles.canonical import absolute_links, absolute_url
from articles.rendering import render_markdown


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[subscriber.token]))


def unsubscribe_mailto(subscriber):
    address = settings.NEWSLETTER_UNSUBSCRIBE_EMAIL
    return f"mailto:{address}?subject=unsubscribe%20{subscriber.token}"


def message_id(key):
    """The Message-ID of a delivery's email, the same on every try: mail systems that drop
    repeats (by Message-ID) show a copy re-sent after a crash once. Keyed, so it tells a
    reader nothing about other subscribers."""
    digest = salted_hmac("newsletter.message-id", key, algorithm="sha256").hexdigest()[:32]
    return f"<{digest}@{urlsplit(settings.SITE_URL).hostname}>"


def _message(subscriber, subject, text, html, list_headers=True):
    headers = {"Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname)}
    if list_headers:
        headers["List-Unsubscribe"] = (
            f"<{unsubscribe_mailto(subscriber)}>, <{unsubscribe_url(subscriber)}>"
        )
        # RFC 8058: mail clients may POST `List-Unsubscribe=One-Click` to the https address.
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = (
            f"{settings.SITE_NAME} <edition.{urlsplit(settings.SITE_URL).hostname}>"
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def edition_stories(edition):
    """What every subscriber's copy shares, made once per edition."""
    stories = []
    for article in edition.stories():
        faq = [
            (entry.question, render_markdown(entry.answer)) for entry in article.faq_entries.all()
        ]
        stories.append({"article": article, "faq": faq, "markdown": export(article)})
    return stories


# Stands for the subscriber's token while the edition is rendered once for every reader;
# random per process, so no article's text can contain it.
TOKEN_PLACEHOLDER = f"token-{uuid.uuid4().hex}"


def edition_parts(edition, stories=None):
    """The edition's plain text and HTML, rendered once, with the placeholder for the token."""
    context = {
        "edition": edition,
        "stories": edition_stories(edition) if stories is None else stories,
        "unsubscribe_url": absolute_url(
            reverse("newsletter:unsubscribe", args=[TOKEN_PLACEHOLDER])
        ),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    text = absolute_links(render_to_string("newsletter/email/edition.txt", context), markdown=True)
    html = absolute_links(render_to_string("newsletter/email/edition.html", context))
    return text, html


def edition_message(edition, subscriber, stories=None, parts=None):
    """One subscriber's copy: the shared rendering with their own unsubscribe links."""
    text, html = parts or edition_parts(edition, stories)
    text = text.replace(TOKEN_PLACEHOLDER, subscriber.token)
    html = html.replace(TOKEN_PLACEHOLDER, subscriber.token)
    return _message(subscriber, edition.subject, text, html)


def confirmation_message(subscriber):
    context = {
        "confirm_url": absolute_url(reverse("newsletter:confirm", args=[subscriber.token])),
        "SITE_NAME": settings.SITE_NAME,
    }
    text = render_to_string("newsletter/email/confirm.txt", context)
    html = render_to_string("newsletter/email/confirm.html", context)
    subject = f"Confirm your {settings.SITE_NAME} email edition"
    return _message(subscriber, subject, text, html, list_headers=False)
