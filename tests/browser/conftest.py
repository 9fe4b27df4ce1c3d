"""Real headless Chromium (Debian's package) driven by Playwright against a live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not shutil.which(CHROMIUM):
        message = f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)"
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}")
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def admin_page(page, live_server, django_user_model):
    return log_in_as_superuser(page, live_server, django_user_model)


def log_in_as_superuser(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-test-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def reader_pages(live_server):
    """Paths of each kind of reader page: the demo articles, plus three more in the first one's
    section so its article page has related stories."""
    from articles.models import Article, Author

    from ..factories import ArticleFactory

    call_command("load_demo_content", verbosity=0)
    article = Article.objects.select_related("section").get(slug="city-bets-winter-on-heat-pumps")
    ArticleFactory.create_batch(3, section=article.section, authors=[])
    author = Author.objects.filter(articles__isnull=False).first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": "/search/?q=heat+pumps",
        "404": "/no-such-page/",
    }
