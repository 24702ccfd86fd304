"""CSV files that are safe to open in a spreadsheet: every CSV the platform writes goes through here.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms, which some spreadsheets also accept) is read as a formula by Excel, LibreOffice and
Google Sheets ("CSV injection", OWASP): a meeting participant named ``=HYPERLINK(...)`` would become a
live link in the host's attendance sheet. Such text is prefixed with ``'``, which spreadsheets show as
the literal text. Numbers, booleans and dates are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_cell(value: Any) -> Any:
    """``value`` ready for a CSV cell: ``None`` -> ``""``, formula-like text quoted with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """``csv.writer`` whose rows pass through :func:`csv_cell`."""

    def __init__(self, file: Any, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` whose values pass through :func:`csv_cell`."""

    def __init__(self, file: Any, fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = csv.DictWriter(file, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writerow({name: csv_cell(name) for name in self._writer.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({key: csv_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)
