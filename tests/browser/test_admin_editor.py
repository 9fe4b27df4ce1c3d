import pytest

from articles.models import Article

from ..factories import AuthorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def preview_of(page):
    """The desk's live preview: body, callouts and FAQ as the page shows them."""
    return page.frame_locator(".desk-preview__frame")


def test_journalist_writes_an_article_with_live_preview_and_added_rows(admin_page, live_server):
    page = admin_page
    AuthorFactory(name="Maya Okafor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.locator("#id_title").press_sequentially("Harbour dredging starts")
    assert page.input_value("#id_slug") == "harbour-dredging-starts"
    page.fill("#id_standfirst", "The port deepens its channel for bigger ships.")
    page.fill("#id_body", "## What changes\n\nShips come in.\n\n[[callout:take]]\n\nMore soon.")
    page.locator("#id_body").dispatch_event("input")
    preview_of(page).locator(".article__body h2", has_text="What changes").wait_for()

    # Rows added after page load get the editor and its preview too.
    page.click("#callouts-group .add-row a")
    page.select_option("#id_callouts-0-kind", "key")
    page.fill("#id_callouts-0-label", "The take:")
    page.fill("#id_callouts-0-marker", "take")
    page.fill("#id_callouts-0-body", "Bigger ships, **bigger** stakes.")
    page.locator("#id_callouts-0-body").dispatch_event("input")
    preview_of(page).locator("aside.callout strong", has_text="bigger").wait_for()

    for index, (question, answer) in enumerate(
        [("When does it end?", "In *spring*."), ("Who pays?", "The port authority.")]
    ):
        page.click("#faq_entries-group .add-row a")
        page.fill(f"#id_faq_entries-{index}-question", question)
        page.fill(f"#id_faq_entries-{index}-answer", answer)
        page.locator(f"#id_faq_entries-{index}-answer").dispatch_event("input")
    preview_of(page).locator(".faq em", has_text="spring").wait_for()

    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.locator(".errornote, .errorlist").all_inner_texts() == []
    page.locator(".messagelist .success").wait_for()

    article = Article.objects.get(slug="harbour-dredging-starts")
    assert article.callouts.count() == 1
    assert article.faq_entries.count() == 2

    with page.expect_navigation(
        url=f"{live_server.url}{article.get_absolute_url()}", wait_until="domcontentloaded"
    ):
        page.click("a.viewsitelink")
    reader = page
    assert reader.locator("h1").inner_text() == "Harbour dredging starts"
    assert reader.locator("aside.callout").count() == 1
    assert reader.locator(".faq h3").all_inner_texts() == ["When does it end?", "Who pays?"]
    assert reader.locator(".byline__reading").inner_text() == "1 min read"
    assert page.js_errors == []
