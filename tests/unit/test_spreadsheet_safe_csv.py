"""Every CSV the project writes opens in a spreadsheet as data, never as a formula (OWASP CSV injection).

Before this, `highlight_csv` wrote a service area named `=HYPERLINK(...)` as it was."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from plf_core.highlight import PeriodFigures, highlight
from plf_core.periods import Kind, Period
from reports.highlight_html import highlight_csv
from reports.spreadsheet import safe_cell

ATTACKS = [
    '=HYPERLINK("http://x.invalid","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("cell", ATTACKS)
def test_a_cell_that_starts_like_a_formula_is_made_text(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1.5", "+2", "-3%", "42", "Front Door", "", "4.7*", "a=b"])
def test_numbers_and_ordinary_text_are_left_as_they_are(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_the_highlight_reports_csv_neutralises_a_service_area_and_team_named_as_formulas() -> None:
    area, team = ATTACKS[0], ATTACKS[1]
    figures = PeriodFigures(returned=1, grades=[(area, "cp", team, "red", 1)])
    report = highlight(
        Period(date(2026, 7, 1), date(2026, 10, 1), Kind.QUARTER), "the whole service", figures, [], datetime(2026, 10, 1, tzinfo=UTC),
        area_report=False,
    )  # fmt: skip
    cells = [cell for text in highlight_csv(report).values() for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(area in cell for cell in cells)  # the names are in the files...
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not c.lstrip("+-")[:1].isdigit()]
