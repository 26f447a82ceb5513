"""Where to reach each person in Teams: refreshed on every activity (the serviceUrl can change)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store import queries
from store.models import ConversationReference, Person
from store.repository import SqlRepository

#: An unchanged reference is rewritten at most this often (every activity reads it).
REFRESH_AFTER = timedelta(hours=1)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC from a Core query; PostgreSQL an aware one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class SqlConversations(SqlRepository):
    async def remember(
        self,
        *,
        aad_object_id: str,
        person_id: int | None,
        tenant_id: str | None,
        service_url: str,
        conversation_id: str,
        reference: dict[str, Any],
    ) -> bool:
        """Store or refresh the reference; True when the person has just become reachable.

        An upsert, so two activities from a new person at once cannot collide."""
        now = self.clock.now()
        connection = await self.session.connection()
        row = (await connection.execute(queries.REFERENCE_STATE, {"aad": aad_object_id})).first()
        became_reachable = row is None or not row.installed
        if (
            row is not None
            and row.installed
            and (row.person_id, row.service_url, row.conversation_id)
            == (person_id, service_url[:500], conversation_id[:500])
            and now - _aware(row.updated_at) < REFRESH_AFTER
        ):
            return False
        values = {
            "aad_object_id": aad_object_id,
            "person_id": person_id,
            "tenant_id": tenant_id,
            "service_url": service_url[:500],
            "conversation_id": conversation_id[:500],
            "reference": reference,
            "installed": True,
            "updated_at": now,
        }
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(ConversationReference).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[ConversationReference.aad_object_id],
            set_={k: statement.excluded[k] for k in values if k != "aad_object_id"},
        )
        await self.session.execute(statement)
        if person_id is not None and became_reachable:
            await self.session.execute(update(Person).where(Person.id == person_id).values(reachable=True))
        return became_reachable

    async def set_installed(self, aad_object_id: str, installed: bool) -> None:
        """After the app is removed the person is unreachable until they add it again."""
        await self.session.execute(
            update(ConversationReference)
            .where(ConversationReference.aad_object_id == aad_object_id)
            .values(installed=installed, updated_at=self.clock.now())
        )
        await self.session.execute(
            update(Person).where(Person.aad_object_id == aad_object_id).values(reachable=installed)
        )

    async def mark_unreachable(self, person_id: int) -> None:
        """Teams refused a message for good (403): the person stays unreachable until they write again."""
        await self.session.execute(update(Person).where(Person.id == person_id).values(reachable=False))
        await self.session.execute(
            update(ConversationReference).where(ConversationReference.person_id == person_id).values(installed=False)
        )

    async def reference_of(self, person_id: int) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                select(ConversationReference.reference)
                .where(ConversationReference.person_id == person_id, ConversationReference.installed.is_(True))
                .order_by(ConversationReference.updated_at.desc())
            )
        ).first()
        return dict(row[0]) if row else None

    async def teams_user_ids(self, person_ids: Collection[int]) -> dict[int, list[str]]:
        """The Teams user ids (29:...) of these people, for a card's refresh.userIds, by person."""
        connection = await self.session.connection()
        rows = await connection.execute(queries.USER_REFERENCES, {"ids": list(person_ids)})
        ids: dict[int, list[str]] = {}
        for person_id, reference in rows:
            user = reference.get("user") or {}
            if isinstance(user, dict) and isinstance(user.get("id"), str):
                ids.setdefault(person_id, []).append(user["id"])
        return ids
