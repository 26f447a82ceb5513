"""Immediate concerns in figures (plf_core.concern_figures): counts and the median time to acknowledge
by service area, worked by hand, with small numbers marked; and their place in the highlight report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from plf_core import periods
from plf_core.concern_figures import ConcernRow, by_area, concerns_table, headline, minutes
from plf_core.highlight import PeriodFigures, highlight

RAISED = datetime(2026, 8, 3, 22, 0, tzinfo=UTC)


def concern(area: str | None, after: float | None, level: int = 0) -> ConcernRow:
    acknowledged = RAISED + timedelta(minutes=after) if after is not None else None
    return ConcernRow(area, RAISED, acknowledged, level)


def test_the_median_minutes_to_acknowledge_are_counted_by_area_with_the_whole_service() -> None:
    rows = [
        concern("North", 10),
        concern("North", 40),
        concern("North", 95, level=1),  # nobody within the hour: the Head of Service had it
        concern("North", None, level=2),  # never acknowledged
        concern("South", 25),
        concern("South", 50),
    ]
    north, south, whole = by_area(rows)
    assert (north.area, north.raised, north.acknowledged, north.open, north.escalated) == ("North", 4, 3, 1, 2)
    assert north.median_minutes == 40  # 10, 40, 95
    assert south.median_minutes == 37.5  # (25 + 50) / 2
    assert (whole.raised, whole.acknowledged, whole.median_minutes) == (6, 5, 40)  # 10, 25, 40, 50, 95
    table = concerns_table(rows)
    assert table.rows == (
        ("North", "4*", "3*", "1*", "2*", "40*"),
        ("South", "2*", "2*", "0", "0", "37.5*"),
        ("The whole service", "6", "5", "1*", "2*", "40"),
    )
    assert dict(headline(rows)) == {"Immediate concerns": "6", "Median minutes to acknowledge": "40"}


def test_no_concerns_say_so_without_a_median_and_one_area_has_no_total_line() -> None:
    assert concerns_table([]).rows == ()
    assert dict(headline([])) == {"Immediate concerns": "0", "Median minutes to acknowledge": "—"}
    assert concerns_table([concern(None, None)]).rows == (("No service area", "1*", "0", "1*", "0", "—"),)
    assert minutes(12.25, 9) == "12.2"  # one decimal, as staff read it
    assert minutes(0.0, 1) == "0*"


def test_the_highlight_report_counts_the_concerns_and_their_median_by_service_area() -> None:
    q3 = periods.quarter(date(2026, 8, 1))
    figures = PeriodFigures(returned=3, concerns=[concern("North", 30), concern("North", None, level=1)])
    report = highlight(q3, "the whole service", figures, [], datetime(2026, 11, 26, tzinfo=UTC), area_report=False)
    [table] = next(s for s in report.sections if s.question == "Immediate concerns").tables
    assert table.rows == (("North", "2*", "1*", "1*", "1*", "30*"),)
    assert dict(report.headline)["Immediate concerns"] == "2*"
    assert dict(report.headline)["Median minutes to acknowledge"] == "30*"
