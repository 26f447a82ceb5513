"""The monthly moderation job on a real database: last month's returns, each request once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import periods
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.moderation import Rules
from plf_core.periods import Period
from scheduler.jobs import monthly_moderation
from store.audits import SqlAudits
from store.database import session_factory
from store.demo import load_demo
from store.models import Audit, Case, OutboxMessage, Team
from store.unit_of_work import unit_of_work_factory
from tests.instants import LONDON, at_instants


async def returned_in(engine: AsyncEngine, clock: FixedClock, month: Period, count: int) -> list[int]:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        rows = (
            await session.execute(
                select(Case.id, Case.allocated_worker_id, Team.practice_lead_id)
                .join(Team, Case.team_id == Team.id)
                .where(Case.allocated_worker_id.is_not(None))
                .order_by(Case.id)
                .limit(count)
            )
        ).all()
        store = SqlAudits(session, clock)
        ids = []
        for n, (case_id, worker, lead) in enumerate(rows):
            audit_id = await store.create(
                form_id="practice_learning_conversation",
                case_id=case_id,
                practitioner_id=worker,
                second_person_id=lead,
                due_on=None,
            )
            await session.execute(
                update(Audit)
                .where(Audit.id == audit_id)
                .values(
                    status="submitted",
                    submitted_by_id=lead,
                    submitted_at=datetime.combine(month.starts + timedelta(days=n % 28), time(12), tzinfo=LONDON),
                    final_grade="red" if n % 10 == 0 else "green",
                )
            )
            ids.append(audit_id)
    return ids


@at_instants
async def test_the_monthly_job_asks_each_moderator_once(engine: AsyncEngine, clock: FixedClock) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), clock)
    last_month = periods.month(clock.today()).previous()
    audits = await returned_in(engine, clock, last_month, 30)

    first = await monthly_moderation(unit_of_work_factory(engine, clock), Rules(), clock)
    async with engine.connect() as connection:
        requests = (await connection.execute(text("SELECT audit_id, moderator_id, stream FROM moderations"))).all()
        notices = (
            await connection.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "moderation_request"))
        ).all()
        reds = (await connection.execute(text("SELECT id FROM audits WHERE final_grade = 'red'"))).all()
    assert first == f"{len(requests)} moderation requests sent for {last_month.label}."
    assert len(notices) == len(requests)
    assert {r[0] for r in reds} <= {r[0] for r in requests if r[2] == "head_of_service"}  # every Red to its HoS
    assert sum(1 for r in requests if r[2] == "practice_learning_reviewer") == 6  # 20% of 30
    assert sum(1 for r in requests if r[2] == "ad_qa") == 12
    assert {r[0] for r in requests} <= set(audits)

    again = await monthly_moderation(
        unit_of_work_factory(engine, clock), Rules(), clock
    )  # another instance, or a rerun
    async with engine.connect() as connection:
        after = (await connection.execute(text("SELECT count(*) FROM moderations"))).scalar_one()
    assert after == len(requests)
    assert again == f"0 moderation requests sent for {last_month.label}."

    a_year_ago = periods.month(periods.months_before(clock.today(), 12))
    clock.set(datetime.combine(a_year_ago.starts, time(9), tzinfo=LONDON))
    quiet = await monthly_moderation(unit_of_work_factory(engine, clock), Rules(), clock)
    assert quiet == f"No audits were returned in {a_year_ago.previous().label}, so there is nothing to moderate."
