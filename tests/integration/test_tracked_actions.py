"""An audit's action plan, tracked on a real database (SQLite and PostgreSQL): its owner is reminded
three days before each deadline, the owner and the Practice Lead are told the day after it, the
Service Manager a week later, and Done stops what is still to come."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import action_plans
from plf_core.demo_borough import build_demo_borough
from plf_core.people import Actor
from plf_core.ports import PlannedAction
from plf_core.vocabulary import Role
from store.database import session_factory
from store.demo import load_demo
from store.follow_ups import SqlFollowUps
from store.models import Person
from store.unit_of_work import unit_of_work_factory
from tests.integration.test_sweep import clock_at, moderated_with_actions, outbox, sweep_at

LONDON = ZoneInfo("Europe/London")
DEADLINE = date(2026, 11, 26)  # a Thursday


async def test_an_action_is_reminded_then_overdue_up_the_line_and_done_stops_the_rest(engine: AsyncEngine) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), clock_at(datetime(2026, 10, 1, 9, tzinfo=LONDON)))
    audit_id, worker, lead, manager = await moderated_with_actions(engine, datetime(2026, 10, 1, 11, tzinfo=UTC))
    async with engine.connect() as connection:
        name = (await connection.execute(select(Person.display_name).where(Person.id == worker))).scalar_one()
    planned = [PlannedAction("Update the chronology", f"  {name.lower()} ", DEADLINE, lead)]
    async with session_factory(engine)() as session, session.begin():
        [action] = await SqlFollowUps(session, clock_at(datetime(2026, 11, 20, 10, tzinfo=LONDON))).record_actions(
            audit_id, planned, datetime(2026, 11, 20, 10, tzinfo=UTC)
        )
    assert action.owner_id == worker  # the name as typed, found in the directory

    def keyed(rule: str, person: int) -> str:
        return f"{rule}:action-{action.action_id}:{person}"

    assert await sweep_at(engine, datetime(2026, 11, 23, 9, 5, tzinfo=LONDON)) >= 1  # deadline - 3 days
    assert keyed("action_reminder", worker) in {r[0] for r in await outbox(engine)}
    await sweep_at(engine, datetime(2026, 11, 27, 9, 5, tzinfo=LONDON))  # the day after: owner and lead
    keys = {r[0] for r in await outbox(engine)}
    assert {keyed("action_overdue", worker), keyed("action_overdue", lead)} <= keys
    assert keyed("action_overdue_sm", manager) not in keys

    owner = Actor(worker, "aad", name, frozenset({Role.PRACTITIONER}))
    moment = datetime(2026, 11, 27, 11, tzinfo=UTC)
    async with unit_of_work_factory(engine, clock_at(moment))() as uow:
        said = await action_plans.action_done(uow, owner, action.action_id, moment, "test")
    assert said.startswith("Thank you: the action due Thu 26 Nov 2026")
    statuses = {r[0]: r[1] for r in await outbox(engine)}
    assert statuses[f"digest:{lead}:2026-11-27"] == "cancelled"  # its only item was the overdue action
    await sweep_at(engine, datetime(2026, 12, 4, 9, 5, tzinfo=LONDON))  # deadline + 8: nothing for the manager
    assert not [k for k in (r[0] for r in await outbox(engine)) if k.startswith("action_overdue_sm")]
