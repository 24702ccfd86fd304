"""Every rule id cited in docs/, src/ or tests/ (R4, S14, a range S6-S9) is defined in docs/requirements.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "docs" / "requirements.md"
# Rule ids have one or two digits; ruff's bandit codes (noqa: S105) have three. "S3" is Amazon's storage.
CITED = re.compile(r"\b([RS])(\d{1,2})(?:\s*[-–]\s*\1?(\d{1,2}))?\b")
NOT_A_RULE = {"S3"}


def _cited_ids() -> dict[str, str]:
    files = [
        *(ROOT / "docs").rglob("*.md"),
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "src").rglob("*.html"),
        *(ROOT / "tests").rglob("*.py"),
    ]
    found: dict[str, str] = {}
    for path in files:
        if path == REQUIREMENTS:
            continue
        for series, first, last in CITED.findall(path.read_text(encoding="utf-8")):
            for number in range(int(first), int(last or first) + 1):
                found.setdefault(f"{series}{number}", str(path.relative_to(ROOT)))
    return {rule: where for rule, where in found.items() if rule not in NOT_A_RULE}


def test_every_cited_rule_id_is_defined():
    defined = set(re.findall(r"^### ([RS]\d+):", REQUIREMENTS.read_text(encoding="utf-8"), re.M))
    cited = _cited_ids()
    assert cited, "the scan found no rule ids at all"
    missing = {rule: where for rule, where in cited.items() if rule not in defined}
    assert missing == {}, f"define these in docs/requirements.md: {missing}"
