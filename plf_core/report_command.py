"""The `report` chat command: who may read which highlight report, and the summary it answers
with (the full report is behind a signed link made by the Teams edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plf_core import periods
from plf_core.errors import NotAllowed, ValidationFailed
from plf_core.people import Actor
from plf_core.periods import Period
from plf_core.ports import AbstractUnitOfWork

REPORT_PERIODS = frozenset({periods.Kind.MONTH, periods.Kind.QUARTER})


def may_read_team(actor: Actor, team_id: int) -> bool:
    """A team's report: its Practice Lead and its practitioners (line 318), and QA and SLT."""
    return actor.is_qa or actor.is_slt or team_id in actor.led_team_ids or team_id == actor.team_id


async def team_report(
    uow: AbstractUnitOfWork, actor: Actor, period_text: str | None, today: date, activity: str | None = None
) -> ReportSummary:
    """`team report`: the reader's own team's highlight report (the team they lead, else their own)."""
    period = periods.parse(period_text, today, kinds=REPORT_PERIODS)
    team_id = min(actor.led_team_ids) if actor.led_team_ids else actor.team_id
    team = await uow.reports.team_of(team_id) if team_id is not None else None
    if team_id is None or team is None:
        if actor.is_qa or actor.is_slt or actor.headed_area_ids or actor.managed_area_ids:
            raise ValidationFailed("you are not in a team, so there is no team report for you: type 'report' for yours")
        raise ValidationFailed("you are not in a team in the directory, so there is no team report for you: ask QA")
    made = await uow.reports.highlight(period, None, f"team {team[1]}", team=team[0])
    await uow.access.log(actor, f"team report {period.code}", None, activity, "ok")
    return ReportSummary(period, f"team {team[1]}", None, actor.person_id, made.headline, made.empty, team_id)


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
    team_id: int | None = None  # a team's report


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
