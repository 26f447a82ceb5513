"""Children and families' feedback for reports (plf_core.feedback.figures counts it): the answers received
in a period, each with where its case sits (service area, team, cohort), for the whole service, a
service area or a team. Only the answers the figures read leave here: the two ratings and the two
answers themes are counted from; never the case, the request or any other answer. For the timetable,
each service area's feedback over a quarter just ended, with its managers (plf_core.feedback.meeting)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core import periods
from plf_core.feedback.figures import HELPED, IN_THE_WAY, LISTENED, FeedbackFigures, feedback_figures
from plf_core.feedback.form import Audience, FeedbackForm, parse_feedback_form
from plf_core.feedback.meeting import AreaFeedback
from plf_core.feedback.ports import FeedbackRecord
from plf_core.periods import Period
from store.models import Case, FeedbackAnswer, ServiceArea, Team

SHIPPED_FORM = Path(__file__).resolve().parents[1] / "plf_core" / "forms" / "family_feedback.yaml"
NO_AREA = "No service area"


@cache
def shipped_form() -> FeedbackForm:
    """The feedback form shipped with the product, for a unit of work not handed the council's own."""
    return parse_feedback_form(yaml.safe_load(SHIPPED_FORM.read_text("utf-8")))


def _kept(document: object, wanted: frozenset[str]) -> dict[str, int | str]:
    if not isinstance(document, dict):
        return {}
    return {k: v for k, v in document.items() if k in wanted and isinstance(v, int | str) and not isinstance(v, bool)}


async def feedback_in(
    session: AsyncSession,
    form: FeedbackForm,
    period: Period,
    area_id: int | None,
    zone: ZoneInfo,
    team: str | None = None,
) -> list[FeedbackRecord]:
    """Every set of answers received in the period (a service area's or a team's, or all)."""
    start, end = period.bounds(zone)
    columns = ServiceArea.name, Team.code, Case.cohort, FeedbackAnswer.audience, FeedbackAnswer.received_at
    statement: Any = (
        select(*columns, FeedbackAnswer.answers)
        .select_from(FeedbackAnswer)
        .join(Case, Case.id == FeedbackAnswer.case_id)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(ServiceArea, ServiceArea.id == Team.service_area_id)
        .where(FeedbackAnswer.received_at >= start, FeedbackAnswer.received_at < end)
    )
    if area_id is not None:
        statement = statement.where(Team.service_area_id == area_id)
    if team is not None:
        statement = statement.where(Team.code == team)
    wanted = frozenset({form.satisfaction, LISTENED, HELPED, IN_THE_WAY})
    rows = await session.execute(statement.order_by(FeedbackAnswer.received_at, FeedbackAnswer.id))
    return [
        FeedbackRecord(area or NO_AREA, code, cohort or "", Audience(audience), received, _kept(answers, wanted))
        for area, code, cohort, audience, received, answers in rows
        if audience in {a.value for a in Audience}
    ]


async def feedback_figures_in(
    session: AsyncSession,
    form: FeedbackForm,
    period: Period,
    area_id: int | None,
    zone: ZoneInfo,
    team: str | None = None,
) -> FeedbackFigures:
    """The period's feedback in figures, for the scope."""
    return feedback_figures(form, await feedback_in(session, form, period, area_id, zone, team))


def _quarter_starts(window: tuple[date, date]) -> list[date]:
    """The first days of quarters within the window (the anchors of a quarter_start rule)."""
    found, quarter = [], periods.quarter(window[1])
    while quarter.starts >= window[0]:
        found.append(quarter.starts)
        quarter = quarter.previous()
    return found


async def area_feedback(
    session: AsyncSession, form: FeedbackForm, window: tuple[date, date] | None, zone: ZoneInfo
) -> list[AreaFeedback]:
    """For each quarter starting within the window (none: no quarter_start rule can be due), each service
    area's feedback over the quarter before it, with the area's Service Managers and Heads of Service."""
    starts = _quarter_starts(window) if window is not None else []
    if not starts:
        return []
    rows = await session.execute(
        select(Team.service_area_id, ServiceArea.name, Team.service_manager_id, Team.head_of_service_id).join(
            ServiceArea, ServiceArea.id == Team.service_area_id
        )
    )
    areas: dict[int, tuple[str, set[int], set[int]]] = {}
    for area_id, name, manager, head in rows:
        _, managers, heads = areas.setdefault(area_id, (name, set(), set()))
        managers.update([manager] if manager is not None else [])
        heads.update([head] if head is not None else [])
    found = []
    for start in starts:
        quarter = periods.quarter(start).previous()
        for area_id, (name, managers, heads) in sorted(areas.items()):
            figures = await feedback_figures_in(session, form, quarter, area_id, zone)
            found.append(
                AreaFeedback(quarter.code, start, area_id, name, tuple(sorted(managers)), tuple(sorted(heads)), figures)
            )
    return found
