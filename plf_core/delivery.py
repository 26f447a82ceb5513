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
from plf_core.timetable import Hours
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
SUMMARY = "delivery_failures"  # QA's daily summary: never itself summarised (no failures about failures)
#: What QA must see first in a summary: the messages about a child's safety and the audits behind it.
URGENT_KINDS = frozenset({"immediate_concern", "concern_acknowledged", "red_alert", "pim_request"})
#: Never in QA's summary of failures: an immediate concern undelivered climbs to the next level instead
#: (its escalation runs on whether anyone has it, not on whether a card arrived)
NOT_SUMMARISED = frozenset({"immediate_concern", "concern_acknowledged"})
MAX_SUMMARISED = 40


def is_urgent(kind: str) -> bool:
    return kind in URGENT_KINDS


def waits_for_install(reason: str) -> bool:
    """A message to someone who has not installed the bot: not lost, it goes when they do (no Retry)."""
    return reason.startswith(NO_CONVERSATION)


async def record_delivery(
    uow: AbstractUnitOfWork, message: Claimed, decision: Decision, today: date, *, had_conversation: bool
) -> None:
    """How a delivery went, written down: sent, to retry later, or given up (the person marked
    unreachable when Teams refused them). QA hears of it in the next daily summary, not at once."""
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


async def summarise_failures(uow: AbstractUnitOfWork, now: datetime, hours: Hours) -> int:
    """Once a working day, in working hours: the messages that could not be delivered since the last
    summary, grouped by person with the urgent first, to each QA officer the bot can reach (none is
    sent where it is known not to arrive). Returns how many QA officers are told."""
    today = now.astimezone(hours.zone).date()
    if hours.next_opening(now) != now or await uow.outbox.summarised_on(today):
        return 0
    failures = await uow.outbox.unreported_failures(MAX_SUMMARISED)
    if not failures:
        return 0
    qa = [q for q in await uow.people.qa_people() if await uow.conversations.reference_of(q) is not None]
    if not qa:
        return 0  # nobody to tell yet: the failures wait for a QA officer who has the bot
    ordered = sorted(failures, key=lambda f: (not is_urgent(f.kind), f.person, f.outbox_id))
    rows = tuple(
        FailedDelivery(f.outbox_id, f.person, f.kind.replace("_", " "), f.error, is_urgent(f.kind)) for f in ordered
    )
    unreachable = tuple(sorted({f.person for f in failures if f.status == OutboxStatus.FAILED.value}))
    for person in qa:
        await uow.outbox.add(
            Notice(f"undelivered:{today.isoformat()}:{person}", person, DeliveryFailures(rows, unreachable))
        )
    await uow.outbox.mark_reported([f.outbox_id for f in failures], today)
    return len(qa)
