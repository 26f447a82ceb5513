"""A card save at the database's pace (issue 19), on SQLite and PostgreSQL: the batched unit of work
reads the audit once and writes once, and on PostgreSQL that is two round trips in all (no BEGIN, no
COMMIT: one statement is atomic by itself). What it writes is what the transactional path wrote: the
page's answers as a new version, the audit's latest answers and version, and the access log; a save
that lost the race to another writes nothing and is run again afresh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import func, make_url, select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_cli.running import qa_actor
from plf_core import assigning, workflow
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.errors import Contended
from plf_core.people import Actor
from plf_core.vocabulary import Role
from store.database import create_engine
from store.models import AccessLogEntry, Answer, Audit
from store.unit_of_work import unit_of_work_factory


@pytest.fixture
async def relay() -> AsyncIterator[RoundTrips]:
    trips = RoundTrips()
    yield trips
    if trips.server is not None:
        trips.server.close()


@pytest.fixture
async def engine(demo_url: str, backend: str, relay: RoundTrips) -> AsyncIterator[AsyncEngine]:
    """The demo database; on PostgreSQL reached through the counting relay."""
    engine = create_engine(await relay.start(demo_url) if backend == "postgres" else demo_url)
    yield engine
    await engine.dispose()


class RoundTrips:
    """A TCP relay in front of PostgreSQL that counts what the client sends: each message (or pipelined
    batch of messages) the driver writes waits for the server's answer, so each is one round trip."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def start(self, url: str) -> str:
        target = make_url(url)
        self.server = await asyncio.start_server(
            lambda r, w: self._relay(r, w, target.host or "127.0.0.1", target.port or 5432), "127.0.0.1", 0
        )
        port = self.server.sockets[0].getsockname()[1]
        return target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int) -> None:
        upstream_reader, upstream = await asyncio.open_connection(host, port)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, counted: bool) -> None:
            while chunk := await source.read(65536):
                if counted:
                    self.sent.append(chunk)
                sink.write(chunk)
                await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream, True), pipe(upstream_reader, writer, False))

    def messages(self) -> list[str]:
        """Each round trip's first message: 'Q' a simple query (BEGIN, COMMIT), 'B' a prepared statement's
        Bind (its Execute and Sync ride with it), 'P' a Parse."""
        return [chr(chunk[0]) for chunk in self.sent]


async def assigned(engine: AsyncEngine, clock: FixedClock) -> tuple[int, Actor]:
    borough = build_demo_borough()
    case = borough.cases[0]
    worker = next(p for p in borough.people if p.email == case.allocated_worker_email)
    async with unit_of_work_factory(engine, clock)() as uow:
        qa = await qa_actor(uow, None)
        reply = await assigning.assign(uow, qa, case.azeus_number, worker.email, None, clock.today(), anyway=True)
        actor = await uow.people.actor_by_aad(worker.aad_object_id.lower())
    assert actor is not None
    assert Role.PRACTITIONER in actor.roles
    return int(reply.text.split()[1]), actor


async def save(engine: AsyncEngine, clock: FixedClock, actor: Actor, audit_id: int, version: int, day: int) -> None:
    async with unit_of_work_factory(engine, clock, batched=True)() as uow:
        typed = {"H_how": "self", "H_date": f"2026-11-{day:02d}"}
        await workflow.save_page(uow, actor, audit_id, version, "header", typed, 0, "test", clock.today())


