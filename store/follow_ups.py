"""Follow-ups in SQL: actions confirmed or not yet, reminders snoozed, a cycle's case data marked as sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update

from plf_core.ports import ActionRecord, PlannedAction
from store.models import ActionItem, Cycle, Person, SnoozeRow
from store.repository import SqlRepository

OPEN = ("open", "not_yet")


class SqlFollowUps(SqlRepository):
    async def _name(self, person_id: int) -> str:
        name = (await self.session.execute(select(Person.display_name).where(Person.id == person_id))).scalar()
        return name or "someone no longer listed"

    async def confirm_actions(self, audit_id: int, by: int, at: datetime) -> int:
        done = await self.session.execute(
            update(ActionItem)
            .where(ActionItem.audit_id == audit_id, ActionItem.status.in_(["open", "not_yet"]))
            .values(status="done", confirmed_by_id=by, confirmed_at=at, updated_at=at)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    async def record_actions(self, audit_id: int, planned: Sequence[PlannedAction], at: datetime) -> list[ActionRecord]:
        """Each row becomes a tracked action; its owner is the one person of the name typed, if any."""
        recorded = []
        for p in planned:
            named = (
                await self.session.execute(
                    select(Person.id).where(func.lower(Person.display_name) == p.who.strip().lower()).limit(2)
                )
            ).scalars()
            found = list(named)
            owner = found[0] if len(found) == 1 else p.default_owner_id
            row = ActionItem(
                audit_id=audit_id,
                text=p.text,
                owner_id=owner,
                owner_text=p.who[:200],
                deadline=p.deadline,
                status="open",
                created_at=at,
                updated_at=at,
            )
            self.session.add(row)
            await self.session.flush()
            recorded.append(ActionRecord(row.id, audit_id, p.text, owner, p.deadline, "open", row=p.row))
        return recorded

    async def action(self, action_id: int) -> ActionRecord | None:
        found = (
            await self.session.execute(
                select(ActionItem, Person.display_name)
                .outerjoin(Person, Person.id == ActionItem.confirmed_by_id)
                .where(ActionItem.id == action_id)
            )
        ).first()
        if found is None:
            return None
        a, by = found
        return ActionRecord(a.id, a.audit_id, a.text, a.owner_id, a.deadline, a.status, by or "", a.confirmed_at)

    async def action_done(self, action_id: int, by: int, at: datetime) -> bool:
        done = await self.session.execute(
            update(ActionItem)
            .where(ActionItem.id == action_id, ActionItem.status.in_(OPEN))
            .values(status="done", confirmed_by_id=by, confirmed_at=at, updated_at=at)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def action_counts(self, audit_id: int) -> tuple[int, int]:
        still_open = func.count().filter(ActionItem.status.in_(OPEN))
        row = (
            await self.session.execute(
                select(still_open, func.count()).select_from(ActionItem).where(ActionItem.audit_id == audit_id)
            )
        ).one()
        return int(row[0]), int(row[1])

    async def action_ids(self, audit_id: int) -> list[int]:
        rows = await self.session.execute(select(ActionItem.id).where(ActionItem.audit_id == audit_id))
        return list(rows.scalars())

    async def actions_not_yet(self, audit_id: int, reason: str, at: datetime) -> int:
        marked = await self.session.execute(
            update(ActionItem)
            .where(ActionItem.audit_id == audit_id, ActionItem.status.in_(["open", "not_yet"]))
            .values(status="not_yet", not_yet_reason=reason, updated_at=at)
        )
        return int(marked.rowcount)  # type: ignore[attr-defined]

    async def snooze(self, person_id: int, until: date) -> None:
        row = await self.session.get(SnoozeRow, person_id)
        if row is None:
            self.session.add(SnoozeRow(person_id=person_id, until=until))
        else:
            row.until = until
        await self.session.flush()

    async def mark_data_sent(self, cycle: str, by: int, at: datetime) -> tuple[bool, str, datetime] | None:
        """The cycle's case data marked as sent to QA: (newly marked, by whom, when); None: no such cycle.
        The first mark stands; a second press reports it."""
        row = (
            await self.session.execute(select(Cycle).where(Cycle.code == cycle).with_for_update())
        ).scalar_one_or_none()
        if row is None:
            return None
        fresh = row.data_sent_at is None
        if fresh:
            row.data_sent_at, row.data_sent_by_id = at, by
            await self.session.flush()
        name = await self._name(row.data_sent_by_id) if row.data_sent_by_id else "someone no longer listed"
        assert row.data_sent_at is not None
        return fresh, name, row.data_sent_at

    async def data_sent(self, cycle: str) -> tuple[str, datetime] | None:
        """Who marked the cycle's case data as sent, and when (None: not yet)."""
        found = (
            await self.session.execute(select(Cycle.data_sent_by_id, Cycle.data_sent_at).where(Cycle.code == cycle))
        ).first()
        if found is None or found[1] is None:
            return None
        return (await self._name(found[0]) if found[0] else "someone no longer listed"), found[1]
