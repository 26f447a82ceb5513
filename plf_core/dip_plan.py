"""The year's dip samples, planned (line 515: bi-monthly; section 16's annual themes): the `dip_plan:`
of the timetable's configuration names the month each theme's dip sample starts. Two weeks before
it the Data & Impact team is asked for the cohort's case data; on its first working day QA is told
the dip sample is due, with a button that starts it (`dip new THEME`).

Each notice once (its key holds the month), in working hours; a bot that was down catches up
within the week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plf_core.errors import ValidationFailed
from plf_core.periods import month as month_of
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.timetable import Hours
from plf_core.timetable_notices import DipPlanned
from plf_core.vocabulary import Role

DATA_DAYS_BEFORE = 14  # the data request, two weeks before (line 469, as for a cycle)
CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class PlannedDip:
    month: int  # 1-12: the month it starts, every year
    theme: str


def parse_dip_plan(data: object, themes: tuple[str, ...]) -> tuple[PlannedDip, ...]:
    """The `dip_plan:` list (absent: none planned). ValidationFailed names the entry and the problem."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ValidationFailed("dip_plan: should be a list of {month, theme}")
    plan: list[PlannedDip] = []
    for n, raw in enumerate(data, 1):
        if not isinstance(raw, Mapping) or set(raw) != {"month", "theme"}:
            raise ValidationFailed(f"dip_plan {n}: should be a mapping of month and theme")
        month, theme = raw["month"], raw["theme"]
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            raise ValidationFailed(f"dip_plan {n}: 'month' must be 1 to 12, not '{month}'")
        if theme not in themes:
            raise ValidationFailed(f"dip_plan {n}: unknown theme '{theme}' (known: {'; '.join(themes)})")
        if any(p.month == month for p in plan):
            raise ValidationFailed(f"dip_plan {n}: month {month} is planned twice")
        plan.append(PlannedDip(month, str(theme)))
    return tuple(sorted(plan, key=lambda p: p.month))


def due(plan: tuple[PlannedDip, ...], today: date) -> list[tuple[str, PlannedDip, date]]:
    """What is due today: ('data', dip, its start) from two weeks before it, ('start', dip, its start)
    from its first day, each for a week."""
    found = []
    for dip in plan:
        for year in (today.year, today.year + 1):
            starts = date(year, dip.month, 1)
            for step, day in (("data", starts - timedelta(days=DATA_DAYS_BEFORE)), ("start", starts)):
                if day <= today < day + timedelta(days=CATCH_UP_DAYS):
                    found.append((step, dip, starts))
    return found


def key(step: str, starts: date, person: int) -> str:
    return f"dip_plan:{starts:%Y-%m}:{step}:{person}"


async def send(uow: AbstractUnitOfWork, plan: tuple[PlannedDip, ...], now: datetime, hours: Hours) -> int:
    """Each due notice of the plan to its people once; returns how many were written."""
    if hours.next_opening(now) != now:
        return 0
    written = 0
    for step, dip, starts in due(plan, now.astimezone(hours.zone).date()):
        roles = (
            [Role.DATA_AND_IMPACT.value]
            if step == "data"
            else [Role.QA_MANAGER.value, Role.PRACTICE_LEARNING_REVIEWER.value]
        )
        people = await uow.people.people_with_roles(roles)
        if not people or await uow.outbox.written(key(step, starts, people[0])):
            continue
        notice = DipPlanned(dip.theme, starts, step == "data", month_of(starts).label)
        for person in people:
            await uow.outbox.add(Notice(key(step, starts, person), person, notice))
            written += 1
    return written
