"""The highlight report's dip samples and reviews of a period (lines 479, 517): the dip samples sent
to a Head of Service in it, with their findings and how many of their actions are done, and the
thematic and supervision reviews returned and outstanding."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core import reviews
from plf_core.forms.registry import get_form
from plf_core.periods import Period
from store import queries
from store.models import ActionItem, Answer, Audit, DipSample, Team

REVIEW_FORMS = (reviews.THEMATIC_CIN_CP, reviews.THEMATIC_CLA, reviews.SUPERVISION, reviews.SUPERVISEE)
MAX_FINDINGS = 600  # characters of a dip sample's recommendations in the report


async def reviews_in(
    session: AsyncSession, period: Period, area_id: int | None, zone: ZoneInfo, team: str | None = None
) -> list[tuple[str, int, int]]:
    """(form title, returned in the period, due in it and not returned by its end) for each review form.
    A service area's report counts the reviews of its cases (a supervision review has none)."""
    start, end = period.bounds(zone)
    returned = func.count().filter(Audit.submitted_at >= start, Audit.submitted_at < end)
    due = Audit.due_on >= period.starts, Audit.due_on < period.ends
    outstanding = func.count().filter(*due, or_(Audit.submitted_at.is_(None), Audit.submitted_at >= end))
    statement: Any = select(Audit.form_id, returned, outstanding)
    if area_id is not None or team is not None:
        statement = statement.select_from(queries.AUDIT_IN_AREA)
        statement = statement.where(Team.service_area_id == area_id if team is None else Team.code == team)
    rows = await session.execute(statement.where(Audit.form_id.in_(REVIEW_FORMS)).group_by(Audit.form_id))
    found = {form: (int(r), int(o)) for form, r, o in rows}
    return [(get_form(form).title, *found[form]) for form in REVIEW_FORMS if form in found and any(found[form])]


async def dips_in(
    session: AsyncSession, period: Period, area_id: int | None, zone: ZoneInfo
) -> list[tuple[str, int, int, str]]:
    """(theme, actions, actions done, findings) of each dip sample sent in the period (a service area's
    report: those sent to one of its Heads of Service)."""
    start, end = period.bounds(zone)
    statement = select(DipSample.id, DipSample.theme).where(DipSample.sent_at >= start, DipSample.sent_at < end)
    if area_id is not None:
        led = select(Team.head_of_service_id).where(Team.service_area_id == area_id)
        statement = statement.where(DipSample.head_of_service_id.in_(led))
    dips = list(await session.execute(statement.order_by(DipSample.sent_at)))
    out = []
    for dip_id, theme in dips:
        counted = await session.execute(
            select(func.count(), func.count().filter(ActionItem.status == "done")).where(
                ActionItem.dip_sample_id == dip_id
            )
        )
        actions, done = counted.one()
        out.append((theme, int(actions), int(done), await _findings(session, dip_id)))
    return out


async def _findings(session: AsyncSession, dip_id: int) -> str:
    """The recommendations of the dip sample's Terms of Reference, as last saved."""
    answers = cast(Table, Answer.__table__).c
    latest = await session.execute(
        select(answers["values"])
        .join(Audit, Audit.id == answers.audit_id)
        .where(Audit.dip_sample_id == dip_id, answers.page_id == "recommendations")
        .order_by(answers.version.desc(), answers.id.desc())
        .limit(1)
    )
    values = latest.scalar()
    text = values.get("TOR_recommendations") if isinstance(values, dict) else None
    return str(text or "")[:MAX_FINDINGS]
