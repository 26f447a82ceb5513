"""Where to reach each person in Teams: refreshed on every activity (the serviceUrl can change)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from store import hot_path
from store.models import ConversationReference, Person

#: An unchanged reference is rewritten at most this often (every activity reads it).
REFRESH_AFTER = timedelta(hours=1)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC from a Core query; PostgreSQL an aware one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def remember(
    session: AsyncSession,
    *,
    aad_object_id: str,
    person_id: int | None,
    tenant_id: str | None,
    service_url: str,
    conversation_id: str,
    reference: dict[str, Any],
    now: datetime,
) -> bool:
    """Store or refresh the reference; True when the person has just become reachable.

    An upsert, so two activities from a new person at once cannot collide."""
    connection = await session.connection()
    row = (await connection.execute(hot_path.REFERENCE_STATE, {"aad": aad_object_id})).first()
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
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ConversationReference).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[ConversationReference.aad_object_id],
        set_={k: statement.excluded[k] for k in values if k != "aad_object_id"},
    )
    await session.execute(statement)
    if person_id is not None and became_reachable:
        await session.execute(update(Person).where(Person.id == person_id).values(reachable=True))
    return became_reachable


async def set_installed(session: AsyncSession, aad_object_id: str, installed: bool, now: datetime) -> None:
    """After the app is removed the person is unreachable until they add it again."""
    await session.execute(
        update(ConversationReference)
        .where(ConversationReference.aad_object_id == aad_object_id)
        .values(installed=installed, updated_at=now)
    )
    await session.execute(update(Person).where(Person.aad_object_id == aad_object_id).values(reachable=installed))


async def mark_unreachable(session: AsyncSession, person_id: int) -> None:
    """Teams refused a message for good (403): the person stays unreachable until they write again."""
    await session.execute(update(Person).where(Person.id == person_id).values(reachable=False))
    await session.execute(
        update(ConversationReference).where(ConversationReference.person_id == person_id).values(installed=False)
    )


async def reference_of(session: AsyncSession, person_id: int) -> dict[str, Any] | None:
    row = (
        await session.execute(
            select(ConversationReference.reference)
            .where(ConversationReference.person_id == person_id, ConversationReference.installed.is_(True))
            .order_by(ConversationReference.updated_at.desc())
        )
    ).first()
    return dict(row[0]) if row else None


async def teams_user_ids(session: AsyncSession, person_ids: Collection[int]) -> dict[int, list[str]]:
    """The Teams user ids (29:...) of these people, for a card's refresh.userIds, by person."""
    connection = await session.connection()
    rows = await connection.execute(hot_path.USER_REFERENCES, {"ids": list(person_ids)})
    ids: dict[int, list[str]] = {}
    for person_id, reference in rows:
        user = reference.get("user") or {}
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            ids.setdefault(person_id, []).append(user["id"])
    return ids
