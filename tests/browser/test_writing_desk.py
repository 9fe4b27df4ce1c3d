"""A journalist at the desk in Chromium: the reference article by hand, a reload mid-edit,
and a stale save merged field by field."""

import json

import pytest

from articles.models import Article, Autosave

from ..factories import ArticleFactory, CalloutFactory, FAQEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)

TAKE = (
    "Qwen is the quiet winner of open-source AI — not by being the single best model, but by "
    "being everywhere. And the moment it had the lead, Alibaba quietly paywalled its best one."
)
OPENING = (
    "The numbers do the talking: Qwen is reported to be the most-downloaded open model family "
    "on earth. Mostly **Apache 2.0** — free, commercial, fine-tunable."
)
MIDDLE = (
    "## Then the door half-shut\n\nApril 2026: **Qwen3.6-Max**, Alibaba's first "
    "**closed-weight, API-only** flagship. Give away the on-ramp; charge for the supercar."
)
COUNTER = (
    "> **Note:** **Fair counter:** this is arguably the *honest* equilibrium — keep most of "
    "the family genuinely open, monetise only the bleeding edge."
)
CLOSING = (
    "So don't mistake the closed flagship for a retreat. Qwen already won the thing that matters."
)
FAQ = [
    ("Is Qwen still open-source?", "Mostly yes — the bulk of the Qwen family remains open."),
    ("Why does Qwen give models away?", "Because ubiquity is the strategy."),
]


class Journalist:
    """Drives the page and counts what a person does: fields filled and clicks (a click into
    a field to type counts as one)."""

    def __init__(self, page):
        self.page, self.fields, self.clicks = page, set(), 0

    def click(self, selector):
        self.page.click(selector)
        self.clicks += 1

    def fill(self, selector, value):
        self.click(selector)
        self.page.fill(selector, value)
        self.fields.add(selector)

    def type_more(self, selector, value):
        """Type at the cursor in a field already being written in."""
        self.page.locator(selector).press("End")
        self.page.keyboard.insert_text(value)
        self.fields.add(selector)

    def paste(self, selector, value):
        self.page.keyboard.insert_text(value)
        self.fields.add(selector)


def preview(page):
    return page.frame_locator(".desk-preview__frame")


