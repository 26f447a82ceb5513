"""The immediate concerns raised in a period, for the highlight report and the evidence pack
(plf_core.concern_figures turns them into figures by service area)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.concern_figures import ConcernRow
from plf_core.periods import Period
from store.models import Case, Concern, ServiceArea, Team


async def concerns_in(
    session: AsyncSession, period: Period, area_id: int | None, zone: ZoneInfo, team: str | None = None
) -> list[ConcernRow]:
    """Every concern raised in the period (a service area's or a team's, or all), with its area's name."""
    start, end = period.bounds(zone)
    columns = ServiceArea.name, Concern.raised_at, Concern.acknowledged_at, Concern.level
    statement: Any = (
        select(*columns)
        .select_from(Concern)
        .outerjoin(ServiceArea, ServiceArea.id == Concern.area_id)
        .where(Concern.raised_at >= start, Concern.raised_at < end)
    )
    if area_id is not None:
        statement = statement.where(Concern.area_id == area_id)
    if team is not None:
        statement = statement.join(Case, Case.id == Concern.case_id).join(Team, Team.id == Case.team_id)
        statement = statement.where(Team.code == team)
    rows = await session.execute(statement.order_by(Concern.raised_at, Concern.id))
    return [ConcernRow(area, raised, acknowledged, int(level or 0)) for area, raised, acknowledged, level in rows]