async def test_a_save_reads_once_and_writes_once(
    engine: AsyncEngine, backend: str, now: datetime, relay: RoundTrips
) -> None:
    clock = FixedClock(now)
    audit_id, actor = await assigned(engine, clock)
    await save(engine, clock, actor, audit_id, 1, 2)  # the first on a connection prepares its statements
    relay.sent.clear()
    await save(engine, clock, actor, audit_id, 2, 3)
    if backend == "postgres":
        print(f"\na warm card save on PostgreSQL: {len(relay.sent)} round trips {relay.messages()}")
        assert relay.messages() == ["B", "B"]  # the read, then the one write: no BEGIN, no COMMIT
        for version, day in ((3, 4), (4, 5)):  # as every other card action, in a transaction; warm on the second
            relay.sent.clear()
            async with unit_of_work_factory(engine, clock)() as uow:
                typed = {"H_how": "self", "H_date": f"2026-11-{day:02d}"}
                await workflow.save_page(uow, actor, audit_id, version, "header", typed, 0, "test", clock.today())
        print(f"the same save in a transaction: {len(relay.sent)} round trips {relay.messages()}")
        assert len(relay.sent) == 6  # BEGIN, the read FOR UPDATE, access log, version, answers, COMMIT
    async with unit_of_work_factory(engine, clock)() as uow:
        audit = await uow.audits.get(audit_id)
    last = 5 if backend == "postgres" else 3
    assert audit is not None
    assert (audit.version, audit.answers["H_date"]) == (last, f"2026-11-{last:02d}")
    async with engine.connect() as connection:
        versions = (await connection.execute(select(Answer.version).where(Answer.audit_id == audit_id))).scalars()
        logged = select(func.count()).where(AccessLogEntry.object_id == str(audit_id), AccessLogEntry.action == "write")
        assert sorted(versions) == list(range(2, last + 1))
        assert (await connection.execute(logged)).scalar() == last - 1
        latest = (await connection.execute(select(Audit.latest_answers).where(Audit.id == audit_id))).scalar()
    assert latest == {"header": {"H_how": "self", "H_date": f"2026-11-{last:02d}"}}


async def test_a_save_that_lost_the_race_writes_nothing(engine: AsyncEngine, now: datetime) -> None:
    """Two saves made from the same card: the second finds the version moved on as it writes, so nothing
    of it is stored (not its answers, not its access-log line) and the agent runs it again afresh."""
    clock = FixedClock(now)
    audit_id, actor = await assigned(engine, clock)

    async def both() -> None:
        batched = unit_of_work_factory(engine, clock, batched=True)
        async with batched() as one, batched() as two:  # the inner one ends (and writes) first
            for uow, day in ((one, 5), (two, 6)):
                typed = {"H_how": "self", "H_date": f"2026-11-{day:02d}"}
                await workflow.save_page(uow, actor, audit_id, 1, "header", typed, 0, "test", clock.today())

    with pytest.raises(Contended):
        await both()
    async with engine.connect() as connection:
        answers = (await connection.execute(select(Answer.values).where(Answer.audit_id == audit_id))).scalars()
        logged = select(func.count()).where(AccessLogEntry.object_id == str(audit_id), AccessLogEntry.action == "write")
        assert [a["H_date"] for a in answers] == ["2026-11-06"]  # the inner one ended first and won
        assert (await connection.execute(logged)).scalar() == 1
        version = (await connection.execute(select(Audit.version).where(Audit.id == audit_id))).scalar()
    assert version == 2


async def test_a_save_that_changes_nothing_writes_only_its_access_log_line(engine: AsyncEngine, now: datetime) -> None:
    clock = FixedClock(now)
    audit_id, actor = await assigned(engine, clock)
    await save(engine, clock, actor, audit_id, 1, 7)
    await save(engine, clock, actor, audit_id, 2, 7)  # the same answers again
    async with engine.connect() as connection:
        logged = select(func.count()).where(AccessLogEntry.object_id == str(audit_id), AccessLogEntry.action == "write")
        assert (await connection.execute(logged)).scalar() == 2  # each save is logged
        version = (await connection.execute(select(Audit.version).where(Audit.id == audit_id))).scalar()
        answers = (await connection.execute(select(func.count()).where(Answer.audit_id == audit_id))).scalar()
    assert (version, answers) == (2, 1)  # but only the first wrote
