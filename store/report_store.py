"""Reading for reports and charts: an audit's outcomes picture (with the case's earlier audit), and
the highlight report's counts, each an aggregate query whose cost follows the period, not the history."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.clock import Clock
from plf_core.errors import ValidationFailed
from plf_core.forms.registry import get_form
from plf_core.highlight import LOW_SCALE, TREND_PERIODS, HighlightReport, PeriodFigures, highlight
from plf_core.outcomes import OutcomesPicture, scales_of
from plf_core.periods import Period, local_date
from plf_core.vocabulary import Grade
from store.audits import SqlAudits
from store.models import ActionItem, Audit, Case, DipSample, GradeRecord, Moderation, OutcomeScore, ServiceArea, Team
from store.repository import SqlRepository

PLC = "practice_learning_conversation"
GRADE_VALUES = {g.value for g in Grade}
MAX_OVERDUE_LISTED = 200


async def outcomes_picture(session: AsyncSession, audit_id: int, clock: Clock) -> OutcomesPicture | None:
    """The outcomes chart's data for a Practice Learning Conversation; None if there is no such audit."""
    row = (
        await session.execute(
            select(Audit.case_id, Audit.submitted_at, Case.azeus_number)
            .join(Case, Case.id == Audit.case_id)
            .where(Audit.id == audit_id, Audit.form_id == PLC)
        )
    ).first()
    if row is None:
        return None
    case_id, submitted_at, case_ref = row
    form = get_form(PLC)
    store = SqlAudits(session, clock)
    scales = scales_of(form, await store.answers_of(audit_id))
    earlier_row = (
        await session.execute(
            select(Audit.id, Audit.submitted_at)
            .where(
                Audit.case_id == case_id,
                Audit.form_id == PLC,
                Audit.id != audit_id,
                Audit.submitted_at.is_not(None),
                *([Audit.submitted_at < submitted_at] if submitted_at is not None else []),
            )
            .order_by(Audit.submitted_at.desc())
            .limit(1)
        )
    ).first()
    earlier = earlier_on = None
    if earlier_row is not None:
        earlier = scales_of(form, await store.answers_of(earlier_row[0]))
        earlier_on = local_date(earlier_row[1], clock.zone) if earlier_row[1] else None
    return OutcomesPicture(
        case_ref,
        local_date(submitted_at, clock.zone) if submitted_at else None,
        scales,
        earlier,
        earlier_on if earlier else None,
    )


def _scoped(statement: Any, area_id: int | None) -> Any:
    """Audits (already selected from) joined to their case and team, limited to one service area."""
    statement = statement.join(Case, Case.id == Audit.case_id).join(Team, Team.id == Case.team_id)
    return statement.where(Team.service_area_id == area_id) if area_id is not None else statement


async def _one(session: AsyncSession, statement: Any) -> int:
    return int((await session.execute(statement)).scalar_one() or 0)


