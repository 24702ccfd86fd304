"""The spreadsheet-formula guard (videocall.core.csvsafe), and that every CSV the platform writes uses it."""

import ast
import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from videocall.core.csvsafe import SafeDictWriter, SafeWriter, csv_cell

SRC = Path(__file__).resolve().parents[2] / "src" / "videocall"


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠x"],
)
def test_formula_like_text_is_quoted(text):
    assert csv_cell(text) == "'" + text


def test_everything_else_is_written_as_it_is():
    assert csv_cell("Olga Owner") == "Olga Owner"
    assert csv_cell("a=b") == "a=b"  # only the first character decides
    assert csv_cell(None) == ""
    assert csv_cell(-5) == -5 and csv_cell(-1.5) == -1.5 and csv_cell(Decimal("-2")) == Decimal("-2")
    assert csv_cell(True) is True
    assert csv_cell(datetime(2026, 1, 2, tzinfo=UTC)) == "2026-01-02 00:00:00+00:00"


def test_the_writers_guard_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerows([["name", "n"], ["=cmd()", -1]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["name", "n"], ["'=cmd()", "-1"]]
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["name", "note"])
    writer.writeheader()
    writer.writerow({"name": "@evil", "note": None})
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [{"name": "'@evil", "note": ""}]


def test_no_csv_is_written_without_the_guard():
    """``csv.writer``/``csv.DictWriter`` appear only inside videocall.core.csvsafe."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "core" / "csvsafe.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in {"writer", "DictWriter"}
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "csv":
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} (from csv import ...)")
    assert offenders == [], f"write CSV through videocall.core.csvsafe: {offenders}"
