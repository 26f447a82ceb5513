"""What the timetable engine needs to know, read in windows around `now` (indexed date columns, so
the cost follows what is nearly due, not everything), and the due notices written to the outbox
(a person's reminders of a day gathered in one digest: store.digests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core import reviews
from plf_core.audits import PLC_FORM
from plf_core.feedback.form import FeedbackForm
from plf_core.forms.registry import get_form
from plf_core.periods import Period, cycle_containing, local_date, midnight, parse_code
from plf_core.timetable import (
    CycleState,
    ModeratedAudit,
    OpenAudit,
    OpenReview,
    PimDue,
    Recipient,
    Rule,
    SentDip,
    State,
    TrackedAction,
    Trigger,
    Unit,
)
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, Role
from store import queries, report_store
from store.digests import insert_once
from store.feedback_report import area_feedback, shipped_form
from store.models import (
    ActionItem,
    Audit,
    Case,
    Cycle,
    DipSample,
    Moderation,
    Person,
    PersonRole,
    SamplingDraw,
    Team,
)

A, C, T = cast(Table, Audit.__table__).c, cast(Table, Case.__table__).c, cast(Table, Team.__table__).c
OPEN = [s.value for s in OPEN_AUDIT_STATUSES]
REVIEW_FORMS = [reviews.THEMATIC_CIN_CP, reviews.THEMATIC_CLA, reviews.SUPERVISION, reviews.SUPERVISEE]
ROLE_OF: dict[Recipient, tuple[Role, ...]] = {
    Recipient.DATA_AND_IMPACT: (Role.DATA_AND_IMPACT,),
    Recipient.SLT: (Role.SLT,),
    Recipient.DIRECTOR_OF_OPERATIONS: (Role.DIRECTOR_OF_OPERATIONS,),
    Recipient.QA: (Role.PRACTICE_LEARNING_REVIEWER, Role.QA_MANAGER),
}


def _window(rules: Sequence[Rule], trigger: Trigger, today: date, lookback: int) -> tuple[date, date] | None:
    """The anchors of this trigger whose notices can be due today: each rule's offset back from today,
    widened by the catch-up `lookback`, a few days for weekends and holidays, and working days
    counted as calendar days generously. The query then costs what is nearly due, not everything."""
    spans = []  # each rule's offset in calendar days: exact, or (working days) its least and most
    for rule in rules:
        if rule.trigger is trigger:
            wide = (
                rule.offset
                if rule.unit is Unit.DAYS
                else math.ceil(rule.offset * 7 / 5) + (5 if rule.offset >= 0 else -5)
            )
            spans += [rule.offset, wide]
    if not spans:
        return None
    return today - timedelta(days=max(spans) + lookback + 5), today - timedelta(days=min(spans) - 1)


async def ensure_cycles(session: AsyncSession, cycles: Sequence[Period]) -> int:
    """The cycle calendar holds each of `cycles`: a new one is added once (on two instances at once,
    the unique code keeps one), a known one is never changed. Returns how many were added."""
    known = set((await session.execute(select(Cycle.code))).scalars())
    rows = [{"code": c.code, "starts_on": c.starts, "due_on": c.due_on} for c in cycles if c.code not in known]
    if not rows:
        return 0
    statement = insert_once(session, Cycle.__table__, "code").returning(Cycle.__table__.c.code)
    result = await (await session.connection()).execute(statement, rows)
    return len(list(result.scalars()))


async def load_state(
    session: AsyncSession,
    rules: Sequence[Rule],
    today: date,
    zone: ZoneInfo,
    lookback: int = 14,
    *,
    with_open_audits: bool = False,
    feedback_form: FeedbackForm | None = None,
) -> State:
    """What the timetable's rules can need on `today`: each trigger's subjects, read only where a rule
    of that trigger can be due (open audits also when `with_open_audits`), and who holds each role."""
    windows = {trigger: _window(rules, trigger, today, lookback) for trigger in Trigger}
    cycles = await _load_cycles(session, windows[Trigger.CYCLE_START], windows[Trigger.CYCLE_DUE])
    due_window = windows[Trigger.CYCLE_DUE]
    due_now = due_window is not None and any(due_window[0] <= c.due_on <= due_window[1] for c in cycles)
    month_now = windows[Trigger.MONTH_START] is not None and today.day <= lookback + 7
    open_audits = await _load_open_audits(session) if month_now or due_now or with_open_audits else []
    moderated = await _load_moderated(session, windows[Trigger.MODERATED], zone)
    dips = await _load_sent_dips(session, windows[Trigger.DIP_SENT], zone)
    pims = await _load_pims_due(session, windows[Trigger.PIM_DUE])
    people = await _load_people_by_role(session, rules)
    outstanding, quota_missing = (0, 0), ""
    slt_rules = [r for r in rules if r.trigger is Trigger.CYCLE_DUE and Recipient.SLT in r.to]
    escalated = [
        c
        for c in cycles
        for r in slt_rules
        if r.due_on(c.due_on) <= today < r.due_on(c.due_on) + timedelta(days=lookback + 5)
    ]
    if escalated:  # SLT's escalation can be due: its figures are counted only then
        due = escalated[0]
        outstanding = await _load_outstanding(session, today, zone, due.code)
        quota_missing = await _quota_missing(session, cycles, due, today, zone)
    actions = await _load_actions_due(session, windows[Trigger.ACTION_DUE])
    open_reviews = await _load_reviews_due(session, windows[Trigger.REVIEW_DUE])
    feedback = await area_feedback(session, feedback_form or shipped_form(), windows[Trigger.QUARTER_START], zone)
    return State(
        cycles, open_audits, moderated, dips, pims, people, *outstanding, actions, quota_missing, open_reviews, feedback
    )


async def _load_reviews_due(session: AsyncSession, window: tuple[date, date] | None) -> list[OpenReview]:
    """The thematic and supervision reviews (and supervisees' evaluations) still open whose deadline is
    within the window, with the case's team's Service Manager and Head of Service where there is a case."""
    if window is None:
        return []
    rows = await session.execute(
        select(
            A.id,
            A.form_id,
            C.azeus_number,
            A.due_on,
            A.practitioner_id,
            A.second_person_id,
            T.service_manager_id,
            T.head_of_service_id,
        )
        .select_from(
            cast(Table, Audit.__table__).outerjoin(Case, Case.id == A.case_id).outerjoin(Team, Team.id == C.team_id)
        )
        .where(A.form_id.in_(REVIEW_FORMS), A.status.in_(OPEN), A.due_on >= window[0], A.due_on <= window[1])
    )
    return [
        OpenReview(audit, get_form(form).title, case or "", due, *people) for audit, form, case, due, *people in rows
    ]


async def _quota_missing(
    session: AsyncSession, cycles: Sequence[CycleState], due: CycleState, today: date, zone: ZoneInfo
) -> str:
    """The cycle after `due`, if it has started and no quota of audits was drawn for it (from three
    weeks before its start, when its data request went out); '' otherwise."""
    following = next((c for c in cycles if c.starts_on == due.due_on + timedelta(days=1)), None)
    if following is None or today < following.starts_on:
        return ""
    drawn = await session.execute(
        select(func.count())
        .select_from(SamplingDraw)
        .where(
            SamplingDraw.purpose == "plc",
            SamplingDraw.created_at >= midnight(following.starts_on - timedelta(days=21), zone),
        )
    )
    return "" if drawn.scalar_one() else following.code


def _days_between(window: tuple[date, date], zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a window's days cover: from the midnight its first day begins to the one after its last."""
    return midnight(window[0], zone), midnight(window[1] + timedelta(days=1), zone)


async def _load_cycles(session: AsyncSession, *windows: tuple[date, date] | None) -> list[CycleState]:
    """The cycles a cycle_start or cycle_due rule can be counting from: those overlapping the rules'
    windows widened by 100 days either side (none when no such rule)."""
    found = [w for w in windows if w]
    if not found:
        return []
    low = min(w[0] for w in found) - timedelta(days=100)
    high = max(w[1] for w in found) + timedelta(days=100)
    rows = await session.execute(
        select(Cycle.code, Cycle.starts_on, Cycle.due_on).where(Cycle.due_on >= low, Cycle.starts_on <= high)
    )
    return [CycleState(code, starts, due) for code, starts, due in rows]


async def _load_open_audits(session: AsyncSession) -> list[OpenAudit]:
    """Every assigned or in-progress practice learning conversation with a due date, with its case,
    team and the team's Practice Lead, Service Manager and Head of Service."""
    rows = await session.execute(
        select(
            A.id,
            C.azeus_number,
            T.code,
            A.due_on,
            A.practitioner_id,
            A.second_person_id,
            T.practice_lead_id,
            T.service_manager_id,
            T.head_of_service_id,
        )
        .select_from(queries.AUDIT_IN_AREA)
        .where(A.status.in_(OPEN), A.due_on.is_not(None), A.form_id == PLC_FORM)
    )
    return [OpenAudit(*row) for row in rows]


async def _load_moderated(
    session: AsyncSession, window: tuple[date, date] | None, zone: ZoneInfo
) -> list[ModeratedAudit]:
    """The audits whose moderation was completed within the window and that have actions recorded,
    each with its open actions (none: all confirmed) and its practitioner, Practice Lead and Service Manager."""
    if window is None:
        return []
    completed_from, completed_before = _days_between(window, zone)
    rows = await session.execute(
        select(
            Moderation.audit_id,
            C.azeus_number,
            func.max(Moderation.completed_at),
            A.practitioner_id,
            T.practice_lead_id,
            T.service_manager_id,
        )
        .select_from(queries.AUDIT_IN_AREA.join(queries.MODERATIONS, Moderation.audit_id == A.id))
        .where(
            Moderation.status == "completed",
            Moderation.completed_at >= completed_from,
            Moderation.completed_at < completed_before,
        )
        .group_by(Moderation.audit_id, C.azeus_number, A.practitioner_id, T.practice_lead_id, T.service_manager_id)
    )
    found = list(rows)
    actions = await _open_actions(session, ActionItem.audit_id, [r[0] for r in found])
    moderated: list[ModeratedAudit] = []
    for audit_id, case_ref, completed, practitioner, lead, manager in found:
        mine = actions.get(audit_id)
        if mine is None:
            continue  # no actions recorded: nothing to follow up
        moderated.append(
            ModeratedAudit(
                audit_id, case_ref, local_date(completed, zone), not mine, practitioner, lead, manager, tuple(mine)
            )
        )
    return moderated


async def _load_sent_dips(session: AsyncSession, window: tuple[date, date] | None, zone: ZoneInfo) -> list[SentDip]:
    """The dip samples sent to their Head of Service within the window: whether agreed, and whether
    none of their actions is still open."""
    if window is None:
        return []
    sent_from, sent_before = _days_between(window, zone)
    rows = await session.execute(
        select(DipSample.id, DipSample.theme, DipSample.sent_at, DipSample.status, DipSample.head_of_service_id).where(
            DipSample.sent_at >= sent_from, DipSample.sent_at < sent_before
        )
    )
    sent = list(rows)
    actions = await _open_actions(session, ActionItem.dip_sample_id, [r[0] for r in sent])
    managers: dict[int, set[int]] = {}
    heads = {r[4] for r in sent if r[4] is not None}
    if heads:
        found = await session.execute(
            select(T.head_of_service_id, T.service_manager_id).where(
                T.head_of_service_id.in_(heads), T.service_manager_id.is_not(None)
            )
        )
        for head, manager in found:
            managers.setdefault(head, set()).add(manager)
    return [
        SentDip(
            dip_id,
            theme,
            local_date(sent_at, zone),
            status == "agreed",
            not actions.get(dip_id),
            hos,
            tuple(sorted(managers.get(hos, ()))) if hos is not None else (),
        )
        for dip_id, theme, sent_at, status, hos in sent
        if sent_at is not None
    ]


async def _load_pims_due(session: AsyncSession, window: tuple[date, date] | None) -> list[PimDue]:
    """The audits whose Practice Improvement Meeting is due within the window: whether it was held,
    and the team's Head of Service."""
    if window is None:
        return []
    rows = await session.execute(
        select(A.id, C.azeus_number, A.pim_due_on, A.pim_held_on, T.head_of_service_id)
        .select_from(queries.AUDIT_IN_AREA)
        .where(and_(A.pim_due_on >= window[0], A.pim_due_on <= window[1]))
    )
    return [PimDue(audit, case_ref, due, held is not None, hos) for audit, case_ref, due, held, hos in rows]


async def _load_actions_due(session: AsyncSession, window: tuple[date, date] | None) -> list[TrackedAction]:
    """The audits' actions whose deadline is within the window: done or not, their owner and the case's
    Practice Lead and Service Manager."""
    if window is None:
        return []
    rows = await session.execute(
        select(
            ActionItem.id,
            ActionItem.audit_id,
            C.azeus_number,
            func.coalesce(Person.display_name, ""),
            ActionItem.deadline,
            ActionItem.status,
            ActionItem.owner_id,
            T.practice_lead_id,
            T.service_manager_id,
        )
        .select_from(queries.AUDIT_IN_AREA.join(ActionItem, ActionItem.audit_id == A.id))
        .outerjoin(Person, Person.id == ActionItem.owner_id)
        .where(and_(ActionItem.deadline >= window[0], ActionItem.deadline <= window[1]))
    )
    return [
        TrackedAction(action, audit, case, owner, deadline, status == "done", owner_id, lead, manager)
        for action, audit, case, owner, deadline, status, owner_id, lead, manager in rows
    ]


async def _load_people_by_role(session: AsyncSession, rules: Sequence[Rule]) -> dict[Recipient, list[int]]:
    """Who holds each role the rules tell (Data and Impact, SLT, the Director of Operations, QA)."""
    wanted = {r for rule in rules for r in rule.to if r in ROLE_OF}
    roles = {role.value for recipient in wanted for role in ROLE_OF[recipient]}
    holders: dict[str, set[int]] = {}
    if roles:
        found = await session.execute(select(PersonRole.role, PersonRole.person_id).where(PersonRole.role.in_(roles)))
        for role, person in found:
            holders.setdefault(role, set()).add(person)
    return {
        recipient: sorted({p for role in ROLE_OF[recipient] for p in holders.get(role.value, ())})
        for recipient in wanted
    }


async def _load_outstanding(session: AsyncSession, today: date, zone: ZoneInfo, cycle: str) -> tuple[int, int]:
    """For SLT's escalation: how many moderations are not completed, and the cycle's actions past their
    deadline as plf_core.figures defines them (what `status` and the report show for it)."""
    moderations = await session.execute(
        select(func.count()).select_from(Moderation).where(Moderation.status != "completed")
    )
    period = parse_code(cycle) or cycle_containing(today)
    figures = await report_store.figures(session, period, None, today, zone)
    return int(moderations.scalar_one()), figures.actions_overdue


async def _open_actions(session: AsyncSession, column: Any, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each subject's actions still open (an empty list: all confirmed; absent: none recorded)."""
    if not ids:
        return {}
    rows = await session.execute(select(column, ActionItem.text, ActionItem.status).where(column.in_(list(ids))))
    found: dict[int, list[str]] = {}
    for subject, text, status in rows:
        mine = found.setdefault(subject, [])
        if status in ("open", "not_yet"):
            mine.append(text)
    return dict(found)
