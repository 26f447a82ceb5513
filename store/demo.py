"""Loading the synthetic demo borough's directory (teams, people, their leaders and cases) into an empty
database, and its synthetic year of returned audits. The audit cycles are not the demo's: the service
makes them (`plf migrate` and the sweep, store.migrate.ensure_calendar), as for any imported directory."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core.audits import PLC_FORM
from plf_core.clock import Clock
from plf_core.demo_borough import DemoBorough
from plf_core.demo_history import HistoryAudit, HistoryCase, build_history
from plf_core.feedback.demo import build_feedback
from plf_core.feedback.form import FeedbackForm
from plf_core.forms.registry import get_form
from plf_core.vocabulary import Grade, Role
from store import directory
from store.models import (
    ActionItem,
    Answer,
    Audit,
    Case,
    FeedbackAnswer,
    FeedbackRequest,
    GradeRecord,
    Moderation,
    OutcomeScore,
    PersonRole,
    Team,
)

PLC = PLC_FORM
#: the form's field for each meaning it has ('grade:manager', 'practitioner:overall'): (page id, field id)
FieldOf = dict[str, tuple[str, str]]


async def load_demo(
    sessions: async_sessionmaker[AsyncSession], borough: DemoBorough, clock: Clock
) -> directory.DirectoryCounts:
    """Write the borough in one transaction; teams first, then their people, then leaders."""
    async with sessions() as session, session.begin():
        leaderless = [
            replace(t, practice_lead_email=None, service_manager_email=None, head_of_service_email=None)
            for t in borough.teams
        ]
        now = clock.now()
        await directory.upsert_teams(session, leaderless, now=now)
        await directory.upsert_people(session, borough.people, now=now)
        await directory.upsert_teams(session, borough.teams, now=now)
        await directory.upsert_cases(session, borough.cases, now=now)
        return await directory.counts(session)


async def load_history(sessions: async_sessionmaker[AsyncSession], today: date, seed: int = 7) -> int:
    """A synthetic year of returned audits (plf_core.demo_history) on top of the demo borough;
    returns how many audits it wrote. Nothing is written if the database already holds audits."""
    form = get_form(PLC)
    field_of = {f.meaning: (page.id, f.id) for page in form.pages for f in page.fields if f.meaning}
    async with sessions() as session, session.begin():
        if (await session.execute(select(func.count()).select_from(Audit))).scalar_one():
            return 0
        history = build_history(await _history_cases(session), await _moderators(session), today, seed)
        for item in history:
            await _add_returned_audit(session, item, field_of)
        return len(history)


async def load_feedback_history(
    sessions: async_sessionmaker[AsyncSession], form: FeedbackForm, today: date, seed: int = 7
) -> int:
    """A synthetic year of families' feedback on the demo borough's cases (plf_core.feedback.demo): each
    on a used link whose token nobody has (a random hash). Nothing is written if there is feedback already."""
    async with sessions() as session, session.begin():
        if (await session.execute(select(func.count()).select_from(FeedbackAnswer))).scalar_one():
            return 0
        cases = list((await session.execute(select(Case.id).order_by(Case.id))).scalars())
        made = build_feedback(cases, form, today, seed)
        for item in made:
            moment = datetime.combine(item.received_on, time(18), UTC)
            request = FeedbackRequest(
                token_hash=secrets.token_hex(32), case_id=item.case_id, audience=item.audience.value,
                occasion="asked", created_at=moment - timedelta(days=3), expires_at=moment + timedelta(days=25),
                used_at=moment,
            )  # fmt: skip
            session.add(request)
            await session.flush()
            session.add(
                FeedbackAnswer(
                    request_id=request.id, case_id=item.case_id, audience=item.audience.value, received_at=moment,
                    answers=dict(item.answers), worded=[list(p) for p in item.worded], flagged=False,
                )
            )  # fmt: skip
        return len(made)


async def _history_cases(session: AsyncSession) -> list[HistoryCase]:
    """The borough's cases that have an allocated worker, each with its team's Practice Lead, in case order."""
    rows = await session.execute(
        select(Case.id, Case.allocated_worker_id, Team.practice_lead_id)
        .join(Team, Team.id == Case.team_id)
        .where(Case.allocated_worker_id.is_not(None))
        .order_by(Case.id)
    )
    return [HistoryCase(c, w, lead) for c, w, lead in rows if w is not None]


async def _moderators(session: AsyncSession) -> list[int]:
    """Who moderates in the demo history: the Heads of Service and QA managers, by id."""
    rows = await session.execute(
        select(PersonRole.person_id).where(PersonRole.role.in_([Role.HEAD_OF_SERVICE.value, Role.QA_MANAGER.value]))
    )
    return sorted(set(rows.scalars()))


async def _add_returned_audit(session: AsyncSession, item: HistoryAudit, field_of: FieldOf) -> None:
    """One audit of the history as returned: the audit, its outcome scores, its answers, the
    practitioner's and manager's grades, and its moderation and actions if it has them."""
    submitted = datetime.combine(item.submitted_on, time(15), tzinfo=UTC)
    audit = Audit(
        form_id=PLC,
        case_id=item.case_id,
        practitioner_id=item.practitioner_id,
        second_person_id=item.second_person_id,
        status="completed" if item.moderated else "submitted",
        version=2,
        due_on=item.due_on,
        created_at=datetime.combine(item.created_on, time(10), tzinfo=UTC),
        updated_at=submitted,
        submitted_at=submitted,
        submitted_by_id=item.second_person_id or item.practitioner_id,
        final_grade=(item.moderated[1] if item.moderated else item.manager_grade).value,
        pim_due_on=item.pim[0] if item.pim else None,
        pim_held_on=item.pim[1] if item.pim else None,
    )
    pages = _answers(item, field_of)
    audit.latest_answers = dict(pages)
    session.add(audit)
    await session.flush()
    session.add_all(_outcome_scores(audit.id, item))
    for page_id, values in pages.items():
        session.add(
            Answer(audit_id=audit.id, page_id=page_id, version=1, values=values, is_draft=False, saved_at=submitted)
        )
    for source, grade in (("practitioner", item.practitioner_grade), ("manager", item.manager_grade)):
        session.add(GradeRecord(audit_id=audit.id, source=source, section="overall", grade=grade.value))
    if item.moderated:
        session.add(_moderation(audit.id, item.moderated, item.manager_grade, submitted))
    session.add_all(_actions(audit.id, item))


def _outcome_scores(audit_id: int, item: HistoryAudit) -> list[OutcomeScore]:
    """The audit's outcome scales: the practitioner's and the child's by area, and the manager's overall."""
    return [
        *(OutcomeScore(audit_id=audit_id, source="practitioner", area=a, score=s) for a, s in item.scales.items()),
        *(OutcomeScore(audit_id=audit_id, source="child", area=a, score=s) for a, s in item.child.items()),
        OutcomeScore(audit_id=audit_id, source="manager", area="overall", score=item.manager_overall),
    ]


def _answers(item: HistoryAudit, field_of: FieldOf) -> dict[str, dict[str, object]]:
    """The form's answers the audit holds, page by page: each outcome scale and both grades, in the
    field that means it (a meaning the form does not have is left out)."""
    given: list[tuple[str, object]] = [
        *((f"practitioner:{area}", str(score)) for area, score in item.scales.items()),
        *((f"child:{area}", str(score)) for area, score in item.child.items()),
        ("manager:overall", str(item.manager_overall)),
        ("grade:practitioner", item.practitioner_grade.value),
        ("grade:manager", item.manager_grade.value),
    ]
    pages: dict[str, dict[str, object]] = {}
    for meaning, value in given:
        if meaning in field_of:
            page_id, field_id = field_of[meaning]
            pages.setdefault(page_id, {})[field_id] = value
    return pages


def _moderation(
    audit_id: int, moderated: tuple[int, Grade, date], original_grade: Grade, submitted: datetime
) -> Moderation:
    """The audit's completed moderation (moderator, moderated grade, day done), in the Head of
    Service's stream, requested when the audit was submitted."""
    moderator, moderated_grade, done = moderated
    return Moderation(
        audit_id=audit_id,
        moderator_id=moderator,
        stream="head_of_service",
        status="completed",
        requested_at=submitted,
        completed_at=datetime.combine(done, time(11), tzinfo=UTC),
        original_grade=original_grade.value,
        moderated_grade=moderated_grade.value,
    )


def _actions(audit_id: int, item: HistoryAudit) -> list[ActionItem]:
    """The audit's actions, each with its deadline and status, and when it was confirmed if it was."""
    return [
        ActionItem(
            audit_id=audit_id,
            text="Synthetic action from the demo history",
            status=action.status,
            deadline=action.deadline,
            confirmed_at=datetime.combine(action.confirmed_on, time(12), tzinfo=UTC) if action.confirmed_on else None,
        )
        for action in item.actions
    ]
