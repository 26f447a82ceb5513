"""Reports that go out by themselves (lines 406, 431, 479): the highlight report of the month just
ended, on the configured working day of each month, and the quarter's learning report at the start
of each quarter, sent as the report's summary card to every manager for their own scope: QA and SLT
the whole service, each Head of Service and Service Manager their own service area(s).

Once per period and reader (the notice's key), in working hours; a bot that was down catches up
within the week.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from plf_core import periods
from plf_core.framework_config import Framework
from plf_core.periods import Kind, Period
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.timetable import Hours
from plf_core.timetable_notices import HighlightReportReady
from plf_core.vocabulary import Role
from plf_core.working_days import add_working_days

CATCH_UP_DAYS = 7
WHOLE_SERVICE = "the whole service"
READERS_OF_ALL = [Role.SLT.value, Role.DIRECTOR_OF_OPERATIONS.value, Role.QA_MANAGER.value]


def key(period: Period, person: int, area_id: int | None) -> str:
    return f"report:{period.code}:{area_id or 'all'}:{person}"


def due_reports(framework: Framework, today: date) -> list[Period]:
    """The reports whose day has come (and not passed by more than a week): last month's from the
    configured working day of this month, last quarter's from its working day of this quarter."""
    return [
        period for period, due in _due_dates(framework, today) if due <= today < due + timedelta(days=CATCH_UP_DAYS)
    ]


def reports_on(framework: Framework, today: date) -> list[Period]:
    """The reports whose day is `today` (the timetable preview)."""
    return [period for period, due in _due_dates(framework, today) if due == today]


def _due_dates(framework: Framework, today: date) -> list[tuple[Period, date]]:
    """Last month's and last quarter's reports, each with the day it goes out."""
    found = []
    for kind, day in (
        (Kind.MONTH, framework.monthly_report_working_day),
        (Kind.QUARTER, framework.quarterly_report_working_day),
    ):
        current = periods.containing(kind, today)
        found.append((current.previous(), add_working_days(current.starts - timedelta(days=1), day)))
    return found


async def send(uow: AbstractUnitOfWork, framework: Framework, now: datetime, hours: Hours) -> int:
    """Each due report's summary to each reader, once; returns how many notices were written."""
    if hours.next_opening(now) != now:
        return 0
    written = 0
    for period in due_reports(framework, now.astimezone(hours.zone).date()):
        scopes: dict[int | None, list[int]] = {None: await uow.people.people_with_roles(READERS_OF_ALL)}
        for area, managers in (await uow.people.area_managers()).items():
            scopes[area] = managers
        for area_id, readers in scopes.items():
            if not readers or await uow.outbox.written(key(period, readers[0], area_id)):
                continue
            scope = WHOLE_SERVICE if area_id is None else await uow.people.area_name(area_id)
            made = await uow.reports.highlight(period, area_id, scope)
            for person in readers:
                ready = HighlightReportReady(period.code, area_id or 0, scope, person, made.headline, made.empty)
                await uow.outbox.add(Notice(key(period, person, area_id), person, ready))
                written += 1
    return written
