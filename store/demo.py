"""Loading the synthetic demo borough (and the cycles around today) into an empty database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core.audits import PLC_FORM
from plf_core.clock import Clock
from plf_core.demo_borough import DemoBorough
from plf_core.demo_history import HistoryCase, build_history
from plf_core.forms.registry import get_form
from plf_core.periods import cycles_around
from plf_core.vocabulary import Role
from store import directory
from store.models import (
    ActionItem,
    Answer,
    Audit,
    Case,
    Cycle,
    GradeRecord,
    Moderation,
    OutcomeScore,
    PersonRole,
    Team,
)

PLC = PLC_FORM


async def ensure_cycles(session: AsyncSession, today: date) -> int:
    """The current cycle, the one before and the next three exist; returns how many were added."""
    known = set((await session.execute(select(Cycle.code))).scalars())
    added = 0
    for cycle in cycles_around(today, before=1, after=3):
        if cycle.code not in known:
            session.add(Cycle(code=cycle.code, starts_on=cycle.starts, due_on=cycle.due_on))
            added += 1
    await session.flush()
    return added


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
        await ensure_cycles(session, clock.today())
        return await directory.counts(session)


async def load_history(sessions: async_sessionmaker[AsyncSession], today: date, seed: int = 7) -> int:
    """A synthetic year of returned audits (plf_core.demo_history) on top of the demo borough;
    returns how many audits it wrote. Nothing is written if the database already holds audits."""
    form = get_form(PLC)
    field_of = {f.meaning: (page.id, f.id) for page in form.pages for f in page.fields if f.meaning}
    async with sessions() as session, session.begin():
        if (await session.execute(select(func.count()).select_from(Audit))).scalar_one():
            return 0
        rows = await session.execute(
            select(Case.id, Case.allocated_worker_id, Team.practice_lead_id)
            .join(Team, Team.id == Case.team_id)
            .where(Case.allocated_worker_id.is_not(None))
            .order_by(Case.id)
        )
        cases = [HistoryCase(c, w, lead) for c, w, lead in rows if w is not None]
        moderators = sorted(
            set(
                (
                    await session.execute(
                        select(PersonRole.person_id).where(
                            PersonRole.role.in_([Role.HEAD_OF_SERVICE.value, Role.QA_MANAGER.value])
                        )
                    )
                ).scalars()
            )
        )
        history = build_history(cases, moderators, today, seed)
        for item in history:
            submitted = datetime.combine(item.submitted_on, time(15), tzinfo=UTC)
            audit = Audit(
                form_id=PLC,
                case_id=item.case_id,
                practitioner_id=item.practitioner_id,
                second_person_id=item.second_person_id,
                status="completed" if item.moderated else "submitted",
                version=2,
                created_at=datetime.combine(item.created_on, time(10), tzinfo=UTC),
                updated_at=submitted,
                submitted_at=submitted,
                submitted_by_id=item.second_person_id or item.practitioner_id,
                final_grade=(item.moderated[1] if item.moderated else item.manager_grade).value,
                pim_due_on=item.pim[0] if item.pim else None,
                pim_held_on=item.pim[1] if item.pim else None,
            )
            session.add(audit)
            await session.flush()
            pages: dict[str, dict[str, object]] = {}

            def answer(meaning: str, value: object, pages: dict[str, dict[str, object]] = pages) -> None:
                if meaning in field_of:
                    page_id, field_id = field_of[meaning]
                    pages.setdefault(page_id, {})[field_id] = value

            for area, score in item.scales.items():
                answer(f"practitioner:{area}", str(score))
                session.add(OutcomeScore(audit_id=audit.id, source="practitioner", area=area, score=score))
            for area, score in item.child.items():
                answer(f"child:{area}", str(score))
                session.add(OutcomeScore(audit_id=audit.id, source="child", area=area, score=score))
            answer("manager:overall", str(item.manager_overall))
            session.add(OutcomeScore(audit_id=audit.id, source="manager", area="overall", score=item.manager_overall))
            answer("grade:practitioner", item.practitioner_grade.value)
            answer("grade:manager", item.manager_grade.value)
            for page_id, values in pages.items():
                session.add(
                    Answer(
                        audit_id=audit.id, page_id=page_id, version=1, values=values, is_draft=False, saved_at=submitted
                    )
                )
            for source, grade in (("practitioner", item.practitioner_grade), ("manager", item.manager_grade)):
                session.add(GradeRecord(audit_id=audit.id, source=source, section="overall", grade=grade.value))
            if item.moderated:
                moderator, moderated_grade, done = item.moderated
                at = datetime.combine(done, time(11), tzinfo=UTC)
                session.add(
                    Moderation(
                        audit_id=audit.id,
                        moderator_id=moderator,
                        stream="head_of_service",
                        status="completed",
                        requested_at=submitted,
                        completed_at=at,
                        original_grade=item.manager_grade.value,
                        moderated_grade=moderated_grade.value,
                    )
                )
            for action in item.actions:
                confirmed = datetime.combine(action.confirmed_on, time(12), tzinfo=UTC) if action.confirmed_on else None
                session.add(
                    ActionItem(
                        audit_id=audit.id,
                        text="Synthetic action from the demo history",
                        status=action.status,
                        deadline=action.deadline,
                        confirmed_at=confirmed,
                    )
                )
        return len(history)
