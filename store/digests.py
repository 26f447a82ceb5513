"""The daily digest in the outbox: a person's reminders of a day go out in one message, which new
reminders join while it waits, else the next day's; the insert that writes an outbox row once; and
the timetable's due notices written with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.periods import local_date
from plf_core.timetable import DueNotice
from store.models import OutboxMessage, SnoozeRow

#: a person and the (local) day of their digest
DigestDay = tuple[int, date]


def insert_once(session: AsyncSession, into: Any = None, key: str = "dedupe_key") -> Any:
    """INSERT ... ON CONFLICT DO NOTHING into the outbox (or `into`) for the session's database (both
    dialects support it): a row whose `key` is already there is not written again."""
    table = cast(Table, OutboxMessage.__table__ if into is None else into)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])


async def add_to_digests(
    session: AsyncSession, merged: Sequence[dict[str, Any]], now: datetime, zone: ZoneInfo
) -> None:
    """One digest a day per person: new items join that day's digest while it waits, else the next day's."""
    groups, starts = _by_digest_day(merged, zone)
    for _ in range(14):
        if not groups:
            return
        groups = await _join_digests(session, groups, starts, now, zone)


def _by_digest_day(
    merged: Sequence[dict[str, Any]], zone: ZoneInfo
) -> tuple[dict[DigestDay, list[dict[str, Any]]], dict[DigestDay, datetime]]:
    """The merged reminders as digest items by person and the local day they may be sent, with the
    earliest moment each day's digest may go."""
    groups: dict[DigestDay, list[dict[str, Any]]] = {}
    starts: dict[DigestDay, datetime] = {}
    for row in merged:
        key = (int(row["person_id"]), local_date(row["not_before"], zone))
        groups.setdefault(key, []).append({"kind": row["kind"], "data": row["payload"], "key": row["dedupe_key"]})
        starts[key] = min(starts.get(key, row["not_before"]), row["not_before"])
    return groups, starts


async def _join_digests(
    session: AsyncSession,
    groups: dict[DigestDay, list[dict[str, Any]]],
    starts: dict[DigestDay, datetime],
    now: datetime,
    zone: ZoneInfo,
) -> dict[DigestDay, list[dict[str, Any]]]:
    """One round: each day's items join that day's digest if it still waits, or make it if there is
    none; returns the items left for the next round (for tomorrow's digest when the day's has gone,
    and again for the same day when another instance made its digest a moment ago). `starts` gains
    when each of tomorrow's digests may go."""
    keys = {f"digest:{person}:{day.isoformat()}": (person, day) for person, day in groups}
    digests = await _load_digests(session, list(keys))
    later: dict[DigestDay, list[dict[str, Any]]] = {}
    fresh: list[dict[str, Any]] = []
    for digest_key, (person, day) in keys.items():
        items = groups[(person, day)]
        found = digests.get(digest_key)
        if found is None:
            fresh.append(_new_digest(digest_key, person, day, items, starts[(person, day)], now))
        elif found.status == "pending":
            known = found.payload.get("items")
            found.payload = {**found.payload, "items": [*(known if isinstance(known, list) else []), *items]}
        else:  # that day's digest has gone: tomorrow's
            tomorrow = (person, day + timedelta(days=1))
            later[tomorrow] = later.get(tomorrow, []) + items
            starts[tomorrow] = nine_in_the_morning(tomorrow[1], zone)
    await session.flush()
    if fresh:
        made = await _write_digests(session, fresh)
        for row in fresh:  # made by another instance a moment ago: join it on the next round
            if row["dedupe_key"] not in made:
                person, day = keys[row["dedupe_key"]]
                later[(person, day)] = later.get((person, day), []) + groups[(person, day)]
    return later


async def _load_digests(session: AsyncSession, keys: Sequence[str]) -> dict[str, OutboxMessage]:
    """The digests with these dedupe keys that exist, locked until the transaction ends, by key."""
    return {
        row.dedupe_key: row
        for start in range(0, len(keys), 1000)
        for row in (
            await session.execute(
                select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(keys[start : start + 1000])).with_for_update()
            )
        ).scalars()
    }


def _new_digest(
    digest_key: str, person: int, day: date, items: list[dict[str, Any]], not_before: datetime, now: datetime
) -> dict[str, Any]:
    """The outbox row of a person's digest for the day, waiting to be sent from `not_before`."""
    return {
        "dedupe_key": digest_key,
        "person_id": person,
        "kind": "daily_digest",
        "payload": {"day": day.isoformat(), "items": items},
        "status": "pending",
        "attempts": 0,
        "not_before": not_before,
        "created_at": now,
    }


async def _write_digests(session: AsyncSession, fresh: list[dict[str, Any]]) -> set[str]:
    """Writes the new digests into the outbox; returns the keys of those written (one that another
    instance wrote a moment ago is not)."""
    connection = await session.connection()
    result = await connection.execute(insert_once(session).returning(OutboxMessage.__table__.c.dedupe_key), fresh)
    return set(result.scalars())


def nine_in_the_morning(day: date, zone: ZoneInfo) -> datetime:
    """9 o'clock on `day` in `zone`, as a UTC instant: when a digest put off to that day, or a reminder
    snoozed until then, may go."""
    return datetime.combine(day, time(9), tzinfo=zone).astimezone(UTC)


async def write_notices(
    session: AsyncSession, notices: Sequence[DueNotice], now: datetime, zone: ZoneInfo, *, digest: bool = True
) -> int:
    """Each due notice into the outbox once (its dedupe key is unique); returns how many are new.
    Escalations go on their own; reminders (`digest`) join the person's digest for the day.
    A few bulk statements whatever the number of notices, so a sweep costs what is due."""
    if not notices:
        return 0
    people = sorted({n.person_id for n in notices if not n.urgent})
    snoozed: dict[int, date] = {}
    for start in range(0, len(people), 1000):
        rows = await session.execute(
            select(SnoozeRow.person_id, SnoozeRow.until).where(SnoozeRow.person_id.in_(people[start : start + 1000]))
        )
        snoozed.update(dict(rows.all()))
    unique = {n.dedupe_key: n for n in notices}
    rows_to_write = [
        {
            "dedupe_key": n.dedupe_key,
            "person_id": n.person_id,
            "kind": n.kind,
            "payload": {**n.data.to_payload(), "urgent": n.urgent},
            # a reminder is kept as 'merged' (written once, never sent alone) and goes in the day's digest
            "status": "merged" if digest and not n.urgent else "pending",
            "attempts": 0,
            "not_before": _not_before(n, snoozed.get(n.person_id), zone),
            "created_at": now,
        }
        for n in unique.values()
    ]
    new: set[str] = set()
    connection = await session.connection()
    for start in range(0, len(rows_to_write), 1000):
        statement = insert_once(session).returning(OutboxMessage.__table__.c.dedupe_key)
        result = await connection.execute(statement, rows_to_write[start : start + 1000])
        new |= set(result.scalars())
    if not new:
        return 0
    if digest:
        await add_to_digests(
            session, [r for r in rows_to_write if r["dedupe_key"] in new and r["status"] == "merged"], now, zone
        )
    return len(new)


def _not_before(notice: DueNotice, snoozed_until: date | None, zone: ZoneInfo) -> datetime:
    """A reminder waits for the end of its person's snooze; an escalation never waits."""
    send_at = notice.send_at.astimezone(UTC)
    if notice.urgent or snoozed_until is None:
        return send_at
    return max(send_at, nine_in_the_morning(snoozed_until, zone))
