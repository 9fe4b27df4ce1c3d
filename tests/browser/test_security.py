"""In Chromium: the Content Security Policy holds without breaking anything, and hostile
content neither runs nor opens a dialog."""

import pytest
from django.urls import reverse

from ..factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from ..hostile_corpus import CASES

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script: records every CSP violation the page reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.csp_console = console
    return page


def violations(page):
    reported = page.evaluate("window.__cspViolations")
    logged = [line for line in page.csp_console if "Content Security Policy" in line]
    return reported + logged


def hostile_article():
    payloads = list(CASES.values())
    article = ArticleFactory(
        title=CASES["jsonld_script_close"],
        standfirst=CASES["attribute_breakout_double"],
        kicker=CASES["title_breakout"],
        body="[[callout:hostile]]\n\n" + "\n\n".join(payloads),
        authors=[AuthorFactory(name=CASES["img_onerror"])],
    )
    CalloutFactory(
        article=article, marker="hostile", label=CASES["svg_onload"][:80], body=payloads[0]
    )
    for index, payload in enumerate(payloads):
        FAQEntryFactory(article=article, question=payload[:300], answer=payload, order=index)
    return article


def test_public_pages_with_json_ld_report_no_csp_violation(watched, live_server):
    article = ArticleFactory()
    FAQEntryFactory(article=article)
    for url in [reverse("articles:home"), article.get_absolute_url()]:
        response = watched.goto(f"{live_server.url}{url}")
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        watched.wait_for_load_state("load")
        assert violations(watched) == []
    # The stylesheet applied: CSP let our own CSS through.
    assert watched.evaluate(
        "[...document.styleSheets].some((sheet) => sheet.href && sheet.href.includes('site.css'))"
    )
    assert watched.locator("script[type='application/ld+json']").count() == 1
    assert watched.js_errors == []


def test_the_policy_blocks_an_injected_inline_handler_and_we_see_the_report(watched, live_server):
    """The control for the tests above: were anything inline to reach a page, CSP stops it
    and the listener reports it."""
    article = ArticleFactory()
    watched.goto(f"{live_server.url}{article.get_absolute_url()}")
    watched.evaluate(
        """document.body.insertAdjacentHTML("beforeend",
             '<img src="/no-such.png" onerror="window.__pwned=1">')"""
    )
    watched.wait_for_function("window.__cspViolations.length > 0")
    assert watched.evaluate("typeof window.__pwned") == "undefined"
    assert any(line.startswith("script-src") for line in violations(watched))


def test_hostile_article_runs_no_script_and_opens_no_dialog(watched, live_server):
    article = hostile_article()
    watched.goto(f"{live_server.url}{article.get_absolute_url()}")
    watched.wait_for_load_state("load")
    # Give any handler that survived a chance to fire: mouse over and focus every element.
    watched.evaluate(
        """document.querySelectorAll("body *").forEach((element) => {
             element.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
             element.dispatchEvent(new FocusEvent("focus"));
           })"""
    )
    watched.wait_for_timeout(300)
    assert watched.evaluate("typeof window.__pwned") == "undefined"
    assert watched.js_errors == []  # dialogs are recorded here too
    assert violations(watched) == []
    assert watched.locator("h1").inner_text() == CASES["jsonld_script_close"]
    assert watched.locator(".faq h3").count() == len(CASES)


def test_admin_editor_live_preview_works_under_the_admin_policy(admin_page, live_server, watched):
    page = admin_page
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_load_state("load")
    page.locator("#id_title").press_sequentially("Harbour dredging starts")
    assert page.input_value("#id_slug") == "harbour-dredging-starts"
    page.fill("#id_body", "## What changes\n\nShips *come* in.\n\n" + CASES["img_onerror"])
    page.locator("#id_body").dispatch_event("input")
    # The desk previews the body as the page: the article fragment in a frame without scripts.
    preview = page.frame_locator(".desk-preview__frame")
    preview.locator("h2", has_text="What changes").wait_for()
    preview.locator("em", has_text="come").wait_for()
    page.click("#faq_entries-group .add-row a")
    page.locator("#id_faq_entries-0-question").wait_for()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert violations(page) == []
    assert page.js_errors == []
