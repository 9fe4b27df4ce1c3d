"""Live coverage in Chromium: the optional script finds new updates and inserts them on
request; the desk posts an update in one step; the page has no CSP violation."""

import pytest

from live import updates
from live.models import Update

from ..live_factories import CoverageFactory, UpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_script_offers_new_updates_and_inserts_them(page, live_server):
    coverage = CoverageFactory()
    UpdateFactory(coverage=coverage, headline="Already there")
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if message.type == "error" else None,
    )
    page.clock.install()
    page.goto(live_server.url + coverage.article.get_absolute_url())
    stream = page.locator(".live__stream article.live-update")
    assert stream.count() == 1
    assert page.locator("button.live__show").is_hidden()
    updates.post(
        Update(coverage=coverage, headline="Posted meanwhile", body="With *emphasis*."),
        user=None,
        trusted=True,
    )
    page.clock.fast_forward("00:31")
    button = page.locator("button.live__show")
    button.wait_for(state="visible")
    assert button.inner_text() == "1 new update: show"
    button.click()
    assert stream.count() == 2
    assert stream.first.locator("h3").inner_text() == "Posted meanwhile"
    assert stream.first.locator("em").inner_text() == "emphasis"
    assert page.evaluate("document.activeElement.querySelector('h3').textContent") == (
        "Posted meanwhile"
    )
    assert button.is_hidden()
    assert page.js_errors == [] and violations == []


def test_without_the_script_the_page_is_complete(browser, live_server):
    coverage = CoverageFactory()
    UpdateFactory.create_batch(3, coverage=coverage)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + coverage.article.get_absolute_url())
    assert page.locator("article.live-update").count() == 3
    assert page.locator("button.live__show").count() == 0
    context.close()


def test_an_editor_posts_from_the_desk_in_one_step(admin_page, live_server, artifacts):
    coverage = CoverageFactory()
    admin_page.goto(f"{live_server.url}/admin/live/coverage/{coverage.pk}/desk/")
    admin_page.fill("#id_headline", "Doors open")
    admin_page.fill("#id_body", "The gallery is **full**.")
    admin_page.click("input[value='Post update']")
    admin_page.wait_for_load_state()
    assert admin_page.url.endswith(f"/admin/live/coverage/{coverage.pk}/desk/")
    first = admin_page.locator(".live-desk__item").first
    assert first.locator(".live-desk__headline").inner_text() == "Doors open"
    assert Update.objects.get().body == "The gallery is **full**."
    admin_page.screenshot(path=str(artifacts / "live-desk-1280.png"))
    assert admin_page.js_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_live_page_has_no_axe_violations(browser, live_server, scheme):
    from ..live_factories import updates_for
    from .reading import open_page
    from .test_accessibility import AXE, axe_violations

    if not AXE.exists():
        pytest.skip(f"AXE CHECKS SKIPPED: no axe-core at {AXE}")
    coverage = CoverageFactory()
    UpdateFactory(coverage=coverage, pinned=True, headline="What we know")
    updates_for(coverage, 25)
    for path in (coverage.article.get_absolute_url(), f"/news/{coverage.article.slug}/live/2/"):
        for width in (375, 1280):
            page = open_page(
                browser, live_server, path, width, color_scheme=scheme, bypass_csp=True
            )
            violations = axe_violations(page)
            page.context.close()
            assert violations == [], (path, width, violations)
