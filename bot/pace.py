"""One instance's way out to Teams, for proactive messages and replies alike: Teams' limits (7 a
second per conversation, 50 a second for the app) are kept by one Pacer, and after a 429 the whole
instance waits its Retry-After; with several instances, a pace they share in PostgreSQL too.

A reply (to a message, or the welcome on installing the app) is sent with `reply`: it waits its
turn like any notice, and a 429 is retried after its Retry-After instead of losing the reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, TurnContextProtocol

from plf_core.delivery import BASE_DELAY_S, parse_retry_after
from plf_core.pacing import Pacer

log = logging.getLogger(__name__)
LATE_S = 0.03  # a message later than this for its shared turn takes another
REPLY_TRIES = 6


class Pace:
    def __init__(self, pacer: Pacer | None = None, send_turn: Callable[[], Awaitable[float]] | None = None) -> None:
        """`send_turn`: the pace all instances share, if they share one: the seconds until this message's turn."""
        self.pacer = pacer or Pacer()
        self.send_turn = send_turn

    async def turn(self, conversation: str) -> None:
        """Within Teams' limits: this instance's rate, the conversation's rate, any pause after a 429,
        and last the budget all instances share."""
        delay = self.pacer.reserve(conversation, time.monotonic())
        while True:
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            delay = self.pacer.pause_left(now) or self.pacer.departure_wait(conversation, now)
            if delay > 0:
                continue
            if self.send_turn is None or await self._shared_turn():
                return

    async def _shared_turn(self) -> bool:
        """Wait for this message's turn in the pace the instances share; False if this instance woke
        too late for it (a stall here would put it beside the next turn's message): take another."""
        wait = await self.send_turn() if self.send_turn is not None else 0.0
        due = time.monotonic() + wait
        await asyncio.sleep(wait)
        return time.monotonic() - due <= LATE_S

    def landed(self, conversation: str) -> None:
        self.pacer.landed(conversation, time.monotonic())

    def throttled(self, delay_s: float) -> None:
        self.pacer.throttled(delay_s, time.monotonic())  # the whole instance slows down
        log.warning("429 from the connector: pausing delivery for %.1f s", delay_s)


async def reply(pace: Pace | None, turn_context: TurnContextProtocol[Any], activity: Activity) -> None:
    """Send a reply in its turn; a 429 is retried after its Retry-After (the reply is never dropped for it)."""
    conversation = turn_context.activity.conversation
    key = str(getattr(conversation, "id", "") or "unknown")
    for attempt in range(1, REPLY_TRIES + 1):
        if pace is not None:
            await pace.turn(key)
        try:
            await turn_context.send_activity(activity)
            return
        except aiohttp.ClientResponseError as exc:
            if exc.status != 429 or attempt == REPLY_TRIES:
                raise
            told = parse_retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            delay = told if told is not None else BASE_DELAY_S * 2 ** (attempt - 1)
            log.warning("429 on a reply (try %d): again in %.1f s", attempt, delay)
            if pace is not None:
                pace.throttled(delay)
            else:
                await asyncio.sleep(delay)
        finally:
            if pace is not None:
                pace.landed(key)
