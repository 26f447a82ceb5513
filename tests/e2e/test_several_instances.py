"""Several bot instances on one PostgreSQL deliver each notice exactly once, also when one of
them is killed (SIGKILL) in the middle of delivering and then restarted."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from store.database import create_engine
from store.models import ConversationReference, OutboxMessage, Person
from tests.databases import SKIP_POSTGRES, fresh_database
from tests.e2e.running_app import plf, plf_env, running_app
from tests.e2e.teams import TeamsUser
from tests.fakes.connector import FakeConnector, TeamsLimits, running_connector
from tests.instants import DEFAULT_NOW

MESSAGES = 240
PEOPLE = 80
pytestmark = pytest.mark.skipif(SKIP_POSTGRES, reason="several instances need the shared PostgreSQL")


async def fill_outbox(database_url: str, connector: FakeConnector, messages: int = MESSAGES) -> None:
    engine = create_engine(database_url)
    now = DEFAULT_NOW  # the clock of the instances (PLF_NOW)
    try:
        async with engine.begin() as connection:
            people = list(
                (
                    await connection.execute(select(Person.id, Person.aad_object_id).order_by(Person.id).limit(PEOPLE))
                ).all()
            )
            await connection.execute(
                insert(ConversationReference),
                [
                    {
                        "aad_object_id": aad,
                        "person_id": person,
                        "service_url": connector.url,
                        "conversation_id": f"a:chat-{person}",
                        "installed": True,
                        "updated_at": now,
                        "reference": {
                            "activityId": "x",
                            "user": {"id": f"29:user-{person}", "aadObjectId": aad},
                            "bot": {"id": "28:plf-bot", "name": "PLF"},
                            "conversation": {"id": f"a:chat-{person}", "conversationType": "personal"},
                            "channelId": "msteams",
                            "serviceUrl": connector.url,
                        },
                    }
                    for person, aad in people
                ],
            )
            await connection.execute(
                insert(OutboxMessage),
                [
                    {
                        "dedupe_key": f"load:{n}",
                        "person_id": people[n % PEOPLE][0],
                        "kind": "audit_assigned",
                        "payload": {"audit": n, "case": f"LOAD-{n:04d}", "team": "T", "due": ""},
                        "status": "pending",
                        "not_before": now,
                        "created_at": now,
                    }
                    for n in range(messages)
                ],
            )
    finally:
        await engine.dispose()


def delivered(connector: FakeConnector) -> Counter[str]:
    found: Counter[str] = Counter()
    for received in connector.received:
        for case in re.findall(r"LOAD-\d{4}", json.dumps(received.activity)):
            found[case] += 1
            break
    return found


async def outbox_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))
            return {status: int(count) for status, count in rows}
    finally:
        await engine.dispose()


async def test_three_instances_deliver_each_notice_once_even_when_one_is_killed(tmp_path: Path) -> None:
    async with fresh_database("postgres", tmp_path) as database_url, running_connector() as connector:
        env = plf_env(database_url)
        assert plf(["migrate"], env).returncode == 0
        assert plf(["demo"], env).returncode == 0
        await fill_outbox(database_url, connector)
        # a claim long enough that a live instance's send, slowed by a busy machine, ends within it (3 s once
        # let a send of a live instance outlast its claim, so another sent it too); a dead one's claims lapse
        claim = 6
        settings = {"DISPATCH_INTERVAL_SECONDS": "0.5", "OUTBOX_CLAIM_SECONDS": str(claim), "LOG_LEVEL": "WARNING"}

        # instance A claims a batch and is killed while its sends are in flight
        connector.hold = asyncio.Event()
        async with running_app(database_url, tmp_path, **settings) as first:
            async with asyncio.timeout(20):
                while connector.held < 3:
                    await asyncio.sleep(0.05)
            first.process.send_signal(signal.SIGKILL)
            first.process.wait()
            await asyncio.sleep(0.5)  # what A had already put on the wire is read, and held, too
        hold, connector.hold = connector.hold, None
        hold.set()
        await asyncio.sleep(0.2)
        assert delivered(connector) == Counter()  # nothing reached Teams from A
        assert (await outbox_counts(database_url)).get("sending", 0) > 0  # its claims are left behind

        # two instances, then a third (A restarted): every notice arrives once
        async with running_app(database_url, tmp_path, **settings), running_app(database_url, tmp_path, **settings):
            await asyncio.sleep(1.0)
            async with running_app(database_url, tmp_path, **settings):
                async with asyncio.timeout(60):
                    while sum(delivered(connector).values()) < MESSAGES:
                        await asyncio.sleep(0.2)
                await asyncio.sleep(claim + 1.0)  # past any claim: a duplicate would show now
        counts = delivered(connector)
        assert len(counts) == MESSAGES
        assert set(counts.values()) == {1}
        assert await outbox_counts(database_url) == {"sent": MESSAGES}


SHARED = 450  # notices: about 15 s at the shared pace, long enough for every instance to take part


async def test_three_instances_share_teams_limit_and_the_flood_limit_through_the_database(tmp_path: Path) -> None:
    """Three instances each allowed DISPATCH_RATE=30 would send up to 90 a second; sharing the budget in
    the database they stay within Teams' 50 a second: no 429 from a connector that
    enforces it, every notice once. And one person gets FLOOD_LIMIT in all, not per instance."""
    async with fresh_database("postgres", tmp_path) as database_url, running_connector() as connector:
        env = plf_env(database_url)
        assert plf(["migrate"], env).returncode == 0
        assert plf(["demo"], env).returncode == 0
        await fill_outbox(database_url, connector, SHARED)
        connector.throttle = limits = TeamsLimits()
        # 30 a second each: unshared, three would send 90 a second; shared, 30 in all. The fake connector
        # counts arrivals on this test process's event loop, and on a loaded machine a stall of a
        # quarter-second in any of the four processes bunches arrivals: at 40 a second such a stall showed
        # as 51 in a second (one answer of 429 in some runs); at 30, a stall of up to two-thirds of a second
        # still stays under 50 (bench/shared_limits.py measures the default of 48 on a quiet machine)
        settings = {
            "DISPATCH_INTERVAL_SECONDS": "0.5",
            "LOG_LEVEL": "WARNING",
            "FLOOD_LIMIT": "12",
            "DISPATCH_RATE": "30",
        }
        async with (
            running_app(database_url, tmp_path, **settings) as a,
            running_app(database_url, tmp_path, **settings) as b,
            running_app(database_url, tmp_path, **settings) as c,
        ):
            async with asyncio.timeout(120):
                while len(connector.received) < SHARED:
                    await asyncio.sleep(0.2)  # counting only: reading every card here would stall the connector
            arrivals = sorted(r.at for r in connector.received)
            busiest = max(sum(1 for t in arrivals if s <= t < s + 1.0) for s in arrivals)
            refused, why = limits.refused, dict(limits.why)
            connector.throttle = None  # the replies to the flood below are answers, not the outbox
            await asyncio.sleep(1.0)
            flood = await flood_from_one_person(database_url, connector, [a.url, b.url, c.url])
        assert refused == 0, why
        assert busiest <= 50
        counts = delivered(connector)
        assert len(counts) == SHARED
        assert set(counts.values()) == {1}
        assert flood == (12, 18)  # accepted, refused with 429: 4 per instance alive, 12 in all


async def flood_from_one_person(database_url: str, connector: FakeConnector, urls: list[str]) -> tuple[int, int]:
    """One person sends 30 messages within a few seconds, spread over the instances by a load balancer."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            aad = (await connection.execute(select(Person.aad_object_id).order_by(Person.id).limit(1))).scalar_one()
    finally:
        await engine.dispose()
    # all at once, as a runaway client does: well within the 10-second window however slow the replies
    # (they keep Teams' pace, 7 a second to one conversation)
    users = [TeamsUser(urls[n % len(urls)], connector.url, aad) for n in range(30)]
    statuses = await asyncio.gather(*(user.say("help") for user in users))
    return statuses.count(202), statuses.count(429)


