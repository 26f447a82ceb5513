"""Several bot instances on one PostgreSQL deliver each notice exactly once, also when one of
them is killed (SIGKILL) in the middle of delivering and then restarted."""

from __future__ import annotations

import asyncio
import json
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
from tests.fakes.connector import FakeConnector, running_connector
from tests.instants import DEFAULT_NOW

MESSAGES = 240
PEOPLE = 80
pytestmark = pytest.mark.skipif(SKIP_POSTGRES, reason="several instances need the shared PostgreSQL")


async def fill_outbox(database_url: str, connector: FakeConnector) -> None:
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
                    for n in range(MESSAGES)
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
        settings = {"DISPATCH_INTERVAL_SECONDS": "0.5", "OUTBOX_CLAIM_SECONDS": "3", "LOG_LEVEL": "WARNING"}

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
                await asyncio.sleep(4.0)  # past any claim: a duplicate would show now
        counts = delivered(connector)
        assert len(counts) == MESSAGES
        assert set(counts.values()) == {1}
        assert await outbox_counts(database_url) == {"sent": MESSAGES}
