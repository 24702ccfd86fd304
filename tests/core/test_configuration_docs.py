"""Every environment variable the code reads is documented in docs/configuration.md and .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = [
    re.compile(r"""\benv(?:_bool|_int|_list)?\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""\bsecret\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""os\.environ\[\s*["']([A-Z][A-Z0-9_]+)["']\]"""),
]
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE"}


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            names.update(pattern.findall(text))
    return names - NOT_CONFIGURATION


def test_every_variable_is_documented():
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in variables_read_by_the_code() if f"`{name}`" not in documented)
    assert missing == [], f"document these in docs/configuration.md: {missing}"


def test_every_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = sorted(
        name for name in variables_read_by_the_code() if not re.search(rf"^#?\s*{name}=", example, re.M)
    )
    assert missing == [], f"add these to .env.example: {missing}"