async def period_figures(
    session: AsyncSession, period: Period, area_id: int | None, today: date, zone: ZoneInfo, *, detail: bool = True
) -> PeriodFigures:
    """Every count of the highlight report for one period and scope (a service area, or None: all).
    `detail` False: only what the trend needs (returned, grades, outcome means)."""
    start, end = period.bounds(zone)
    plc = Audit.form_id == PLC
    returned_in = and_(plc, Audit.submitted_at >= start, Audit.submitted_at < end)
    returned = await _one(session, _scoped(select(func.count()).select_from(Audit).where(returned_in), area_id))
    grade_rows = await session.execute(
        _scoped(
            select(ServiceArea.name, Case.cohort, Team.name, Audit.final_grade, func.count())
            .select_from(Audit)
            .where(returned_in),
            area_id,
        )
        .join(ServiceArea, ServiceArea.id == Team.service_area_id)
        .group_by(ServiceArea.name, Case.cohort, Team.name, Audit.final_grade)
    )
    grades = [(a, c, t, g, int(n)) for a, c, t, g, n in grade_rows]
    outcome_rows = await session.execute(
        _scoped(
            select(OutcomeScore.source, OutcomeScore.area, func.avg(OutcomeScore.score), func.count())
            .select_from(Audit)
            .join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
            .where(returned_in, OutcomeScore.source.in_(["practitioner", "child"]), OutcomeScore.area != "overall"),
            area_id,
        ).group_by(OutcomeScore.source, OutcomeScore.area)
    )
    outcomes = [(s, a, float(v), int(n)) for s, a, v, n in outcome_rows]
    if not detail:
        return PeriodFigures(returned=returned, grades=grades, outcomes=outcomes)

    assigned = await _one(
        session,
        _scoped(
            select(func.count()).select_from(Audit).where(plc, Audit.created_at >= start, Audit.created_at < end),
            area_id,
        ),
    )
    outstanding = await _one(
        session,
        _scoped(
            select(func.count())
            .select_from(Audit)
            .where(
                plc,
                Audit.due_on >= period.starts,
                Audit.due_on < period.ends,
                or_(Audit.submitted_at.is_(None), Audit.submitted_at >= end),
            ),
            area_id,
        ),
    )
    moderated_in = and_(
        Moderation.status == "completed", Moderation.completed_at >= start, Moderation.completed_at < end
    )
    moderated = await _one(
        session,
        _scoped(
            select(func.count(func.distinct(Moderation.audit_id)))
            .select_from(Audit)
            .join(Moderation, Moderation.audit_id == Audit.id)
            .where(moderated_in),
            area_id,
        ),
    )
    pair_rows = await session.execute(
        _scoped(
            select(Moderation.original_grade, Moderation.moderated_grade, func.count())
            .select_from(Audit)
            .join(Moderation, Moderation.audit_id == Audit.id)
            .where(moderated_in, Moderation.original_grade.is_not(None), Moderation.moderated_grade.is_not(None)),
            area_id,
        ).group_by(Moderation.original_grade, Moderation.moderated_grade)
    )
    pairs = [(o, m, int(n)) for o, m, n in pair_rows if o in GRADE_VALUES and m in GRADE_VALUES]
    by_rows = await session.execute(
        _scoped(
            select(GradeRecord.source, GradeRecord.grade, func.count())
            .select_from(Audit)
            .join(GradeRecord, GradeRecord.audit_id == Audit.id)
            .where(returned_in, GradeRecord.section == "overall", GradeRecord.source.in_(["practitioner", "manager"])),
            area_id,
        ).group_by(GradeRecord.source, GradeRecord.grade)
    )
    graded_by = [(s, g, int(n)) for s, g, n in by_rows]
    graded_by += [("moderator", m, n) for _, m, n in pairs]

    dips = select(func.count()).select_from(DipSample).where(DipSample.sent_at >= start, DipSample.sent_at < end)
    if area_id is not None:
        led = select(Team.head_of_service_id).where(Team.service_area_id == area_id)
        dips = dips.where(DipSample.head_of_service_id.in_(led))
    dips_sent = await _one(session, dips)
    pims_held = await _one(
        session,
        _scoped(
            select(func.count())
            .select_from(Audit)
            .where(Audit.pim_held_on >= period.starts, Audit.pim_held_on < period.ends),
            area_id,
        ),
    )

    last_day = min(period.ends - timedelta(days=1), today)
    action_rows = await session.execute(
        _scoped(
            select(ActionItem.status, ActionItem.deadline, ActionItem.confirmed_at)
            .select_from(Audit)
            .join(ActionItem, ActionItem.audit_id == Audit.id)
            .where(ActionItem.deadline >= period.starts, ActionItem.deadline < period.ends),
            area_id,
        )
    )
    on_time = late = overdue = open_ = 0
    for status, deadline, confirmed_at in action_rows:
        if status == "done":
            done_on = confirmed_at.astimezone(zone).date() if confirmed_at else deadline
            on_time, late = (on_time + 1, late) if done_on <= deadline else (on_time, late + 1)
        elif deadline < today:
            overdue += 1
        else:
            open_ += 1

    previous = period.previous()
    change = await _change(session, period, previous, area_id, zone)
    low_rows = await session.execute(
        _scoped(
            select(OutcomeScore.area, func.count())
            .select_from(Audit)
            .join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
            .where(
                returned_in,
                OutcomeScore.source == "practitioner",
                OutcomeScore.area != "overall",
                OutcomeScore.score <= LOW_SCALE,
            ),
            area_id,
        ).group_by(OutcomeScore.area)
    )
    overdue_actions: list[tuple[str, str, date]] = []
    if area_id is not None:
        rows = await session.execute(
            _scoped(
                select(Case.azeus_number, Team.name, ActionItem.deadline)
                .select_from(Audit)
                .join(ActionItem, ActionItem.audit_id == Audit.id)
                .where(ActionItem.status.in_(["open", "not_yet"]), ActionItem.deadline < last_day + timedelta(days=1)),
                area_id,
            )
            .order_by(ActionItem.deadline, Case.azeus_number)
            .limit(MAX_OVERDUE_LISTED)
        )
        overdue_actions = [(c, t, d) for c, t, d in rows]
    return PeriodFigures(
        assigned=assigned,
        returned=returned,
        outstanding=outstanding,
        moderated=moderated,
        dips_sent=dips_sent,
        pims_held=pims_held,
        grades=grades,
        graded_by=graded_by,
        moderation_pairs=pairs,
        actions=(on_time, late, overdue, open_),
        outcomes=outcomes,
        change=change,
        low=[(a, int(n)) for a, n in low_rows],
        overdue_actions=overdue_actions,
    )


