"""The access log (append-only: who read or changed what, when, with what outcome) and the people
who wrote to the bot without being in the directory."""

from __future__ import annotations

from sqlalchemy import select

from plf_core.people import Actor
from plf_core.ports import UnknownSender
from store import queries
from store.models import Person, UnknownSenderRow
from store.repository import SqlRepository


class SqlAccess(SqlRepository):
    async def log(
        self, actor: Actor | None, action: str, audit_id: int | None, activity_id: str | None, outcome: str
    ) -> None:
        row = {
            "at": self.clock.now(),
            "actor_id": actor.person_id if actor else None,
            "actor_aad_object_id": actor.aad_object_id if actor else None,
            "action": action[:40],
            "object_type": "audit",
            "object_id": str(audit_id) if audit_id is not None else None,
            "activity_id": (activity_id or "")[:200] or None,
            "outcome": outcome[:20],
        }
        if self.batch is not None:  # written with the turn's other writes, or not at all
            self.batch.insert(queries.ACCESS_LOG, row)
            return
        connection = await self.session.connection()
        await connection.execute(queries.ADD_ACCESS, row)

    async def record_unknown_sender(self, aad_object_id: str, name: str, tenant_id: str | None) -> bool:
        """True the first time this person writes (QA is then told once)."""
        row = await self.session.get(UnknownSenderRow, aad_object_id)
        if row is None:
            self.session.add(
                UnknownSenderRow(
                    aad_object_id=aad_object_id,
                    name=name[:120],
                    tenant_id=tenant_id,
                    first_seen=self.clock.now(),
                    last_seen=self.clock.now(),
                    messages=1,
                )
            )
            await self.session.flush()
            return True
        row.last_seen, row.messages = self.clock.now(), row.messages + 1
        return False

    async def unknown_senders(self) -> list[UnknownSender]:
        known = select(Person.aad_object_id)
        rows = (
            await self.session.execute(
                select(UnknownSenderRow)
                .where(UnknownSenderRow.aad_object_id.not_in(known))
                .order_by(UnknownSenderRow.last_seen.desc())
            )
        ).scalars()
        return [UnknownSender(r.aad_object_id, r.name, r.first_seen, r.last_seen, r.messages) for r in rows]
