"""CSV a spreadsheet opens as data, never as formulas (OWASP, "CSV Injection").

A team or service area named `=HYPERLINK(...)` or `@SUM(1+1)*cmd|' /C calc'!A0` would reach Excel
as a formula. Every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading apostrophe, which the spreadsheet reads as "this is text"; a plain number (`-1.5`, `+2`,
`-3%`) is left as it is, since it cannot be a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%?")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(columns: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The table as CSV text, every cell made safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return buffer.getvalue()
