"""The framework's days are local days on every path (SQLite and PostgreSQL): an audit submitted at
00:30 BST on 1 October (23:30 UTC on 30 September) is October's for moderation, for its agreement
figures and for the highlight report alike."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import periods
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from store.audits import SqlAudits
from store.database import session_factory
from store.demo import load_demo
from store.models import Audit, Case, Moderation, PersonRole, Team
from store.moderations import SqlModerations
from store.report_store import period_figures
from tests.instants import LONDON

JUST_AFTER_MIDNIGHT = datetime(2026, 10, 1, 0, 30, tzinfo=LONDON)  # British Summer Time
OCTOBER, SEPTEMBER = periods.month(date(2026, 10, 1)), periods.month(date(2026, 9, 1))


async def test_an_audit_returned_at_half_past_midnight_on_the_first_is_that_months(engine: AsyncEngine) -> None:
    clock = FixedClock(datetime(2026, 11, 2, 10, tzinfo=LONDON), LONDON)
    sessions = session_factory(engine)
    await load_demo(sessions, build_demo_borough(), clock)
    async with sessions() as session, session.begin():
        case_id, worker, lead = (
            await session.execute(
                select(Case.id, Case.allocated_worker_id, Team.practice_lead_id)
                .join(Team, Case.team_id == Team.id)
                .where(Case.allocated_worker_id.is_not(None))
                .order_by(Case.id)
                .limit(1)
            )
        ).one()
        moderator = (
            await session.execute(select(PersonRole.person_id).where(PersonRole.role == "qa_manager"))
        ).scalar()
        audit_id = await SqlAudits(session, clock).create(
            form_id="practice_learning_conversation",
            case_id=case_id,
            practitioner_id=worker,
            second_person_id=lead,
            due_on=date(2026, 9, 30),
        )
        await session.execute(
            update(Audit)
            .where(Audit.id == audit_id)
            .values(status="completed", submitted_by_id=lead, submitted_at=JUST_AFTER_MIDNIGHT, final_grade="green")
        )
        session.add(
            Moderation(
                audit_id=audit_id,
                moderator_id=moderator,
                stream="ad_qa",
                status="completed",
                original_grade="green",
                moderated_grade="amber",
                requested_at=JUST_AFTER_MIDNIGHT,
                completed_at=JUST_AFTER_MIDNIGHT,
                created_at=JUST_AFTER_MIDNIGHT,
                updated_at=JUST_AFTER_MIDNIGHT,
            )
        )

    async with sessions() as session:
        store = SqlModerations(session, clock)
        october = [r.audit_id for r in await store.returned(OCTOBER.starts, OCTOBER.ends)]
        september = [r.audit_id for r in await store.returned(SEPTEMBER.starts, SEPTEMBER.ends)]
        assert (october, september) == ([audit_id], [])  # moderation chooses it in October
        assert len(await store.moderated(OCTOBER.starts, OCTOBER.ends)) == 1  # its agreement is October's
        assert await store.moderated(SEPTEMBER.starts, SEPTEMBER.ends) == []
        assert await store.stream_count("ad_qa", OCTOBER.starts, OCTOBER.ends) == 1
        in_october = await period_figures(session, OCTOBER, None, clock.today(), LONDON)
        in_september = await period_figures(session, SEPTEMBER, None, clock.today(), LONDON)
    assert (in_october.returned, in_september.returned) == (1, 0)  # and the highlight report agrees
