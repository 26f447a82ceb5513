"""The calendar: months, quarters (the audit cycles) and years, typed or derived from a day, and
their bounds at the configured zone's midnights."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plf_core import periods
from plf_core.clock import FixedClock, RunningClock, parse_instant
from plf_core.errors import ValidationFailed
from plf_core.periods import Kind
from tests.instants import LONDON, at_instants


@pytest.mark.parametrize(
    ("typed", "code", "label", "starts", "ends"),
    [
        ("2026-10", "2026-10", "October 2026", date(2026, 10, 1), date(2026, 11, 1)),
        ("2026-2", "2026-02", "February 2026", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-Q3", "2026-Q3", "2026 Q3", date(2026, 7, 1), date(2026, 10, 1)),
        ("2026q4", "2026-Q4", "2026 Q4", date(2026, 10, 1), date(2027, 1, 1)),
        (" 2026-q1 ", "2026-Q1", "2026 Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2028", "2028", "2028", date(2028, 1, 1), date(2029, 1, 1)),
    ],
)
def test_a_typed_period_is_read_as_people_write_it(typed: str, code: str, label: str, starts: date, ends: date) -> None:
    found = periods.parse_code(typed)
    assert found is not None
    assert (found.code, found.label, found.starts, found.ends) == (code, label, starts, ends)


@pytest.mark.parametrize("typed", ["2026-13", "2026-0", "2026-Q5", "26-10", "October", "", "q3"])
def test_what_is_not_a_period_is_none(typed: str) -> None:
    assert periods.parse_code(typed) is None


def test_month_and_quarter_words_mean_the_last_whole_one() -> None:
    today = date(2026, 12, 2)
    assert periods.parse("month", today).code == "2026-11"
    assert periods.parse("quarter", today).code == "2026-Q3"
    assert periods.parse(None, today).code == "2026-Q3"
    assert periods.parse(None, today, default=periods.quarter(today)).code == "2026-Q4"


def test_a_bare_quarter_is_the_latest_of_that_number_that_has_begun() -> None:
    today = date(2026, 12, 2)
    assert periods.parse("q3", today).code == "2026-Q3"
    assert periods.parse("Q4", today).code == "2026-Q4"  # this one, so far
    assert periods.parse("q1", date(2026, 2, 10)).code == "2026-Q1"
    assert periods.parse("q2", date(2026, 2, 10)).code == "2025-Q2"  # this year's has not begun
    with pytest.raises(ValidationFailed):
        periods.parse("q5", today)


def test_a_period_of_a_kind_not_asked_for_is_refused_naming_what_to_type() -> None:
    months_and_quarters = frozenset({Kind.MONTH, Kind.QUARTER})
    with pytest.raises(ValidationFailed, match=r"'2026' is not a period: use month, quarter, 2026-10 or 2026-Q3"):
        periods.parse("2026", date(2026, 12, 2), kinds=months_and_quarters)
    with pytest.raises(ValidationFailed, match=r"'soon' is not a period: use .*2026-Q3 or 2026"):
        periods.parse("soon", date(2026, 12, 2))


@at_instants
def test_each_period_contains_today_and_follows_the_one_before(now: datetime) -> None:
    today = now.astimezone(LONDON).date()
    for kind in Kind:
        period = periods.containing(kind, today)
        assert period.contains(today)
        assert period.previous().ends == period.starts
        assert period.following().starts == period.ends
        assert periods.parse_code(period.code) == period
    cycle = periods.cycle_containing(today)
    assert cycle.due_on == cycle.ends - timedelta(days=1)
    assert [c.code for c in periods.cycles_around(today, 1, 3)][1] == cycle.code


def test_bounds_are_the_zones_midnights_in_utc() -> None:
    october = periods.month(date(2026, 10, 1))
    start, end = october.bounds(LONDON)
    assert start == datetime(2026, 9, 30, 23, 0, tzinfo=UTC)  # British Summer Time
    assert end == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # Greenwich Mean Time again
    assert october.bounds(ZoneInfo("UTC")) == (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))


def test_months_before_keeps_the_day_or_the_months_last() -> None:
    assert periods.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert periods.months_before(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert periods.months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_a_fixed_clock_says_the_local_date() -> None:
    clock = FixedClock(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), LONDON)  # 00:30 BST on the 25th
    assert clock.today() == date(2026, 10, 25)
    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_running_clock_starts_where_it_is_told_and_moves_on() -> None:
    start = parse_instant("2026-12-24T09:05", LONDON)
    clock = RunningClock(start, LONDON)
    first = clock.now()
    assert timedelta(0) <= first - start < timedelta(seconds=5)
    assert clock.today() == date(2026, 12, 24)
    assert clock.now() >= first


def test_an_instant_must_be_a_date_and_time() -> None:
    with pytest.raises(ValueError, match="is not a date and time such as 2026-12-24T09:05"):
        parse_instant("Christmas Eve", LONDON)
    assert parse_instant("2026-12-24T09:05+00:00", LONDON) == datetime(2026, 12, 24, 9, 5, tzinfo=UTC)
