"""A fake Bot Connector: a real aiohttp server on loopback that records what the bot sends.

It answers the two routes a bot posts to (`/v3/conversations/{id}/activities[/{replyTo}]`)
with `{"id": ...}`, and can be told to answer with an error status for the next N calls.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Received:
    conversation_id: str
    reply_to: str | None
    activity: dict[str, Any]
    authorization: str | None
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class FakeConnector:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str], str | None]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    #: while set, every post waits here and is then refused unrecorded (its sender was killed meanwhile)
    hold: asyncio.Event | None = None
    held: int = 0
    #: a rate limit like Teams': given the conversation, the Retry-After (seconds) to refuse with, or None
    throttle: Callable[[str], int | None] | None = None

    def fail_next(
        self, status: int, times: int = 1, headers: dict[str, str] | None = None, conversation: str | None = None
    ) -> None:
        """Answer the next `times` posts (to `conversation`, or any) with this error status."""
        self.failures.extend([(status, headers or {}, conversation)] * times)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        async with asyncio.timeout(timeout):
            while len(self.received) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.received

    async def _activities(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        conversation_id = request.match_info["conversation_id"]
        if self.throttle is not None and (retry_after := self.throttle(conversation_id)) is not None:
            self.refused.append((429, conversation_id))
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": str(retry_after)}
            )
        if self.hold is not None:
            self.held += 1
            await self.hold.wait()
            return web.json_response({"error": {"code": "Held"}}, status=503)  # its sender was killed meanwhile
        for i, (status, headers, target) in enumerate(self.failures):
            if target is None or target == conversation_id:
                del self.failures[i]
                self.refused.append((status, conversation_id))
                code = "BotNotInConversationRoster" if status == 403 else "Injected"
                return web.json_response(
                    {"error": {"code": code, "message": "injected by the test"}}, status=status, headers=headers
                )
        self.received.append(
            Received(
                conversation_id=conversation_id,
                reply_to=request.match_info.get("reply_to"),
                activity=await request.json(),
                authorization=request.headers.get("Authorization"),
                at=arrived,
            )
        )
        self._arrived.set()
        return web.json_response({"id": f"sent-{next(self._ids)}"})


class TeamsLimits:
    """Teams' limits, enforced by the fake connector: 429 (Retry-After: 1) beyond 50 messages in any
    second for the app, or 7 in any second for one conversation."""

    def __init__(self) -> None:
        self.app: collections.deque[float] = collections.deque()
        self.conversations: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self.refused = 0
        self.why: collections.Counter[str] = collections.Counter()

    def __call__(self, conversation: str) -> int | None:
        now = time.monotonic()
        for window, limit, kind in ((self.app, 50, "app"), (self.conversations[conversation], 7, "conversation")):
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                self.refused += 1
                self.why[kind] += 1
                return 1
        self.app.append(now)
        self.conversations[conversation].append(now)
        return None


@asynccontextmanager
async def running_connector() -> AsyncIterator[FakeConnector]:
    connector = FakeConnector()
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation_id}/activities", connector._activities)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{reply_to}", connector._activities)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    connector.url = f"http://127.0.0.1:{port}/"
    try:
        yield connector
    finally:
        await runner.cleanup()