def workers_of(parent: int) -> set[int]:
    """The live worker processes of `parent` (from /proc): `plf serve --workers N`'s, which multiprocessing
    started (not its resource tracker)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == parent and fields[0] != "Z" and b"spawn_main" in command:
            found.add(int(stat.parent.name))
    return found


async def two_workers(parent: int, without: int | None = None) -> set[int]:
    async with asyncio.timeout(60):
        while len(found := workers_of(parent)) != 2 or without in found:
            await asyncio.sleep(0.1)
    return found


async def test_two_workers_share_one_port_and_one_that_dies_is_replaced(tmp_path: Path) -> None:
    """`plf serve --workers 2`: both serve on one port (each answers), a worker killed is started again
    and the port never stops answering, and stopping the parent stops both."""
    async with fresh_database("postgres", tmp_path) as database_url, running_connector() as connector:
        env = plf_env(database_url)
        assert plf(["migrate"], env).returncode == 0
        assert plf(["demo"], env).returncode == 0
        async with running_app(
            database_url, tmp_path, serve=["--workers", "2"], LOG_LEVEL="INFO", FLOOD_LIMIT="1000"
        ) as app:
            first = await two_workers(app.process.pid)
            async with asyncio.timeout(60):  # both have started serving, each on the shared port
                while app.log().count("serving (pid") < 2:
                    await asyncio.sleep(0.1)
            user = TeamsUser(app.url, connector.url, "00000000-0000-0000-0000-00000000dead")
            assert [await user.say("hello") for _ in range(20)] == [202] * 20
            killed = min(first)
            os.kill(killed, signal.SIGKILL)
            assert max(first) in await two_workers(app.process.pid, without=killed)
            assert "ended with code -9: starting another" in app.log()
            assert [await user.say("hello") for _ in range(20)] == [202] * 20
            async with asyncio.timeout(30):  # each accepted message answered through the connector
                while len(connector.received) < 40:
                    await asyncio.sleep(0.1)
        assert not workers_of(app.process.pid)
        assert app.process.returncode == 0
