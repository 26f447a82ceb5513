"""Reading for reports and charts: an audit's outcomes picture (with the case's earlier audit), and
the highlight report's counts, each an aggregate query whose cost follows the period, not the history."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.audits import PLC_FORM
from plf_core.clock import Clock
from plf_core.errors import ValidationFailed
from plf_core.feedback.form import FeedbackForm
from plf_core.figures import Figures
from plf_core.forms.registry import get_form
from plf_core.highlight import LOW_SCALE, TREND_PERIODS, HighlightReport, PeriodFigures, highlight
from plf_core.outcomes import OutcomesPicture, scales_of
from plf_core.periods import Period, local_date
from plf_core.vocabulary import Grade
from store import queries
from store.audits import SqlAudits
from store.concern_store import concerns_in
from store.feedback_report import feedback_figures_in, shipped_form
from store.models import ActionItem, Audit, Case, DipSample, GradeRecord, Moderation, OutcomeScore, ServiceArea, Team
from store.report_reviews import dips_in, reviews_in
from store.repository import SqlRepository

PLC = PLC_FORM
GRADE_VALUES = {g.value for g in Grade}
MAX_OVERDUE_LISTED = 200


async def outcomes_picture(session: AsyncSession, audit_id: int, clock: Clock) -> OutcomesPicture | None:
    """The outcomes chart's data for a Practice Learning Conversation; None if there is no such audit."""
    row = (
        await session.execute(
            select(Audit.case_id, Audit.submitted_at, Case.azeus_number)
            .select_from(queries.AUDIT_IN_AREA)
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


@dataclass(frozen=True)
class Counting:
    """The counts of one period and scope (a service area, or None: the whole service)."""

    session: AsyncSession
    period: Period
    area_id: int | None
    today: date
    zone: ZoneInfo
    teams: tuple[str, ...] | None = None  # a team's or an area's codes (status), else area_id alone

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.bounds(self.zone)

    @property
    def returned_in(self) -> Any:
        start, end = self.bounds
        return and_(Audit.form_id == PLC, Audit.submitted_at >= start, Audit.submitted_at < end)

    @property
    def moderated_in(self) -> Any:
        start, end = self.bounds
        return and_(Moderation.status == "completed", Moderation.completed_at >= start, Moderation.completed_at < end)

    def audits(self, *columns: Any) -> Any:
        """`select(columns)` from the audits with their case, team and area, limited to the scope."""
        statement = select(*columns).select_from(queries.AUDIT_IN_AREA)
        if self.teams is not None:
            statement = statement.where(Team.code.in_(self.teams))
        return statement.where(Team.service_area_id == self.area_id) if self.area_id is not None else statement

    async def rows(self, statement: Any) -> list[Any]:
        return list(await self.session.execute(statement))

    async def count(self, *where: Any) -> int:
        return int((await self.session.execute(self.audits(func.count()).where(*where))).scalar_one() or 0)

    async def grades(self) -> list[tuple[str, str, str, str | None, int]]:
        columns = ServiceArea.name, Case.cohort, Team.name, Audit.final_grade
        rows = await self.rows(self.audits(*columns, func.count()).where(self.returned_in).group_by(*columns))
        return [(a, c, t, g, int(n)) for a, c, t, g, n in rows]

    async def outcomes(self) -> list[tuple[str, str, float, int]]:
        scores = self.audits(OutcomeScore.source, OutcomeScore.area, func.avg(OutcomeScore.score), func.count())
        rows = await self.rows(
            scores.join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
            .where(self.returned_in, OutcomeScore.source.in_(["practitioner", "child"]), OutcomeScore.area != "overall")
            .group_by(OutcomeScore.source, OutcomeScore.area)
        )
        return [(s, a, float(v), int(n)) for s, a, v, n in rows]

    @property
    def due_in(self) -> Any:
        return and_(Audit.form_id == PLC, Audit.due_on >= self.period.starts, Audit.due_on < self.period.ends)

    @property
    def not_returned(self) -> Any:
        _, end = self.bounds
        return or_(Audit.submitted_at.is_(None), Audit.submitted_at >= end)

    async def outstanding(self) -> int:
        return await self.count(self.due_in, self.not_returned)

    async def assigned(self) -> int:
        return await self.count(self.due_in)

    async def figures(self) -> Figures:
        """The figures plf_core.figures defines, for this period and scope."""
        _, _, overdue, open_ = await self.actions()
        return Figures(
            assigned=await self.assigned(),
            returned=await self.count(self.returned_in),
            outstanding=await self.outstanding(),
            overdue=await self.count(self.due_in, self.not_returned, Audit.due_on < self.today),
            moderated=await self.moderated(),
            actions_open=overdue + open_,
            actions_overdue=overdue,
        )

    async def moderated(self) -> int:
        distinct = self.audits(func.count(func.distinct(Moderation.audit_id)))
        statement = distinct.join(Moderation, Moderation.audit_id == Audit.id).where(self.moderated_in)
        return int((await self.session.execute(statement)).scalar_one() or 0)

    async def moderation_pairs(self) -> list[tuple[str, str, int]]:
        pair = Moderation.original_grade, Moderation.moderated_grade
        rows = await self.rows(
            self.audits(*pair, func.count())
            .join(Moderation, Moderation.audit_id == Audit.id)
            .where(self.moderated_in, *(column.is_not(None) for column in pair))
            .group_by(*pair)
        )
        return [(o, m, int(n)) for o, m, n in rows if o in GRADE_VALUES and m in GRADE_VALUES]

    async def graded_by(self) -> list[tuple[str, str, int]]:
        rows = await self.rows(
            self.audits(GradeRecord.source, GradeRecord.grade, func.count())
            .join(GradeRecord, GradeRecord.audit_id == Audit.id)
            .where(
                self.returned_in, GradeRecord.section == "overall", GradeRecord.source.in_(["practitioner", "manager"])
            )
            .group_by(GradeRecord.source, GradeRecord.grade)
        )
        return [(s, g, int(n)) for s, g, n in rows]

    async def dips_sent(self) -> int:
        start, end = self.bounds
        dips = select(func.count()).select_from(DipSample).where(DipSample.sent_at >= start, DipSample.sent_at < end)
        if self.area_id is not None:
            led = select(Team.head_of_service_id).where(Team.service_area_id == self.area_id)
            dips = dips.where(DipSample.head_of_service_id.in_(led))
        return int((await self.session.execute(dips)).scalar_one() or 0)

    async def actions(self) -> tuple[int, int, int, int]:
        """Actions completed on time and late (of those due in the period), and the actions open (not
        done, due by the period's end) past their deadline today and not yet."""
        due = or_(ActionItem.deadline < self.period.ends, ActionItem.deadline.is_(None))
        rows = await self.rows(
            self.audits(ActionItem.status, ActionItem.deadline, ActionItem.confirmed_at)
            .join(ActionItem, ActionItem.audit_id == Audit.id)
            .where(due)
        )
        on_time = late = overdue = open_ = 0
        for status, deadline, confirmed_at in rows:
            if deadline is None:  # undated: open until done, never late
                open_ += status != "done"
            elif status == "done":
                if deadline < self.period.starts:
                    continue  # completed, and due before the period: another period's
                done_on = confirmed_at.astimezone(self.zone).date() if confirmed_at else deadline
                on_time, late = (on_time + 1, late) if done_on <= deadline else (on_time, late + 1)
            elif deadline < self.today:
                overdue += 1
            else:
                open_ += 1
        return on_time, late, overdue, open_

    async def low(self) -> list[tuple[str, int]]:
        rows = await self.rows(
            self.audits(OutcomeScore.area, func.count())
            .join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
            .where(
                self.returned_in,
                OutcomeScore.source == "practitioner",
                OutcomeScore.area != "overall",
                OutcomeScore.score <= LOW_SCALE,
            )
            .group_by(OutcomeScore.area)
        )
        return [(a, int(n)) for a, n in rows]

    async def overdue_actions(self) -> list[tuple[str, str, date]]:
        """A service area's overdue actions by case (the whole service's would be too long to list)."""
        if self.area_id is None:
            return []
        last_day = min(self.period.ends - timedelta(days=1), self.today)
        rows = await self.rows(
            self.audits(Case.azeus_number, Team.name, ActionItem.deadline)
            .join(ActionItem, ActionItem.audit_id == Audit.id)
            .where(ActionItem.status.in_(["open", "not_yet"]), ActionItem.deadline < last_day + timedelta(days=1))
            .order_by(ActionItem.deadline, Case.azeus_number)
            .limit(MAX_OVERDUE_LISTED)
        )
        return [(c, t, d) for c, t, d in rows]

    async def change(self) -> list[tuple[str, float, int]]:
        """For each area: the mean change of the practitioner's scale of the cases audited in both periods."""

        def per_case(p: Period) -> Any:
            start, end = p.bounds(self.zone)
            return (
                self.audits(Audit.case_id, OutcomeScore.area, func.avg(OutcomeScore.score).label("score"))
                .join(OutcomeScore, OutcomeScore.audit_id == Audit.id)
                .where(
                    Audit.form_id == PLC,
                    Audit.submitted_at >= start,
                    Audit.submitted_at < end,
                    OutcomeScore.source == "practitioner",
                    OutcomeScore.area != "overall",
                )
                .group_by(Audit.case_id, OutcomeScore.area)
            )

        now, before = per_case(self.period).subquery(), per_case(self.period.previous()).subquery()
        rows = await self.rows(
            select(now.c.area, func.avg(now.c.score - before.c.score), func.count())
            .select_from(now.join(before, and_(now.c.case_id == before.c.case_id, now.c.area == before.c.area)))
            .group_by(now.c.area)
        )
        return [(a, float(v), int(n)) for a, v, n in rows]


async def period_figures(
    session: AsyncSession,
    period: Period,
    area_id: int | None,
    today: date,
    zone: ZoneInfo,
    *,
    detail: bool = True,
    team: str | None = None,
    feedback_form: FeedbackForm | None = None,
) -> PeriodFigures:
    """Every count of the highlight report for one period and scope (a service area, or None: all; or
    one team). `detail` False: only what the trend needs (returned, grades, outcome means). Families'
    feedback is counted by the themes of `feedback_form` (the one shipped when None)."""
    counting = Counting(session, period, area_id, today, zone, (team,) if team else None)
    returned = await counting.count(counting.returned_in)
    grades, outcomes = await counting.grades(), await counting.outcomes()
    if not detail:
        return PeriodFigures(returned=returned, grades=grades, outcomes=outcomes)
    pairs = await counting.moderation_pairs()
    return PeriodFigures(
        assigned=await counting.assigned(),
        returned=returned,
        outstanding=await counting.outstanding(),
        moderated=await counting.moderated(),
        dips_sent=await counting.dips_sent(),
        pims_held=await counting.count(Audit.pim_held_on >= period.starts, Audit.pim_held_on < period.ends),
        grades=grades,
        graded_by=[*await counting.graded_by(), *(("moderator", m, n) for _, m, n in pairs)],
        moderation_pairs=pairs,
        actions=await counting.actions(),
        outcomes=outcomes,
        change=await counting.change(),
        low=await counting.low(),
        overdue_actions=await counting.overdue_actions(),
        reviews=await reviews_in(session, period, area_id, zone, team),
        dips=await dips_in(session, period, area_id, zone) if team is None else (),
        concerns=await concerns_in(session, period, area_id, zone, team),
        feedback=await feedback_figures_in(session, feedback_form or shipped_form(), period, area_id, zone, team),
    )


async def figures(
    session: AsyncSession, period: Period, teams: tuple[str, ...] | None, today: date, zone: ZoneInfo
) -> Figures:
    return await Counting(session, period, None, today, zone, teams).figures()


async def highlight_report(
    session: AsyncSession,
    period: Period,
    area_id: int | None,
    scope: str,
    now: datetime,
    zone: ZoneInfo,
    progress: Callable[[str], None] = lambda step: None,
    team: str | None = None,
    feedback_form: FeedbackForm | None = None,
) -> HighlightReport:
    """The whole report: this period in detail, and the periods before it for the trend."""
    today = now.astimezone(zone).date()
    progress(f"counting {period.label}")
    figures = await period_figures(session, period, area_id, today, zone, team=team, feedback_form=feedback_form)
    earlier: list[tuple[Period, PeriodFigures]] = []
    cursor = period
    for _ in range(TREND_PERIODS - 1):
        cursor = cursor.previous()
        progress(f"counting {cursor.label} for the trend")
        trend = await period_figures(session, cursor, area_id, today, zone, detail=False, team=team)
        earlier.insert(0, (cursor, trend))
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
    feedback_form: FeedbackForm | None = None  # the council's own (store.unit_of_work), else the one shipped

    async def scope(self, text: str | None) -> tuple[int | None, str]:
        return await report_scope(self.session, text)

    async def highlight(
        self,
        period: Period,
        area_id: int | None,
        scope: str,
        progress: Callable[[str], None] = lambda step: None,
        team: str | None = None,
    ) -> HighlightReport:
        now, zone = self.clock.now(), self.clock.zone
        form = self.feedback_form
        return await highlight_report(self.session, period, area_id, scope, now, zone, progress, team, form)

    async def team_of(self, team_id: int) -> tuple[str, str] | None:
        found = (await self.session.execute(select(Team.code, Team.name).where(Team.id == team_id))).first()
        return (found[0], found[1]) if found else None

    async def outcomes_picture(self, audit_id: int) -> OutcomesPicture | None:
        return await outcomes_picture(self.session, audit_id, self.clock)

    async def figures(self, period: Period, teams: tuple[str, ...] | None, today: date) -> Figures:
        return await figures(self.session, period, teams, today, self.clock.zone)
