"""Replies keep Teams' limits too (SQLite and PostgreSQL): 200 people installing the app, 8 at a time,
through a connector that enforces 50 a second for the app and 7 a second per conversation, each get
their welcome exactly once and no 429 goes unanswered; a reply refused with 429 is sent again after
its Retry-After instead of being lost."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.e2e.running_app import serving
from tests.e2e.teams import TeamsUser
from tests.e2e.test_audit_workflow import BOROUGH, cards_to, users
from tests.fakes.connector import FakeConnector, TeamsLimits, running_connector
from tests.instants import DEFAULT_NOW

WELCOME = "Hello. I am the Practice Learning Framework bot"


def welcomes(connector: FakeConnector) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in connector.received:
        if str(r.activity.get("text", "")).startswith(WELCOME):
            counts[r.conversation_id] = counts.get(r.conversation_id, 0) + 1
    return counts


async def test_two_hundred_installs_each_get_one_welcome_within_teams_limits(database_url: str) -> None:
    async with running_connector() as connector, serving(database_url, DEFAULT_NOW, LOG_LEVEL="WARNING") as app:
        connector.throttle = limits = TeamsLimits()
        gate = asyncio.Semaphore(8)

        async def install(person: Any) -> tuple[str, int]:
            async with gate:
                user = TeamsUser(app.url, connector.url, person.aad_object_id, person.display_name)
                return user.conversation_id, await user.install()

        started = time.monotonic()
        installed = await asyncio.gather(*(install(p) for p in BOROUGH.people[:200]))
        took = time.monotonic() - started
        assert {status for _, status in installed} <= {200, 202}
        counts = welcomes(connector)
        assert len(counts) == 200, (len(counts), limits.refused, dict(limits.why))
        assert set(counts.values()) == {1}  # each welcome once: none lost, none twice
        assert limits.refused == 0, dict(limits.why)  # paced with the notices: within the limits by construction
        refused = {conversation for status, conversation in connector.refused if status == 429}
        assert refused <= set(counts)  # every 429 was answered by the welcome sent again
        arrivals = sorted(r.at for r in connector.received)
        assert max(sum(1 for t in arrivals if s <= t < s + 1.0) for s in arrivals) <= 50
        print(f"200 installs in {took:.1f} s; 429s: {limits.refused} {dict(limits.why)}")


async def test_a_reply_refused_with_429_is_sent_again_after_its_retry_after(database_url: str) -> None:
    async with running_connector() as connector, serving(database_url, DEFAULT_NOW) as app:
        worker = users(app.url, connector)["worker"]
        connector.fail_next(429, 2, {"Retry-After": "1"}, conversation=worker.conversation_id)
        started = time.monotonic()
        assert await worker.say("my audits") == 202
        replies = [c for c in cards_to(connector, worker) if "Your open audits" in str(c)]
        assert len(replies) == 1  # sent once, after the two refusals
        assert [s for s, c in connector.refused if c == worker.conversation_id] == [429, 429]
        assert time.monotonic() - started >= 2.0  # each Retry-After was waited for
