import pytest
from bs4 import BeautifulSoup

from articles.rendering import markers_in, render_markdown, splice_callouts


def parse(html):
    return BeautifulSoup(html, "html.parser")


def test_markdown_renders_headings_emphasis_lists_and_tables():
    html = parse(
        render_markdown(
            "## Head\n\n**bold** and *it*\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |"
        )
    )
    assert html.find("h2").get_text() == "Head"
    assert html.find("strong").get_text() == "bold"
    assert [li.get_text() for li in html.find_all("li")] == ["a", "b"]
    assert [td.get_text() for td in html.find_all("td")] == ["1", "2"]


def test_a_level_one_heading_in_the_body_becomes_level_two():
    html = parse(render_markdown("# Not the title"))
    assert html.find("h1") is None
    assert html.find("h2").get_text() == "Not the title"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<iframe src=javascript:alert(1)></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<style>body{display:none}</style>",
        '<form action="https://evil.example"><input name=x></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<base href="https://evil.example/">',
    ],
)
def test_sanitizer_removes_scripts_handlers_and_active_elements(source):
    html = parse(render_markdown(source))
    for tag in ("script", "svg", "iframe", "style", "form", "input", "meta", "base"):
        assert html.find(tag) is None
    for element in html.find_all(True):
        assert not any(name.startswith("on") or name == "style" for name in element.attrs)
    assert "alert(1)</script>" not in str(html)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="javascript&#58;alert(1)">click</a>',
        "![pic](javascript:alert(1))",
    ],
)
def test_sanitizer_strips_dangerous_link_schemes(source):
    for element in parse(render_markdown(source)).find_all(["a", "img"]):
        url = (element.get("href") or element.get("src") or "").strip().lower()
        assert not url.startswith(("javascript", "vbscript", "data"))


def test_links_keep_safe_urls_and_get_rel():
    link = parse(render_markdown("[site](https://example.org/a?b=1)")).find("a")
    assert link["href"] == "https://example.org/a?b=1"
    assert set(link["rel"]) >= {"noopener", "noreferrer"}


def test_markers_are_found_only_on_their_own_line():
    body = "Intro\n[[callout:take]]\nText with [[callout:inline]] inside.\n\n  [[callout:b-2]]  \n"
    assert markers_in(body) == ["take", "b-2"]


def test_a_marker_line_becomes_its_own_paragraph_and_is_spliced():
    html = splice_callouts(
        render_markdown("First paragraph\n[[callout:take]]\nSecond paragraph"),
        {"take": ["<aside>CALLOUT</aside>"]},
    )
    soup = parse(html)
    assert [child.name for child in soup.find_all(recursive=False)] == ["p", "aside", "p"]
    assert "[[callout" not in html


def test_a_marker_inside_a_code_block_stays_literal():
    html = render_markdown("```\n[[callout:take]]\n```")
    assert parse(html).find("code").get_text().strip() == "[[callout:take]]"


def test_unmatched_markers_render_nothing():
    assert "[[callout" not in splice_callouts(render_markdown("[[callout:gone]]"), {})


def test_markers_are_found_in_text_with_crlf_line_ends_as_browsers_send_it():
    assert markers_in("Intro\r\n\r\n[[callout:take]]\r\n\r\nEnd") == ["take"]
