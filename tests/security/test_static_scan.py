"""Static security rules are on, find nothing, and every suppression says why."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUFF = str(Path(sys.executable).with_name("ruff"))


def test_ruff_security_rules_are_selected():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "S" in config["tool"]["ruff"]["lint"]["select"]


def test_no_security_findings():
    result = subprocess.run(
        [RUFF, "check", "--output-format", "concise", "src", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_security_suppression_has_a_reason():
    pattern = re.compile(r"#\s*noqa:\s*(S\d+(?:\s*,\s*\w+)*)(.*)$")
    unexplained = []
    for path in [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = pattern.search(line)
            if match and len(match.group(2).strip(" -:()")) < 8:
                unexplained.append(f"{path.relative_to(ROOT)}:{number}")
    assert unexplained == [], f"noqa: S... without a reason: {unexplained}"
