"""Reading the site in a real browser: layout at phone and desk widths, keyboard, no JavaScript."""

import pytest

from ..factories import ArticleFactory
from .reading import has_horizontal_overflow, open_page

pytestmark = pytest.mark.django_db(transaction=True)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(
    ("width", "column"), [(375, (320, 375)), (1280, (560, 720))], ids=["phone", "desk"]
)
def test_reading_an_article_fits_the_screen_with_a_readable_column(
    browser, live_server, reader_pages, artifacts, width, column
):
    page = open_page(browser, live_server, reader_pages["article"], width)
    page.screenshot(path=artifacts / f"article-{width}.png", full_page=True)

    assert not has_horizontal_overflow(page)
    body = box(page, ".article__body")
    minimum, maximum = column
    assert minimum <= body["width"] <= maximum, body
    # The column is centred on wide screens and uses the width of a phone.
    assert abs(body["x"] - (width - body["x"] - body["width"])) <= 2
    font_size = page.eval_on_selector(".article__body p", "p => getComputedStyle(p).fontSize")
    assert float(font_size.removesuffix("px")) >= 18
    # Each part of the story is on screen, in reading order.
    order = [
        box(page, selector)["y"]
        for selector in ("h1", ".standfirst", ".kicker", ".byline", ".article__body", ".faq")
    ]
    assert order == sorted(order)
    assert page.locator(".byline__reading").inner_text().endswith("min read")
    assert page.locator(".related .card__title").count() == 3
    page.context.close()


def test_callout_kinds_look_different_in_light_and_dark(
    browser, live_server, reader_pages, artifacts
):
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(browser, live_server, reader_pages["article"], 1280, color_scheme=scheme)
        page.screenshot(path=artifacts / f"article-1280-{scheme}.png", full_page=True)
        colours[scheme] = page.evaluate(
            """() => [...document.querySelectorAll('aside.callout')].map(aside => {
                const style = getComputedStyle(aside);
                return [aside.className, style.backgroundColor, style.borderLeftColor];
            })"""
        )
        colours[scheme + " page"] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.context.close()
    kinds = {name for name, *_ in colours["light"]}
    assert kinds == {"callout callout--key", "callout callout--note"}
    for scheme in ("light", "dark"):
        looks = {tuple(style) for _, *style in colours[scheme]}
        assert len(looks) == 2, colours[scheme]
    assert colours["light page"] != colours["dark page"]


@pytest.mark.parametrize("name", ["home", "article", "section", "author", "search", "404"])
def test_every_page_fits_a_320px_phone(browser, live_server, reader_pages, artifacts, name):
    page = open_page(browser, live_server, reader_pages[name], 320)
    assert not has_horizontal_overflow(page), name
    if name == "home":
        page.screenshot(path=artifacts / "home-320.png", full_page=True)
    page.context.close()


def test_long_words_tables_and_code_do_not_widen_the_page(browser, live_server, reader_pages):
    article = ArticleFactory(
        body="A https://example.org/" + "a-very-long-path-segment" * 8 + " link.\n\n"
        "Supercalifragilistic" * 6 + "\n\n"
        "| Year | Budget | Spent | Left | Notes |\n| --- | --- | --- | --- | --- |\n"
        "| 2026 | 1,000,000 | 999,999 | 1 | " + "wide " * 30 + "|\n\n"
        "    code = 'a line of code that goes on and on and on and on and on and on and on'\n"
    )
    page = open_page(browser, live_server, article.get_absolute_url(), 320)
    assert not has_horizontal_overflow(page)
    page.context.close()


def test_keyboard_users_get_a_visible_skip_link_and_focus_ring(browser, live_server, reader_pages):
    page = open_page(browser, live_server, reader_pages["article"], 1280)
    assert box(page, ".skip-link")["y"] < 0  # off screen until focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert box(page, ".skip-link")["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert focused == "3px"
    page.context.close()


def test_the_whole_article_reads_with_javascript_off(browser, live_server, reader_pages):
    page = open_page(browser, live_server, reader_pages["article"], 375, java_script_enabled=False)
    assert page.locator("h1").is_visible()
    assert page.locator("aside.callout").count() == 2
    assert all(aside.is_visible() for aside in page.locator("aside.callout").all())
    assert page.locator(".faq__answer").first.is_visible()
    page.goto(f"{live_server.url}/search/")
    page.fill("input[name=q]", "heat pumps")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=heat+pumps")
    assert page.locator(".card__title").count() >= 1
    page.context.close()


def test_print_hides_site_chrome_and_keeps_the_story(browser, live_server, reader_pages):
    page = open_page(browser, live_server, reader_pages["article"], 1280)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".related").is_visible()
    assert page.locator(".article__body").is_visible()
    assert page.locator(".faq").is_visible()
    page.context.close()
