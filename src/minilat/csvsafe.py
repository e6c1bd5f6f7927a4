"""Spreadsheet-safe CSV: the one way minilat writes CSV.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula (and some treat a leading tab or carriage return the same way), so a name like
``=HYPERLINK("http://evil.example", "click")`` in the data would become a live link, or
worse, in a reader's spreadsheet. :func:`safe_cell` neutralises such a cell by putting a
single quote in front (OWASP's advice for CSV injection), which spreadsheets show as text;
numbers (``-3.5``, or a number written as text) are left alone. :func:`writer` is
``csv.writer`` with every cell passed through it; every CSV the project writes goes
through here (a test checks that no other module calls ``csv.writer``).

>>> safe_cell('=HYPERLINK("http://evil.example")')
'\\'=HYPERLINK("http://evil.example")'
>>> safe_cell("-3.5"), safe_cell(-3.5), safe_cell("Quad"), safe_cell("@SUM(A1)")
('-3.5', -3.5, 'Quad', "'@SUM(A1)")
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["TRIGGERS", "SafeWriter", "safe_cell", "writer"]

#: The first characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as plain text (non-strings pass unchanged)."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose rows are made spreadsheet-safe cell by cell."""

    def __init__(self, f: Any, **fmt: Any) -> None:
        self._w = csv.writer(f, **fmt)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(f: Any, **fmt: Any) -> SafeWriter:
    """Like ``csv.writer(f, **fmt)``, every cell passed through :func:`safe_cell`."""
    return SafeWriter(f, **fmt)
