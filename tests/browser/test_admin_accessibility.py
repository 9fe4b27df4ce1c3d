"""The newsroom's admin pages against axe-core's WCAG 2.x A and AA rules, and the autocomplete
fields a screen reader could not name."""

import json

import pytest

from ..factories import ArticleFactory, AuthorFactory, ImageFactory
from .conftest import log_in_as_superuser
from .test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def story():
    return ArticleFactory(
        authors=[AuthorFactory(name="Ana Ruiz"), AuthorFactory(name="Tomas Lindqvist")],
        lead_image=ImageFactory(),
    )


@pytest.fixture
def checked_admin(browser, live_server, django_user_model):
    """Logged in to the admin in a context that lets axe's script past the admin's CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    log_in_as_superuser(page, live_server, django_user_model)
    yield page
    context.close()


def test_the_newsroom_pages_have_no_wcag_violations(checked_admin, live_server, story):
    paths = [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{story.pk}/change/",
        "/admin/articles/author/add/",
        "/admin/live/coverage/add/",
    ]
    found = {}
    for path in paths:
        checked_admin.goto(live_server.url + path)
        checked_admin.wait_for_selector("#content")
        violations = axe_violations(checked_admin, WCAG)
        if violations:
            found[path] = violations
    assert found == {}, json.dumps(found, indent=2)
    assert checked_admin.js_errors == []


def test_an_autocomplete_field_is_named_after_its_label_and_still_clears(
    admin_page, live_server, story
):
    admin_page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    lead_image = admin_page.get_by_role("combobox", name="Lead image")
    assert lead_image.count() == 1
    authors_search = admin_page.get_by_role("searchbox", name="Authors")
    assert authors_search.count() == 1
    chosen = admin_page.locator(".field-authors .select2-selection__choice")
    assert chosen.count() == 2

    # The "clear all" cross sits beside the list of chosen authors now, and still clears it.
    cross = admin_page.locator(".field-authors .select2-selection > .select2-selection__clear")
    assert admin_page.locator(".field-authors ul > .select2-selection__clear").count() == 0
    cross.click()
    assert chosen.count() == 0
    selected = admin_page.eval_on_selector("#id_authors", "s => s.selectedOptions.length")
    assert selected == 0
