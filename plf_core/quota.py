"""The cycle's audits proposed, not forgotten (line 483): at a cycle's start, in working hours, QA is
sent the cycle's quota (the configured number per Practice Lead) drawn as a preview with Create.

Once per cycle (the notice's key holds the cycle), and not at all when a quota was drawn for the
cycle already (from three weeks before its start, when its data request went out). A cycle that
starts with none drawn also goes on SLT's escalation (plf_core.timetable).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from plf_core.framework_config import Framework
from plf_core.layered import preview_sample
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.sampling import Criteria, Method
from plf_core.timetable import Hours
from plf_core.timetable_notices import QuotaProposal
from plf_core.vocabulary import Role

#: how long into a cycle the proposal may still go (a bot that was down catches up)
PROPOSE_WITHIN_DAYS = 14
#: a quota drawn this long before a cycle's start counts for it (QA may draw after the data request)
DRAWN_FROM_DAYS_BEFORE = 21
QA_ROLES = [Role.QA_MANAGER.value, Role.PRACTICE_LEARNING_REVIEWER.value]


def key(cycle: str, person: int) -> str:
    return f"quota_proposal:{cycle}:{person}"


async def propose(uow: AbstractUnitOfWork, framework: Framework, now: datetime, hours: Hours) -> int:
    """Write the proposal to each QA officer if it is due; returns how many notices were written."""
    if not may_be_due(framework, now, hours):
        return 0
    today = now.astimezone(hours.zone).date()
    cycle = framework.cycle_containing(today)
    qa = sorted(set(await uow.people.people_with_roles(QA_ROLES)))
    if not qa or await uow.outbox.written(key(cycle.code, qa[0])):
        return 0
    if await uow.sampling.quota_drawn_since(cycle.starts - timedelta(days=DRAWN_FROM_DAYS_BEFORE)):
        return 0
    seed = seed_of(cycle.starts)
    preview, _ = await preview_sample(uow, 0, Method.QUOTA, Criteria(), seed, today, framework)
    proposal = QuotaProposal(
        cycle.code,
        f"{preview.command} confirm {preview.fingerprint}",
        framework.audits_per_practice_lead,
        preview.draw.population_size,
        preview.chosen,
        preview.draw.shortfalls,
    )
    for person in qa:
        await uow.outbox.add(Notice(key(cycle.code, person), person, proposal))
    return len(qa)


def may_be_due(framework: Framework, now: datetime, hours: Hours) -> bool:
    """In a cycle's first days, in working hours (it goes at the next opening: a preview drawn then is
    the one QA sees); the store is asked only then."""
    today = now.astimezone(hours.zone).date()
    cycle = framework.cycle_containing(today)
    in_first_days = cycle.starts <= today < cycle.starts + timedelta(days=PROPOSE_WITHIN_DAYS)
    return in_first_days and hours.next_opening(now) == now


def seed_of(starts: date) -> int:
    """The same cycle always proposes the same draw (2027-01-01 gives 202701)."""
    return starts.year * 100 + starts.month
