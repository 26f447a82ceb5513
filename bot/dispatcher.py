"""Delivers the outbox: proactive messages through the Agents SDK, retried, paced, never lost.

Run by the scheduler every few seconds and woken at once after a turn writes notices. Rows
are claimed in a short transaction (SKIP LOCKED on PostgreSQL), then each message is sent
and its outcome recorded in its own transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes, ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.agent import attachment
from bot.links import SignedLinks
from bot.pace import Pace
from cards.notice_cards import CardContext, notice_card
from plf_core.clock import Clock
from plf_core.concern_notices import ImmediateConcern
from plf_core.delivery import NO_CONVERSATION, Claimed, Decision, Outcome, decide, record_delivery
from plf_core.notices import NoticeData, parse
from plf_core.pacing import Pacer
from plf_core.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120.0


class Dispatcher:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        adapter: CloudAdapter,
        app_id: str | None,
        *,
        max_attempts: int = 8,
        batch: int = 200,
        concurrency: int = 8,
        pacer: Pacer | None = None,
        claim_seconds: float = CLAIM_SECONDS,
        links: SignedLinks | None = None,
        clock: Clock,
        send_turn: Callable[[], Awaitable[float]] | None = None,
    ) -> None:
        """`send_turn`: the pace all instances share, if they share one: the seconds until this message's turn."""
        self.clock = clock
        self.pace = Pace(pacer, send_turn)  # shared with the replies (bot.pace.reply)
        self.links = links
        self.uow = uow
        self.adapter = adapter
        self.app_id = app_id or ""
        self.max_attempts = max_attempts
        self.batch = batch
        self.concurrency = concurrency
        self.claim_seconds = claim_seconds
        self.pacer = self.pace.pacer
        self._running = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False

    async def close(self) -> None:
        """At shutdown: no new deliveries; those under way are cancelled (their rows are claimed, so
        another instance, or this one after a restart, sends them once the claim runs out)."""
        self._closing = True
        for _ in range(3):  # a delivery cancelled may be between steps: ask again until all are done
            if not self._tasks:
                return
            for task in list(self._tasks):
                task.cancel()
            await asyncio.wait(list(self._tasks), timeout=5)

    async def wake(self) -> None:
        """Deliver soon, without holding up the caller (an invoke must answer within 2 s)."""
        if self._closing:
            return
        task = asyncio.get_running_loop().create_task(self.run_once())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run_once(self) -> int:
        """Claim what is due and deliver it; returns how many messages were attempted."""
        if self._running.locked() or self._closing:
            return 0
        current = asyncio.current_task()
        if current is not None:  # the scheduler's run too, so that close() can end it
            self._tasks.add(current)
        try:
            return await self._run_locked()
        finally:
            if current is not None:
                self._tasks.discard(current)

    async def _run_locked(self) -> int:
        async with self._running:
            attempted = 0
            while not self._closing:
                async with self.uow() as uow:
                    claimed = await uow.outbox.claim(self.batch, self.claim_seconds)
                if not claimed:
                    return attempted
                await self._deliver_all(claimed)
                attempted += len(claimed)
            return attempted

    async def _deliver_all(self, claimed: list[Claimed]) -> None:
        """A few at a time, each in its turn (the pacer keeps within Teams' limits)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def deliver(message: Claimed) -> None:
            async with gate:
                await self._deliver(message)

        tasks = [asyncio.get_running_loop().create_task(deliver(m)) for m in claimed]
        for task in tasks:  # each its own task, so that close() can end them all
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        await asyncio.gather(*tasks)

    async def _deliver(self, message: Claimed) -> None:
        attempt = message.attempts + 1
        async with self.uow() as uow:
            reference = await uow.conversations.reference_of(message.person_id) if message.person_id else None
        decision = await self._attempt(message, reference, attempt)
        if decision is None:
            log.info("outbox %s was taken by another instance; not sent here", message.id)
            return
        async with self.uow() as uow:
            await record_delivery(uow, message, decision, self.clock.today(), had_conversation=reference is not None)
        log.info(
            "outbox %s %s",
            message.id,
            decision.outcome.value,
            extra={"outbox_id": message.id, "kind": message.kind, "attempt": attempt},
        )

    async def _with_words(self, notice: NoticeData) -> NoticeData:
        """An immediate concern's words are read from the concern as its card is made: the outbox holds none."""
        if not isinstance(notice, ImmediateConcern):
            return notice
        async with self.uow() as uow:
            row = await uow.concerns.get(notice.concern_id)
        if row is None:
            raise ValueError(f"concern {notice.concern_id} is no longer held")
        return notice.with_description(row.description)

    async def _attempt(self, message: Claimed, reference: dict[str, Any] | None, attempt: int) -> Decision | None:
        """One try at sending; None if another instance holds the message now."""
        if reference is None:
            reason = f"{NO_CONVERSATION}: the person has not installed the bot yet (it is sent when they do)"
            return Decision(Outcome.UNREACHABLE, reason=reason)
        try:
            notice = await self._with_words(parse(message.kind, message.payload))
            card = notice_card(notice, CardContext(self.clock.today(), self.links))
        except ValueError as exc:  # BadPayload too: a row that cannot be read never will be
            return Decision(Outcome.DEAD, reason=f"cannot render '{message.kind}': {exc}")
        except Exception as exc:  # anything else (the database a moment away): this one later, the others now
            log.exception("outbox %s: its card could not be made; tried again later", message.id)
            return Decision(Outcome.RETRY, delay_s=30.0, reason=f"its card could not be made: {type(exc).__name__}")
        conversation = str((reference.get("conversation") or {}).get("id", message.person_id))
        async with self.uow() as uow:
            if await uow.outbox.renew(message, self.claim_seconds) is None:
                return None
        await self.pace.turn(conversation)  # last, so the send leaves on its turn
        try:
            decision = await self._send(reference, card, attempt)
        finally:
            self.pace.landed(conversation)
        if decision.throttled:
            self.pace.throttled(decision.delay_s)
        return decision

    async def _send(self, reference: dict[str, Any], card: dict[str, Any], attempt: int) -> Decision:
        failure: list[BaseException] = []

        async def callback(context: TurnContext) -> None:
            try:
                await context.send_activity(Activity(type=ActivityTypes.message, attachments=[attachment(card)]))
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # recorded and judged below, never raised into the SDK
                failure.append(exc)

        try:
            continuation = ConversationReference.model_validate(reference).get_continuation_activity()
            claims = (
                self.adapter.create_claims_identity(self.app_id) if self.app_id else ClaimsIdentity({}, "anonymous")
            )  # local mode: no token to get
            await self.adapter.continue_conversation_with_claims(claims, continuation, callback)
        except Exception as exc:
            failure.append(exc)
        if not failure:
            return Decision(Outcome.SENT)
        error = failure[0]
        if isinstance(error, aiohttp.ClientResponseError):
            detail = str(error.message)[:200]
            return decide(
                error.status,
                attempt,
                self.max_attempts,
                error.headers.get("Retry-After") if error.headers else None,
                detail,
            )
        return decide(None, attempt, self.max_attempts, None, f"{type(error).__name__}: {str(error)[:150]}")
