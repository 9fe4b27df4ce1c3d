"""The Nu Html Checker (npm vnu-jar, run with Java) over pages rendered by the test client."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"


def check_html(pages, tmp_path):
    """Validate {name: html}; return {name: [messages]} for errors and warnings."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.skip(
            "HTML VALIDATION SKIPPED: needs java and node_modules/vnu-jar "
            "(run `make test` to install them)"
        )
    paths = []
    for name, html in pages.items():
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stdout)
    found = {name: [] for name in pages}
    for message in report["messages"]:
        name = Path(message.get("url", "unknown")).stem
        found.setdefault(name, []).append(message)
    return found
