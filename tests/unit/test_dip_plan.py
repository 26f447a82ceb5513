"""The year's plan of dip samples (plf_core.dip_plan): read from the configuration, checked, and due
on the right days."""

from __future__ import annotations

from datetime import date

import pytest

from plf_core.dip_plan import PlannedDip, due, parse_dip_plan
from plf_core.dips import DEFAULT_THEMES
from plf_core.errors import ValidationFailed
from scheduler.timetable_file import load_configuration


def test_the_shipped_plan_is_bi_monthly_with_the_annual_themes() -> None:
    plan = load_configuration().dip_plan
    assert [p.month for p in plan] == [2, 4, 6, 8, 10, 12]
    assert {p.theme for p in plan} <= set(DEFAULT_THEMES)


def test_a_dip_is_asked_for_its_data_two_weeks_before_and_due_on_its_first_day_each_for_a_week() -> None:
    plan = (PlannedDip(2, "Threshold"), PlannedDip(12, "Permanence"))
    assert due(plan, date(2027, 1, 17)) == []
    assert due(plan, date(2027, 1, 18)) == [("data", plan[0], date(2027, 2, 1))]
    assert due(plan, date(2027, 1, 24)) == [("data", plan[0], date(2027, 2, 1))]
    assert due(plan, date(2027, 2, 1)) == [("start", plan[0], date(2027, 2, 1))]
    assert due(plan, date(2027, 2, 8)) == []
    assert due(plan, date(2026, 11, 17)) == [("data", plan[1], date(2026, 12, 1))]  # across the year's end too


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([{"month": 2, "theme": "Astrology"}], "dip_plan 1: unknown theme 'Astrology'"),
        ([{"month": 13, "theme": "Threshold"}], "dip_plan 1: 'month' must be 1 to 12, not '13'"),
        (
            [{"month": 2, "theme": "Threshold"}, {"month": 2, "theme": "Permanence"}],
            "dip_plan 2: month 2 is planned twice",
        ),
        ([{"month": 2}], "dip_plan 1: should be a mapping of month and theme"),
        ({"month": 2}, "dip_plan: should be a list"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_entry(data: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_dip_plan(data, DEFAULT_THEMES)
