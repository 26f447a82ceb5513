"""The outbox: notices written with the change they come from, claimed and delivered by the dispatcher.

On PostgreSQL, instances claim rows with SELECT ... FOR UPDATE SKIP LOCKED, so each message
is taken by one instance. SQLite is single-instance. A claim lasts `CLAIM_SECONDS`; a row
left 'sending' by a dead instance is claimed again once its claim has run out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.clock import Clock
from plf_core.delivery import NO_CONVERSATION, NOT_SUMMARISED, SUMMARY, URGENT_KINDS, Claimed
from plf_core.ports import Notice
from plf_core.timetable_commands import FailedMessage
from plf_core.vocabulary import OutboxStatus
from store.models import ConversationReference, OutboxMessage, Person
from store.repository import SqlRepository

CLAIM_SECONDS = 120
OUTBOX = cast(Table, OutboxMessage.__table__)


class SqlOutbox(SqlRepository):
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        super().__init__(session, clock)
        self.added = 0  # notices written: the dispatcher is woken after the unit of work commits

    async def add(self, notice: Notice) -> None:
        """Written once: the same dedupe key again is a no-op (a retried submit, a second sweep)."""
        if self.batch is not None:
            self.batch.insert(OUTBOX, self._row(notice), unless_exists="dedupe_key")
            self.added += 1
            return
        exists = (
            await self.session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == notice.dedupe_key))
        ).scalar()
        if exists is not None:
            return
        try:
            async with self.session.begin_nested():
                self.session.add(OutboxMessage(**self._row(notice)))
            self.added += 1
        except IntegrityError:
            pass  # written by a concurrent unit of work: still exactly once

    def _row(self, notice: Notice) -> dict[str, Any]:
        return {
            "dedupe_key": notice.dedupe_key,
            "person_id": notice.person_id,
            "kind": notice.kind,
            "payload": notice.data.to_payload(),
            "status": "pending",
            "not_before": self.clock.now(),
            "created_at": self.clock.now(),
        }

    async def written(self, dedupe_key: str) -> bool:
        found = await self.session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        return found.scalar() is not None

    async def cancel_pending(self, key_prefixes: tuple[str, ...], subject: str) -> int:
        """Pending timetable notices about `subject` (keys 'rule:subject:person') that are no longer needed,
        those waiting for their person to install the bot too (installing would send them after all)."""
        cancelled = 0
        waiting = or_(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            and_(
                OutboxMessage.status == OutboxStatus.FAILED.value,
                OutboxMessage.last_error.like(f"{NO_CONVERSATION}%"),
            ),
        )
        for prefix in key_prefixes:
            result = await self.session.execute(
                update(OutboxMessage)
                .where(waiting, OutboxMessage.dedupe_key.like(f"{prefix.rstrip(':')}%:{subject}:%"))
                .values(status="cancelled")
            )
            cancelled += int(result.rowcount)  # type: ignore[attr-defined]
        # and out of any digest still waiting to go
        digests = (
            await self.session.execute(select(OutboxMessage).where(waiting, OutboxMessage.kind == "daily_digest"))
        ).scalars()
        for digest in digests:
            items = digest.payload.get("items")
            items = items if isinstance(items, list) else []

            def gone(item: object) -> bool:
                key = str(item.get("key", "")) if isinstance(item, dict) else ""
                return any(key.startswith(prefix) for prefix in key_prefixes) and f":{subject}:" in key

            kept = [i for i in items if not gone(i)]
            if len(kept) != len(items):
                cancelled += len(items) - len(kept)
                digest.payload = {**digest.payload, "items": kept}
                if not kept:
                    digest.status = "cancelled"
        await self.session.flush()
        return cancelled

    def _failures(self) -> Any:
        return (
            select(
                OutboxMessage.id,
                Person.display_name,
                OutboxMessage.kind,
                OutboxMessage.status,
                OutboxMessage.attempts,
                OutboxMessage.last_error,
            )
            .outerjoin(Person, Person.id == OutboxMessage.person_id)
            .where(OutboxMessage.status.in_(FAILED), OutboxMessage.kind != SUMMARY)
        )

    async def failed(self, limit: int, offset: int = 0) -> list[FailedMessage]:
        urgent_first = case((OutboxMessage.kind.in_(sorted(URGENT_KINDS)), 0), else_=1)
        query = self._failures().order_by(urgent_first, OutboxMessage.id.desc()).limit(limit).offset(offset)
        return [_failed(*row) for row in await self.session.execute(query)]

    async def failed_count(self) -> int:
        query = select(func.count()).where(OutboxMessage.status.in_(FAILED), OutboxMessage.kind != SUMMARY)
        return int((await self.session.execute(query)).scalar_one())

    async def unreported_failures(self, limit: int) -> list[FailedMessage]:
        query = (
            self._failures()
            .where(OutboxMessage.reported_on.is_(None), OutboxMessage.kind.not_in(sorted(NOT_SUMMARISED)))
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return [_failed(*row) for row in await self.session.execute(query)]

    async def mark_reported(self, outbox_ids: Sequence[int], day: date) -> None:
        if outbox_ids:
            reported = update(OutboxMessage).where(OutboxMessage.id.in_(list(outbox_ids))).values(reported_on=day)
            await self.session.execute(reported)

    async def summarised_on(self, day: date) -> bool:
        key = OutboxMessage.dedupe_key.like(f"undelivered:{day.isoformat()}:%")
        return (await self.session.execute(select(OutboxMessage.id).where(key).limit(1))).first() is not None

    async def retry(self, outbox_id: int) -> bool:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status.in_(["failed", "dead"]))
            .values(status="pending", attempts=0, not_before=self.clock.now(), claimed_until=None)
        )
        retried = int(result.rowcount) == 1  # type: ignore[attr-defined]
        self.added += int(retried)  # wakes the dispatcher after the turn
        return retried

    async def claim(self, limit: int = 50, claim_seconds: float = CLAIM_SECONDS) -> list[Claimed]:
        """Take up to `limit` messages that are due; the caller commits the claim at once. A claim
        lasts `claim_seconds`: an instance that dies holding it leaves the rows to the others then."""
        now = self.clock.now()
        await self._requeue_the_installed(now)
        due = or_(
            and_(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.not_before <= now),
            and_(OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.claimed_until < now),
        )
        urgent_first = case((OutboxMessage.kind.in_(sorted(URGENT_KINDS)), 0), else_=1)  # never behind others
        query = (
            select(OutboxMessage)
            .where(due)
            .order_by(urgent_first, OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = (await self.session.execute(query)).scalars().all()
        until = now + timedelta(seconds=claim_seconds)
        for row in rows:
            row.status, row.claimed_until = OutboxStatus.SENDING.value, until
        await self.session.flush()
        return [Claimed(r.id, r.person_id, r.kind, dict(r.payload), r.attempts, r.dedupe_key, until) for r in rows]

    async def _requeue_the_installed(self, now: datetime) -> None:
        """A message that failed because its person had not installed the bot goes again once they
        have. Installing re-queues them too (requeue_for); this catches the one whose failure was
        written a moment after that install looked, whatever the interleaving."""
        installed = select(ConversationReference.person_id).where(ConversationReference.installed.is_(True))
        await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.FAILED.value,
                OutboxMessage.last_error.like(f"{NO_CONVERSATION}%"),
                OutboxMessage.person_id.in_(installed),
            )
            .values(status=OutboxStatus.PENDING.value, not_before=now, claimed_until=None)
        )

    async def renew(self, message: Claimed, claim_seconds: float) -> Claimed | None:
        """Just before sending: still ours? (A slow batch can outlive its claim and another instance
        take the row.) Renews the claim for the send; None if someone else has it now."""
        until = self.clock.now() + timedelta(seconds=claim_seconds)
        result = await self.session.execute(
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

    async def mark_sent(self, message_id: int) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                status=OutboxStatus.SENT.value,
                sent_at=self.clock.now(),
                attempts=OutboxMessage.attempts + 1,
                claimed_until=None,
                last_error=None,
            )
        )

    async def mark_retry(self, message_id: int, delay_s: float, error: str) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                status=OutboxStatus.PENDING.value,
                attempts=OutboxMessage.attempts + 1,
                not_before=self.clock.now() + timedelta(seconds=delay_s),
                claimed_until=None,
                last_error=error[:500],
            )
        )

    async def mark_failed(self, message_id: int, error: str, status: OutboxStatus = OutboxStatus.DEAD) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                status=status.value, attempts=OutboxMessage.attempts + 1, claimed_until=None, last_error=error[:500]
            )
        )

    async def requeue_for(self, person_id: int) -> int:
        """Messages that failed because the person had not installed the bot go again once they have."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.person_id == person_id,
                OutboxMessage.status == OutboxStatus.FAILED.value,
                OutboxMessage.last_error.like(f"{NO_CONVERSATION}%"),
            )
            .values(status=OutboxStatus.PENDING.value, not_before=self.clock.now(), claimed_until=None)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


FAILED = [OutboxStatus.FAILED.value, OutboxStatus.DEAD.value]


def _failed(
    outbox_id: int, name: str | None, kind: str, status: str, attempts: int, error: str | None
) -> FailedMessage:
    return FailedMessage(outbox_id, name or "nobody", kind, status, attempts, error or "")
