"""Reading for the inspection evidence pack: the audit programme's volume by service area (the
Practice Leads whose quota makes the plan, and the audits due, returned and outstanding as
plf_core.figures counts them)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.evidence_ports import VolumeRow
from plf_core.periods import Period
from store.models import ServiceArea, Team
from store.report_store import Counting


async def volume(session: AsyncSession, period: Period, today: date, zone: ZoneInfo) -> list[VolumeRow]:
    """For each service area: its teams' Practice Leads, and the Practice Learning Conversations due
    in the period, returned in it and outstanding at its end (plf_core.figures' definitions)."""
    leads = func.count(func.distinct(Team.practice_lead_id))
    areas = await session.execute(
        select(ServiceArea.id, ServiceArea.name, leads)
        .outerjoin(Team, Team.service_area_id == ServiceArea.id)
        .group_by(ServiceArea.id, ServiceArea.name)
        .order_by(ServiceArea.name)
    )
    rows = []
    for area_id, name, practice_leads in list(areas):
        counting = Counting(session, period, area_id, today, zone)
        assigned, returned = await counting.assigned(), await counting.count(counting.returned_in)
        rows.append(VolumeRow(name, int(practice_leads), assigned, returned, await counting.outstanding()))
    return rows
