"""Supervision reviews come round once a year per supervisor (Appendix 12): at each cycle's start, QA
is sent the Practice Leads with no supervision review of their records assigned in the last twelve
months, each with the command that assigns one. Once per cycle; reminders and escalations of the
reviews themselves come with the timetable (review_due)."""

from __future__ import annotations

from datetime import datetime

from plf_core import periods
from plf_core.framework_config import Framework
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.quota import QA_ROLES, may_be_due
from plf_core.timetable import Hours
from plf_core.timetable_notices import SupervisionDue

MONTHS = 12
MAX_LISTED = 60


def key(cycle: str, person: int) -> str:
    return f"supervision_due:{cycle}:{person}"


async def propose(uow: AbstractUnitOfWork, framework: Framework, now: datetime, hours: Hours) -> int:
    """The supervisors due a review, to each QA officer, if it is the cycle's start; returns how many
    notices were written."""
    if not may_be_due(framework, now, hours):
        return 0
    today = now.astimezone(hours.zone).date()
    cycle = framework.cycle_containing(today)
    qa = sorted(set(await uow.people.people_with_roles(QA_ROLES)))
    if not qa or await uow.outbox.written(key(cycle.code, qa[0])):
        return 0
    due = await uow.audits.supervisors_due(periods.months_before(today, MONTHS))
    if not due:
        return 0
    notice = SupervisionDue(cycle.code, tuple(name for _, name in due[:MAX_LISTED]), len(due))
    for person in qa:
        await uow.outbox.add(Notice(key(cycle.code, person), person, notice))
    return len(qa)