def test_a_journalist_writes_the_reference_article(admin_page, live_server, artifacts):
    page = admin_page
    me = Journalist(page)
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    me.fill("#id_title", "Qwen quietly won open-source AI — then half-closed the door")
    assert page.locator(".field-title .char-count").inner_text() == "59 / 200 · search shows ~60"
    me.fill(
        "#id_standfirst",
        "Qwen is the world's most-downloaded open AI — but Alibaba kept its top 2026 "
        "flagship closed.",
    )
    me.fill(
        "#id_kicker",
        "The most-downloaded open model family also just shipped its first closed flagship. "
        "Read the signal.",
    )
    # The first callout with the insert control, at the cursor in the empty body.
    me.click("#id_body")
    me.click("[data-insert-callout=key]")
    assert page.evaluate("document.activeElement.id") == "id_callouts-0-label"
    me.fill("#id_callouts-0-label", "The take:")
    me.fill("#id_callouts-0-body", TAKE)
    assert page.input_value("#id_callouts-0-marker") == "the-take"
    assert page.input_value("#id_body") == "[[callout:the-take]]"
    # The rest typed, with the second callout pasted in the reference's own syntax.
    me.click("#id_body")
    me.type_more("#id_body", f"\n\n{OPENING}\n\n{MIDDLE}\n\n")
    me.paste("#id_body", COUNTER)
    me.type_more("#id_body", f"\n\n{CLOSING}")
    for index, (question, answer) in enumerate(FAQ):
        me.click("#faq_entries-group .add-row a")
        me.fill(f"#id_faq_entries-{index}-question", question)
        me.fill(f"#id_faq_entries-{index}-answer", answer)

    # The preview is the reader's page: both callouts in place with kind and label, the FAQ.
    frame = preview(page)
    frame.locator(".faq h3", has_text=FAQ[1][0]).wait_for()
    headings = frame.locator(".article__body aside .callout__heading").all_text_contents()
    assert [" ".join(h.split()) for h in headings] == ["Key point The take:", "Note Fair counter:"]
    assert frame.locator("h1.article__title").inner_text().startswith("Qwen quietly won")
    assert "[[callout" not in frame.locator(".article__body").inner_text()

    page.evaluate("window.scrollTo(0, 0)")  # the preview stays beside the top of the body
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.screenshot(path=str(artifacts / "desk-1280.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(artifacts / "desk-1920.png"), full_page=True)
    page.set_viewport_size({"width": 800, "height": 1000})
    page.screenshot(path=str(artifacts / "desk-800-stacked.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 1000})

    me.click(".submit-row input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    article = Article.objects.get()
    assert [(c.kind, c.label) for c in article.callouts.all()] == [
        ("key", "The take:"),
        ("note", "Fair counter:"),
    ]
    assert "**Note:**" not in article.body
    assert article.faq_entries.count() == 2
    # The draft this browser kept is gone once the article is saved.
    assert [key for key in page.evaluate("Object.keys(localStorage)") if "draft" in key] == []
    counts = {"fields": len(me.fields), "clicks": me.clicks}
    (artifacts / "reference-article-counts.json").write_text(json.dumps(counts) + "\n")
    print(f"\nReference article: {counts['fields']} fields, {counts['clicks']} clicks")
    assert page.js_errors == []


def test_work_survives_a_reload_and_reaches_the_server_autosave(admin_page, live_server):
    page = admin_page
    article = ArticleFactory(title="Harbour dredging", body="The port deepens its channel.")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.locator("#id_body").press("End")
    page.keyboard.insert_text("\n\nA paragraph nobody saved.")
    page.locator("[data-save-status]", has_text="Autosaved at").wait_for(timeout=15_000)
    assert "A paragraph nobody saved." in Autosave.objects.get().data["body"][0]
    article.refresh_from_db()
    assert "nobody saved" not in article.body  # the autosave never is the article

    page.reload()  # a crash or a closed tab: the text is offered back
    banner = page.locator("[data-recover]")
    banner.wait_for()
    assert "kept in this browser" in banner.inner_text()
    assert "nobody saved" not in page.input_value("#id_body")
    page.click("[data-recover-restore]")
    assert page.input_value("#id_body").endswith("A paragraph nobody saved.")

    page.click(".submit-row input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    article.refresh_from_db()
    assert article.body.endswith("A paragraph nobody saved.")
    assert page.locator("[data-recover]").is_hidden()
    assert not Autosave.objects.exists()
    assert page.js_errors == []


def test_a_save_whose_answer_is_slow_is_never_followed_by_an_autosave_that_adds_a_second_article(
    admin_page, live_server
):
    page = admin_page
    add = f"{live_server.url}/admin/articles/article/add/"

    def slow_answer(route):
        # The server adds the article at once; its answer reaches the page only after the next
        # autosave was due, so the page still is the add form when it comes.
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        page.wait_for_timeout(6_500)
        route.fulfill(response=response)

    page.route(add, slow_answer)
    page.goto(add)
    page.fill("#id_title", "Harbour dredging starts")
    page.fill("#id_standfirst", "The port deepens its channel for bigger ships.")
    page.fill("#id_body", "Dredgers arrived on Monday.")
    page.click(".submit-row input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for(timeout=20_000)
    assert list(Article.objects.values_list("title", flat=True)) == ["Harbour dredging starts"]
    assert page.js_errors == []


def saved_meanwhile(mine, url, edit):
    """Another editor opens the form `mine` has open, changes it with `edit` and saves."""
    theirs = mine.context.new_page()
    theirs.goto(url)
    edit(theirs)
    theirs.click(".submit-row input[name=_continue]")
    theirs.locator(".messagelist .success").first.wait_for()
    theirs.close()


def refused_save(mine, body):
    """Write `body` on the form opened before that save and save: the merge panel."""
    mine.fill("#id_body", body)
    mine.click(".submit-row input[name=_continue]")
    merge = mine.locator(".desk-merge")
    merge.wait_for()
    return merge


def test_a_new_article_becomes_a_draft_once_it_has_a_headline(admin_page, live_server):
    page = admin_page
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Harbour dredging starts")
    page.locator("[data-save-status]", has_text="Saved as a draft").wait_for(timeout=15_000)
    article = Article.objects.get()
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    assert page.url == change
    assert page.evaluate("document.getElementById('article_form').action") == change
    page.fill("#id_standfirst", "The port deepens its channel for bigger ships.")
    page.fill("#id_body", "Dredgers arrived on Monday.")
    page.locator("[data-save-status]", has_text="Autosaved at").wait_for(timeout=15_000)
    assert Autosave.objects.get(article=article).data["body"] == ["Dredgers arrived on Monday."]

    page.click(".submit-row input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    article = Article.objects.get()  # still the one article
    assert (article.body, article.status) == ("Dredgers arrived on Monday.", "draft")
    assert page.url == change
    page.reload()
    assert page.locator("[data-recover]").is_hidden()  # nothing left to offer back
    assert page.js_errors == []


def test_a_stale_save_is_merged_field_by_field(admin_page, live_server, artifacts):
    mine = admin_page
    article = ArticleFactory(title="Original headline", body="Original body.")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    mine.goto(url)
    saved_meanwhile(mine, url, lambda theirs: theirs.fill("#id_title", "Their better headline"))
    merge = refused_save(mine, "My rewritten body.")
    headline = merge.locator("[data-merge-field=title]")
    assert headline.locator("[data-merge-theirs]").inner_text() == "Their better headline"
    assert headline.locator("[data-merge-yours]").inner_text() == "Original headline"
    mine.set_viewport_size({"width": 1280, "height": 1000})
    mine.screenshot(path=str(artifacts / "desk-stale-merge-1280.png"), full_page=False)
    headline.get_by_label("Use theirs").check()
    assert mine.input_value("#id_title") == "Their better headline"
    assert mine.input_value("#id_body") == "My rewritten body."
    mine.click(".submit-row input[name=_continue]")
    mine.locator(".messagelist .success").first.wait_for()
    article.refresh_from_db()
    assert (article.title, article.body) == ("Their better headline", "My rewritten body.")
    assert mine.js_errors == []


def test_a_stale_save_is_merged_row_by_row(admin_page, live_server, artifacts):
    mine = admin_page
    article = ArticleFactory(
        title="Harbour dredging", body="Intro.\n\n[[callout:take]]\n\nMiddle.\n\n[[callout:note]]"
    )
    CalloutFactory(article=article, marker="take", label="The take:", body="First take.", order=0)
    CalloutFactory(article=article, marker="note", label="Aside:", body="An aside.", order=1)
    FAQEntryFactory(article=article, question="Who pays?", answer="The port.")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    mine.goto(url)

    def sharpen_drop_and_ask(theirs):
        """The take sharpened, the aside dropped (row and marker), a question added."""
        theirs.fill("#id_callouts-0-body", "Their sharper take.")
        theirs.check("#id_callouts-1-DELETE")
        theirs.fill("#id_body", "Intro.\n\n[[callout:take]]\n\nMiddle.")
        theirs.click("#faq_entries-group .add-row a")
        theirs.fill("#id_faq_entries-1-question", "When does it end?")
        theirs.fill("#id_faq_entries-1-answer", "In the spring.")

    saved_meanwhile(mine, url, sharpen_drop_and_ask)
    merge = refused_save(mine, "My intro.\n\n[[callout:take]]\n\nMiddle.\n\n[[callout:note]]")
    take = merge.locator("[data-merge-row=callouts-0]")
    aside = merge.locator("[data-merge-row=callouts-1]")
    question = merge.locator("[data-merge-row=faq_entries-1]")
    assert "Their sharper take." in take.locator("[data-merge-theirs]").inner_text()
    assert "they deleted it" in aside.locator("[data-merge-theirs]").inner_text()
    assert "When does it end?" in question.locator("[data-merge-theirs]").inner_text()
    assert mine.is_checked("#id_faq_entries-1-DELETE")  # as I sent it: without their question
    mine.screenshot(path=str(artifacts / "desk-stale-merge-rows-1280.png"), full_page=False)

    take.get_by_label("Take theirs").check()
    assert mine.input_value("#id_callouts-0-body") == "Their sharper take."
    aside.get_by_label("Delete it, as they did").check()
    assert "[[callout:note]]" not in mine.input_value("#id_body")
    question.get_by_label("Take theirs").check()
    assert not mine.is_checked("#id_faq_entries-1-DELETE")
    mine.click(".submit-row input[name=_continue]")
    mine.locator(".messagelist .success").first.wait_for()
    article.refresh_from_db()
    assert article.body == "My intro.\n\n[[callout:take]]\n\nMiddle."
    assert list(article.callouts.values_list("marker", "body")) == [("take", "Their sharper take.")]
    assert list(article.faq_entries.values_list("question", flat=True)) == [
        "Who pays?",
        "When does it end?",
    ]
    assert mine.js_errors == []


def test_screenshot_of_the_desk_on_the_admin_index(admin_page, live_server, artifacts):
    ArticleFactory(title="Out this morning")
    ArticleFactory(title="Tomorrow's story", scheduled=True)
    admin_page.goto(f"{live_server.url}/admin/")
    desk = admin_page.locator(".newsroom-desk")
    assert "Out this morning" in desk.inner_text()
    for width in (1280, 1920):
        admin_page.set_viewport_size({"width": width, "height": 900})
        admin_page.screenshot(path=str(artifacts / f"desk-index-{width}.png"), full_page=True)
