"""Opening reader pages in their own browser context, at a given width and colour scheme."""


def open_page(browser, live_server, path, width, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{path}")
    return page


def has_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
