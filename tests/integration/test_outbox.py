"""The outbox on a real database (SQLite and PostgreSQL): a notice that failed because its person had
not installed the bot is delivered once they have, whichever came first: the failure being written
or the installation looking for failures to send again."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core.clock import FixedClock
from plf_core.delivery import Decision, Outcome, record_delivery
from plf_core.notices import AuditAssigned
from plf_core.ports import Notice
from plf_core.vocabulary import Role
from store.models import OutboxMessage, Person, PersonRole
from store.unit_of_work import unit_of_work_factory

REASON = "no conversation: the person has not installed the bot yet (it is sent when they do)"


async def person(engine: AsyncEngine, clock: FixedClock) -> int:
    async with unit_of_work_factory(engine, clock)() as uow:
        row = Person(aad_object_id="00000000-0000-4000-8000-000000000001", display_name="Wren", email="w@demo.invalid")
        uow.session.add(row)
        await uow.session.flush()
        uow.session.add(PersonRole(person_id=row.id, role=Role.PRACTITIONER.value))
        return row.id


async def test_a_failure_written_after_the_installation_looked_is_sent_all_the_same(
    engine: AsyncEngine, clock: FixedClock
) -> None:
    uow = unit_of_work_factory(engine, clock)
    worker = await person(engine, clock)
    async with uow() as work:
        await work.outbox.add(Notice("assigned:1:w", worker, AuditAssigned(1, "DEMO-1", "CIN-N", None)))
    async with uow() as work:
        [claimed] = await work.outbox.claim(10, 60)
    # the person installs now: nothing has failed yet, so there is nothing for the installation to re-queue
    async with uow() as work:
        await work.conversations.remember(
            aad_object_id="00000000-0000-4000-8000-000000000001",
            person_id=worker,
            tenant_id=None,
            service_url="http://127.0.0.1:9/",
            conversation_id="a:chat-w",
            reference={"conversation": {"id": "a:chat-w"}},
        )
        assert await work.outbox.requeue_for(worker) == 0
    # ...and only then is the failure written, by a dispatcher that looked before they installed
    async with uow() as work:
        await record_delivery(
            work, claimed, Decision(Outcome.UNREACHABLE, reason=REASON), clock.today(), had_conversation=False
        )
    async with uow() as work:
        [again] = await work.outbox.claim(10, 60)
    assert (again.id, again.kind) == (claimed.id, "audit_assigned")
    async with uow() as work:
        await work.outbox.mark_sent(again.id)
        assert await work.outbox.claim(10, 60) == []  # once
    async with engine.connect() as connection:
        statuses = (await connection.execute(select(OutboxMessage.status))).scalars().all()
    assert statuses == ["sent"]


async def test_a_failure_for_someone_still_without_the_bot_stays_failed(engine: AsyncEngine, clock: FixedClock) -> None:
    uow = unit_of_work_factory(engine, clock)
    worker = await person(engine, clock)
    async with uow() as work:
        await work.outbox.add(Notice("assigned:1:w", worker, AuditAssigned(1, "DEMO-1", "CIN-N", None)))
    async with uow() as work:
        [claimed] = await work.outbox.claim(10, 60)
    async with uow() as work:
        await record_delivery(
            work, claimed, Decision(Outcome.UNREACHABLE, reason=REASON), clock.today(), had_conversation=False
        )
    async with uow() as work:
        assert await work.outbox.claim(10, 60) == []