async def _change(
    session: AsyncSession, period: Period, previous: Period, area_id: int | None, zone: ZoneInfo
) -> list[tuple[str, float, int]]:
    """For each area: the mean change of the practitioner's scale of the cases audited in both periods."""

    def per_case(p: Period) -> Any:
        start, end = p.bounds(zone)
        return _scoped(
            select(Audit.case_id, OutcomeScore.area, func.avg(OutcomeScore.score).label("score"))
            .select_from(Audit)
            .join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
            .where(
                Audit.form_id == PLC,
                Audit.submitted_at >= start,
                Audit.submitted_at < end,
                OutcomeScore.source == "practitioner",
                OutcomeScore.area != "overall",
            ),
            area_id,
        ).group_by(Audit.case_id, OutcomeScore.area)

    now, before = per_case(period).subquery(), per_case(previous).subquery()
    rows = await session.execute(
        select(now.c.area, func.avg(now.c.score - before.c.score), func.count())
        .select_from(now.join(before, and_(now.c.case_id == before.c.case_id, now.c.area == before.c.area)))
        .group_by(now.c.area)
    )
    return [(a, float(v), int(n)) for a, v, n in rows]


async def highlight_report(
    session: AsyncSession,
    period: Period,
    area_id: int | None,
    scope: str,
    now: datetime,
    zone: ZoneInfo,
    progress: Callable[[str], None] = lambda step: None,
) -> HighlightReport:
    """The whole report: this period in detail, and the periods before it for the trend."""
    today = now.astimezone(zone).date()
    progress(f"counting {period.label}")
    figures = await period_figures(session, period, area_id, today, zone)
    earlier: list[tuple[Period, PeriodFigures]] = []
    cursor = period
    for _ in range(TREND_PERIODS - 1):
        cursor = cursor.previous()
        progress(f"counting {cursor.label} for the trend")
        earlier.insert(0, (cursor, await period_figures(session, cursor, area_id, today, zone, detail=False)))
    progress("assembling the report")
    return highlight(period, scope, figures, earlier, now, area_report=area_id is not None)


async def report_scope(session: AsyncSession, text: str | None) -> tuple[int | None, str]:
    """A report's scope: (None, 'the whole service'), or a service area found by code or name;
    an unknown one is named in the error with the close matches."""
    if not text or text.strip().lower() in ("all", "service", "whole service", "the whole service"):
        return None, "the whole service"
    wanted = text.strip().lower()
    areas = list(await session.execute(select(ServiceArea.id, ServiceArea.code, ServiceArea.name)))
    for area_id, code, name in areas:
        if wanted in (code.lower(), name.lower()):
            return area_id, name
    labels = {name.lower(): name for _, _, name in areas} | {code.lower(): name for _, code, name in areas}
    close = sorted({labels[m] for m in difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.5)})
    hint = (
        f"; did you mean {' or '.join(close)}?"
        if close
        else f"; the service areas are: {', '.join(sorted(set(labels.values())))}"
    )
    raise ValidationFailed(f"there is no service area '{text.strip()[:60]}'{hint}")


class SqlReports(SqlRepository):
    async def scope(self, text: str | None) -> tuple[int | None, str]:
        return await report_scope(self.session, text)

    async def highlight(
        self,
        period: Period,
        area_id: int | None,
        scope: str,
        progress: Callable[[str], None] = lambda step: None,
    ) -> HighlightReport:
        return await highlight_report(self.session, period, area_id, scope, self.clock.now(), self.clock.zone, progress)

    async def outcomes_picture(self, audit_id: int) -> OutcomesPicture | None:
        return await outcomes_picture(self.session, audit_id, self.clock)
