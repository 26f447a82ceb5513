"""The outbox: claiming messages to deliver and recording how delivery went.

On PostgreSQL, instances claim rows with SELECT ... FOR UPDATE SKIP LOCKED, so each message
is taken by one instance. SQLite is single-instance. A claim lasts `CLAIM_SECONDS`; a row
left 'sending' by a dead instance is claimed again once its claim has run out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.vocabulary import OutboxStatus
from store.models import OutboxMessage

CLAIM_SECONDS = 120


@dataclass(frozen=True)
class Claimed:
    id: int
    person_id: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int
    dedupe_key: str
    claimed_until: datetime


async def claim(
    session: AsyncSession, now: datetime, limit: int = 50, claim_seconds: float = CLAIM_SECONDS
) -> list[Claimed]:
    """Take up to `limit` messages that are due; the caller commits the claim at once. A claim
    lasts `claim_seconds`: an instance that dies holding it leaves the rows to the others then."""
    due = or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.not_before <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.claimed_until < now),
    )
    query = select(OutboxMessage).where(due).order_by(OutboxMessage.not_before, OutboxMessage.id).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = (await session.execute(query)).scalars().all()
    until = now + timedelta(seconds=claim_seconds)
    for row in rows:
        row.status, row.claimed_until = OutboxStatus.SENDING.value, until
    await session.flush()
    return [Claimed(r.id, r.person_id, r.kind, dict(r.payload), r.attempts, r.dedupe_key, until) for r in rows]


async def renew(session: AsyncSession, message: Claimed, claim_seconds: float, now: datetime) -> Claimed | None:
    """Just before sending: still ours? (A slow batch can outlive its claim and another instance
    take the row.) Renews the claim for the send; None if someone else has it now."""
    until = now + timedelta(seconds=claim_seconds)
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.claimed_until == message.claimed_until,
        )
        .values(claimed_until=until)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return Claimed(
        message.id, message.person_id, message.kind, message.payload, message.attempts, message.dedupe_key, until
    )


async def mark_sent(session: AsyncSession, message_id: int, now: datetime) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OutboxStatus.SENT.value,
            sent_at=now,
            attempts=OutboxMessage.attempts + 1,
            claimed_until=None,
            last_error=None,
        )
    )


async def mark_retry(session: AsyncSession, message_id: int, delay_s: float, error: str, now: datetime) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OutboxStatus.PENDING.value,
            attempts=OutboxMessage.attempts + 1,
            not_before=now + timedelta(seconds=delay_s),
            claimed_until=None,
            last_error=error[:500],
        )
    )


async def mark_dead(
    session: AsyncSession, message_id: int, error: str, status: OutboxStatus = OutboxStatus.DEAD
) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status=status.value, attempts=OutboxMessage.attempts + 1, claimed_until=None, last_error=error[:500])
    )


NO_CONVERSATION = "no conversation"


async def requeue_for(session: AsyncSession, person_id: int, now: datetime) -> int:
    """Messages that failed because the person had not installed the bot go again once they have."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.person_id == person_id,
            OutboxMessage.status == OutboxStatus.FAILED.value,
            OutboxMessage.last_error.like(f"{NO_CONVERSATION}%"),
        )
        .values(status=OutboxStatus.PENDING.value, not_before=now, claimed_until=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
