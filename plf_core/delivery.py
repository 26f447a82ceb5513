"""What to do when Teams answers a proactive message: retry, give up, or mark unreachable.

Teams' guidance: retry 412, 429, 502, 503 and 504 with exponential backoff, honouring
Retry-After; never retry a 403 (bot not in the roster, message writes blocked, bot disabled
by an admin). A 500 is retried too: it is transient far more often than not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from plf_core.notices import DeliveryFailures, FailedDelivery
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import OutboxStatus

RETRYABLE = frozenset({412, 429, 500, 502, 503, 504})
BASE_DELAY_S = 2.0
MAX_DELAY_S = 600.0


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Claimed:
    """An outbox message this instance has claimed to deliver, until `claimed_until`."""

    id: int
    person_id: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int
    dedupe_key: str
    claimed_until: datetime


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    delay_s: float = 0.0
    reason: str = ""
    #: the connector said "too many requests": the whole instance should slow down, not this message only
    throttled: bool = False


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 3600 else None


def decide(
    status: int | None,
    attempts: int,
    max_attempts: int,
    retry_after: str | None = None,
    detail: str = "",
    rng: random.Random | None = None,
) -> Decision:
    """`attempts` counts this one. `status` None means the connector could not be reached."""
    reason = f"{status} {detail}".strip() if status is not None else f"connection failed: {detail}".strip()
    if status == 403:
        return Decision(Outcome.UNREACHABLE, reason=reason)
    if status is not None and status not in RETRYABLE:
        return Decision(Outcome.DEAD, reason=reason)
    if attempts >= max_attempts:
        return Decision(Outcome.DEAD, reason=f"gave up after {attempts} attempts: {reason}")
    jitter = (rng or random.Random()).uniform(0, 1)
    backoff = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempts - 1)) * (0.5 + jitter / 2)
    told = parse_retry_after(retry_after)
    return Decision(Outcome.RETRY, delay_s=max(backoff, told or 0.0), reason=reason, throttled=status == 429)


NO_CONVERSATION = "no conversation"  # the reason of a message to someone who has not installed the bot
NOT_REPORTED = frozenset({"delivery_failures"})  # QA is not told that the telling failed


async def record_delivery(
    uow: AbstractUnitOfWork, message: Claimed, decision: Decision, today: date, *, had_conversation: bool
) -> None:
    """How a delivery went, written down: sent, to retry later, or given up (the person marked
    unreachable when Teams refused them, and QA told of it once a day per person)."""
    if decision.outcome is Outcome.SENT:
        await uow.outbox.mark_sent(message.id)
        return
    if decision.outcome is Outcome.RETRY:
        await uow.outbox.mark_retry(message.id, decision.delay_s, decision.reason)
        return
    unreachable = decision.outcome is Outcome.UNREACHABLE
    await uow.outbox.mark_failed(message.id, decision.reason, OutboxStatus.FAILED if unreachable else OutboxStatus.DEAD)
    if unreachable and message.person_id and had_conversation:
        await uow.conversations.mark_unreachable(message.person_id)
    if message.kind not in NOT_REPORTED:
        await _tell_qa(uow, message, decision, today)


async def _tell_qa(uow: AbstractUnitOfWork, message: Claimed, decision: Decision, today: date) -> None:
    person = await uow.people.person_name(message.person_id) if message.person_id else "nobody"
    failed = FailedDelivery(message.id, person, message.kind.replace("_", " "), decision.reason)
    told = DeliveryFailures((failed,), (person,) if decision.outcome is Outcome.UNREACHABLE else ())
    for qa in await uow.people.qa_people():
        if qa != message.person_id:
            key = f"undelivered:{message.person_id}:{today.isoformat()}:{qa}"
            await uow.outbox.add(Notice(key, qa, told))
