"""axe-core (from npm) against every kind of reader page, in the light and the dark palette."""

import json
from pathlib import Path

import pytest

from .reading import open_page

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (landmarks, headings).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(autouse=True)
def _axe_installed():
    if not AXE.exists():
        message = f"AXE CHECKS SKIPPED: no axe-core at {AXE} (`make test` installs it with npm)"
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}")
        pytest.skip(message)


def axe_violations(page, tags=AXE_TAGS):
    # bypass_csp on the context lets the checker in even under a strict Content-Security-Policy.
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
    ]


def test_the_checker_reports_a_real_violation(page):
    page.set_content('<html><body><main><img src="chart.png"></main></body></html>')
    rules = {violation["rule"] for violation in axe_violations(page)}
    assert {"image-alt", "html-has-lang"} <= rules


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "article", "section", "author", "search", "404"])
def test_reader_pages_have_no_axe_violations(browser, live_server, reader_pages, name, scheme):
    for width in (375, 1280):
        page = open_page(
            browser, live_server, reader_pages[name], width, color_scheme=scheme, bypass_csp=True
        )
        violations = axe_violations(page)
        page.context.close()
        assert violations == [], json.dumps(violations, indent=2)
