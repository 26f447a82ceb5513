"""The `report` chat command: who may read which highlight report, and the summary it answers
with (the full report is behind a signed link made by the Teams edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plf_core import periods
from plf_core.errors import NotAllowed
from plf_core.people import Actor
from plf_core.periods import Period
from plf_core.ports import AbstractUnitOfWork

REPORT_PERIODS = frozenset({periods.Kind.MONTH, periods.Kind.QUARTER})


def may_read(actor: Actor, area_id: int | None) -> bool:
    """QA and SLT read every report; Heads of Service and Service Managers their own service areas'."""
    if actor.is_qa or actor.is_slt:
        return True
    return area_id is not None and area_id in (actor.headed_area_ids | actor.managed_area_ids)


@dataclass(frozen=True)
class ReportSummary:
    """The `report` command's answer: the headline figures, and what the full report's link names."""

    period: Period
    scope: str
    area_id: int | None
    reader_id: int
    headline: tuple[tuple[str, str], ...]
    empty: bool


async def report(
    uow: AbstractUnitOfWork,
    actor: Actor,
    period_text: str | None,
    scope_text: str | None,
    today: date,
    activity: str | None = None,
) -> ReportSummary:
    """The `report` command: a manager of one service area gets theirs by default."""
    period = periods.parse(period_text, today, kinds=REPORT_PERIODS)
    own = actor.headed_area_ids | actor.managed_area_ids
    if scope_text is None and not (actor.is_qa or actor.is_slt) and len(own) == 1:
        area_id: int | None = next(iter(own))
        assert area_id is not None
        scope = await uow.people.area_name(area_id)
    else:
        area_id, scope = await uow.reports.scope(scope_text)
    if not may_read(actor, area_id):
        raise NotAllowed(
            "you can see the report of your own service area; the whole service's is for QA and SLT",
            action="report",
        )
    made = await uow.reports.highlight(period, area_id, scope)
    await uow.access.log(actor, f"report {period.code}", None, activity, "ok")
    return ReportSummary(period, scope, area_id, actor.person_id, made.headline, made.empty)
