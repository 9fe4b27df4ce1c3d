"""The change form reads callouts from the body the way the importer does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.article_markdown import parse
from articles.models import Article, PublishingEvent, Status

from .admin_forms import form_fields
from .factories import ArticleFactory
from .pages import soup, text
from .test_admin import ADD_URL, article_form, errors, formset

pytestmark = pytest.mark.django_db

REFERENCE_BODY = """> **Key:** **The take:** Qwen is the quiet winner of open-source AI.
> And the moment it had the lead, Alibaba paywalled its best one.

The numbers do the talking: Qwen is the most-downloaded open model family.

## Then the door half-shut

> **Note:** **Fair counter:** this is arguably the *honest* equilibrium.

So don't mistake the closed flagship for a retreat."""

REFERENCE_DOCUMENT = f"""# Qwen quietly won open-source AI

> Qwen is the world's most-downloaded open AI.

By The InsidersFeed Desk · InsidersFeed
Canonical: https://insidersfeed.com/news/qwen-won-open-source-then-half-closed

{REFERENCE_BODY}
"""


def pasted(body, rows=()):
    data = article_form(body=body)
    data.update(formset("callouts", list(rows)))
    return data


def test_pasted_callouts_become_rows_in_place(staff_client, client):
    response = staff_client.post(ADD_URL, pasted(REFERENCE_BODY))
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    callouts = list(article.callouts.all())
    assert [(c.kind, c.label, c.marker) for c in callouts] == [
        ("key", "The take:", "the-take"),
        ("note", "Fair counter:", "fair-counter"),
    ]
    assert callouts[0].body.endswith("Alibaba paywalled its best one.")
    assert "**Key:**" not in article.body
    assert article.body.startswith("[[callout:the-take]]")
    page = soup(client.get(article.get_absolute_url()))
    body = page.select_one(".article__body")
    assert [text(h) for h in body.select("aside .callout__heading")] == [
        "Key point The take:",
        "Note Fair counter:",
    ]
    assert "[[callout" not in text(body) and "**" not in text(body)


def test_the_form_and_the_importer_read_the_same_callouts(staff_client):
    staff_client.post(ADD_URL, pasted(REFERENCE_BODY))
    saved = Article.objects.get()
    imported = parse(REFERENCE_DOCUMENT)
    assert saved.body == imported.body
    assert [(c.kind, c.label, c.marker, c.body) for c in saved.callouts.all()] == [
        (c.kind, c.label, c.marker, c.body) for c in imported.callouts
    ]


@pytest.mark.parametrize(
    "line",
    [
        "[[callout:The-Take]]",
        "The take, see [[callout:take]] below.",
        "[[ callout:take ]]",
        "[[callout:take]] and more",
    ],
)
def test_a_marker_that_is_not_exactly_one_is_a_form_error(staff_client, line):
    response = staff_client.post(ADD_URL, pasted(f"Intro.\n\n{line}\n\nEnd."))
    assert response.status_code == 200
    assert any("looks like a callout marker" in message for message in errors(response))
    assert not Article.objects.exists()


def test_a_marker_inside_a_code_block_stays_literal(staff_client, client):
    body = "How to place one:\n\n```\n[[callout:The-Take]]\n```\n\nDone."
    response = staff_client.post(ADD_URL, pasted(body))
    assert response.status_code == 302, errors(response)
    code = soup(client.get(Article.objects.get().get_absolute_url())).select_one("pre code")
    assert text(code) == "[[callout:The-Take]]"


def test_a_pasted_callout_never_takes_a_rows_marker(staff_client):
    row = {"kind": "context", "label": "", "marker": "the-take", "body": "Row."}
    body = "[[callout:the-take]]\n\n> **Key:** **The take:** Pasted."
    response = staff_client.post(ADD_URL, pasted(body, [row]))
    assert response.status_code == 302, errors(response)
    callouts = Article.objects.get().callouts.all()
    assert [(c.marker, c.body) for c in callouts] == [
        ("the-take", "Row."),
        ("the-take-2", "Pasted."),
    ]


def test_callouts_stand_in_the_order_of_the_body(staff_client, client):
    rows = [
        {"kind": "note", "label": "Last", "marker": "last", "body": "Second in the body."},
        {"kind": "key", "label": "First", "marker": "first", "body": "First in the body."},
    ]
    body = "[[callout:first]]\n\nMiddle.\n\n[[callout:last]]"
    response = staff_client.post(ADD_URL, pasted(body, rows))
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    assert [c.marker for c in article.callouts.all()] == ["first", "last"]
    change = soup(staff_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert change.select_one("#id_callouts-0-marker")["value"] == "first"
    assert change.select_one("#id_callouts-0-order") is None


def test_headline_fields_are_one_line_with_their_real_limits(staff_client):
    response = staff_client.post(ADD_URL, article_form(title="Two\r\nlines  of headline"))
    assert response.status_code == 302, errors(response)
    assert Article.objects.get().title == "Two lines of headline"
    page = soup(staff_client.get(ADD_URL))
    title = page.select_one("#id_title")
    assert (title["maxlength"], title["data-search-limit"]) == ("200", "60")
    assert page.select_one("label[for=id_title]").get_text().startswith("Headline")
    placeholders = [page.select_one(f"textarea#id_{name}").get("placeholder") for name in
                    ("title", "standfirst", "kicker")]  # fmt: skip
    assert placeholders == [
        "Write the headline",
        "What happened, in one sentence",
        "Why it matters, in a line (optional)",
    ]


def change(client, article, button, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(client.get(url))
    data.update(changes, **{button: "1"})
    return client.post(url, data)


def test_the_publishing_buttons_save_and_go_through_the_publishing_action(editor_client):
    article = ArticleFactory(draft=True, title="Draft title")
    response = change(editor_client, article, "_publish_now", title="Published title")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    article.refresh_from_db()
    assert (article.title, article.is_public) == ("Published title", True)
    assert [(e.action, e.user.username) for e in article.publishing_events.all()] == [
        (PublishingEvent.Action.PUBLISHED, "ed")
    ]
    assert change(editor_client, article, "_unpublish").status_code == 302
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert article.publishing_events.first().action == PublishingEvent.Action.UNPUBLISHED


def test_schedule_needs_a_time_in_the_future(editor_client):
    article = ArticleFactory(draft=True)
    refused = change(editor_client, article, "_schedule")
    assert any("in the future" in message for message in errors(refused))
    later = timezone.localtime() + timedelta(days=2)
    response = change(
        editor_client,
        article,
        "_schedule",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302, errors(response)
    article.refresh_from_db()
    assert article.workflow_state == "Scheduled"
    assert article.publishing_events.first().action == PublishingEvent.Action.SCHEDULED


def test_a_journalist_neither_sees_nor_uses_the_publishing_buttons(journalist_client):
    article = ArticleFactory(draft=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert (
        soup(journalist_client.get(url)).select("button[name^=_publish], button[name=_schedule]")
        == []
    )
    assert change(journalist_client, article, "_publish_now").status_code == 403
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not PublishingEvent.objects.exists()
