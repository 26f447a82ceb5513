"""What the timetable engine needs to know, read in windows around `now` (indexed date columns, so
the cost follows what is nearly due, not everything), and the due notices written to the outbox.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.audits import PLC_FORM
from plf_core.periods import local_date, midnight
from plf_core.timetable import (
    CycleState,
    DueNotice,
    ModeratedAudit,
    OpenAudit,
    PimDue,
    Recipient,
    Rule,
    SentDip,
    State,
    Trigger,
    Unit,
)
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, Role
from store import queries
from store.models import (
    ActionItem,
    Audit,
    Case,
    Cycle,
    DipSample,
    Moderation,
    OutboxMessage,
    PersonRole,
    SnoozeRow,
    Team,
)

OPEN = [s.value for s in OPEN_AUDIT_STATUSES]
ROLE_OF: dict[Recipient, tuple[Role, ...]] = {
    Recipient.DATA_AND_IMPACT: (Role.DATA_AND_IMPACT,),
    Recipient.SLT: (Role.SLT,),
    Recipient.DIRECTOR_OF_OPERATIONS: (Role.DIRECTOR_OF_OPERATIONS,),
    Recipient.QA: (Role.PRACTICE_LEARNING_REVIEWER, Role.QA_MANAGER),
}


def _window(rules: Sequence[Rule], trigger: Trigger, today: date, lookback: int) -> tuple[date, date] | None:
    """The anchors of this trigger whose notices can be due today: each rule's offset back from today,
    widened by the catch-up `lookback`, a few days for weekends and holidays, and working days
    counted as calendar days generously. The query then costs what is nearly due, not everything."""
    spans = []
    for rule in rules:
        if rule.trigger is trigger:
            span = (
                rule.offset
                if rule.unit is Unit.DAYS
                else math.ceil(rule.offset * 7 / 5) + (5 if rule.offset >= 0 else -5)
            )
            spans.append(span)
    if not spans:
        return None
    return today - timedelta(days=max(spans) + lookback + 5), today - timedelta(days=min(spans) - 1)


async def load_state(
    session: AsyncSession,
    rules: Sequence[Rule],
    today: date,
    zone: ZoneInfo,
    lookback: int = 14,
    *,
    with_open_audits: bool = False,
) -> State:
    def _start(day: date) -> datetime:
        return midnight(day, zone)

    A, C, T = cast(Table, Audit.__table__).c, cast(Table, Case.__table__).c, cast(Table, Team.__table__).c
    cycles: list[CycleState] = []
    cycle_window = [w for t in (Trigger.CYCLE_START, Trigger.CYCLE_DUE) if (w := _window(rules, t, today, lookback))]
    if cycle_window:
        low = min(w[0] for w in cycle_window) - timedelta(days=100)
        high = max(w[1] for w in cycle_window) + timedelta(days=100)
        cycle_rows = await session.execute(
            select(Cycle.code, Cycle.starts_on, Cycle.due_on).where(Cycle.due_on >= low, Cycle.starts_on <= high)
        )
        cycles = [CycleState(code, starts, due) for code, starts, due in cycle_rows]

    open_audits: list[OpenAudit] = []
    month_rule = _window(rules, Trigger.MONTH_START, today, lookback)
    due_rule = _window(rules, Trigger.CYCLE_DUE, today, lookback)
    month_now = month_rule is not None and today.day <= lookback + 7
    due_now = due_rule is not None and any(due_rule[0] <= c.due_on <= due_rule[1] for c in cycles)
    if month_now or due_now or with_open_audits:
        audit_rows = await session.execute(
            select(
                A.id,
                C.azeus_number,
                T.code,
                A.due_on,
                A.practitioner_id,
                A.second_person_id,
                T.practice_lead_id,
                T.service_manager_id,
                T.head_of_service_id,
            )
            .select_from(queries.AUDIT_IN_AREA)
            .where(A.status.in_(OPEN), A.due_on.is_not(None), A.form_id == PLC_FORM)
        )
        open_audits = [OpenAudit(*row) for row in audit_rows]

    moderated: list[ModeratedAudit] = []
    if window := _window(rules, Trigger.MODERATED, today, lookback):
        moderation_rows = await session.execute(
            select(
                Moderation.audit_id,
                C.azeus_number,
                func.max(Moderation.completed_at),
                A.practitioner_id,
                T.practice_lead_id,
                T.service_manager_id,
            )
            .join(Audit, Audit.id == Moderation.audit_id)
            .join(Case, Case.id == Audit.case_id)
            .join(Team, Team.id == Case.team_id)
            .where(
                Moderation.status == "completed",
                Moderation.completed_at >= _start(window[0]),
                Moderation.completed_at < _start(window[1] + timedelta(days=1)),
            )
            .group_by(Moderation.audit_id, C.azeus_number, A.practitioner_id, T.practice_lead_id, T.service_manager_id)
        )
        found = list(moderation_rows)
        actions = await _open_actions(session, ActionItem.audit_id, [r[0] for r in found])
        for audit_id, case_ref, completed, practitioner, lead, manager in found:
            mine = actions.get(audit_id)
            if mine is None:
                continue  # no actions recorded: nothing to follow up
            moderated.append(
                ModeratedAudit(
                    audit_id,
                    case_ref,
                    local_date(completed, zone),
                    not mine,
                    practitioner,
                    lead,
                    manager,
                    tuple(mine),
                )
            )

    dips: list[SentDip] = []
    if window := _window(rules, Trigger.DIP_SENT, today, lookback):
        dip_rows = await session.execute(
            select(
                DipSample.id, DipSample.theme, DipSample.sent_at, DipSample.status, DipSample.head_of_service_id
            ).where(DipSample.sent_at >= _start(window[0]), DipSample.sent_at < _start(window[1] + timedelta(days=1)))
        )
        sent = list(dip_rows)
        actions = await _open_actions(session, ActionItem.dip_sample_id, [r[0] for r in sent])
        for dip_id, theme, sent_at, status, hos in sent:
            if sent_at is not None:
                dips.append(
                    SentDip(dip_id, theme, local_date(sent_at, zone), status == "agreed", not actions.get(dip_id), hos)
                )

    pims: list[PimDue] = []
    if window := _window(rules, Trigger.PIM_DUE, today, lookback):
        pim_rows = await session.execute(
            select(A.id, C.azeus_number, A.pim_due_on, A.pim_held_on, T.head_of_service_id)
            .select_from(
                cast(Table, Audit.__table__)
                .join(cast(Table, Case.__table__), A.case_id == C.id)
                .join(cast(Table, Team.__table__), C.team_id == T.id)
            )
            .where(and_(A.pim_due_on >= window[0], A.pim_due_on <= window[1]))
        )
        pims = [PimDue(audit, case_ref, due, held is not None, hos) for audit, case_ref, due, held, hos in pim_rows]

    wanted = {r for rule in rules for r in rule.to if r in ROLE_OF}
    people: dict[Recipient, list[int]] = {}
    for recipient in wanted:
        found_people = await session.execute(
            select(PersonRole.person_id).where(PersonRole.role.in_([r.value for r in ROLE_OF[recipient]]))
        )
        people[recipient] = sorted(set(found_people.scalars()))
    moderations_outstanding = actions_unconfirmed = 0
    if due_now and any(Recipient.SLT in r.to for r in rules if r.trigger is Trigger.CYCLE_DUE):
        moderations_outstanding = int(
            (
                await session.execute(
                    select(func.count()).select_from(Moderation).where(Moderation.status != "completed")
                )
            ).scalar_one()
        )
        actions_unconfirmed = int(
            (
                await session.execute(
                    select(func.count())
                    .select_from(ActionItem)
                    .where(ActionItem.status.in_(["open", "not_yet"]), ActionItem.deadline < today)
                )
            ).scalar_one()
        )
    return State(cycles, open_audits, moderated, dips, pims, people, moderations_outstanding, actions_unconfirmed)


async def _open_actions(session: AsyncSession, column: Any, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each subject's actions still open (an empty list: all confirmed; absent: none recorded)."""
    if not ids:
        return {}
    rows = await session.execute(select(column, ActionItem.text, ActionItem.status).where(column.in_(list(ids))))
    found: dict[int, list[str]] = {}
    for subject, text, status in rows:
        mine = found.setdefault(subject, [])
        if status in ("open", "not_yet"):
            mine.append(text)
    return dict(found)


def _insert(session: AsyncSession) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for the session's database (both dialects support it)."""
    table = cast(Table, OutboxMessage.__table__)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])


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
        statement = _insert(session).returning(OutboxMessage.__table__.c.dedupe_key)
        result = await connection.execute(statement, rows_to_write[start : start + 1000])
        new |= set(result.scalars())
    if not new:
        return 0
    if digest:
        await _add_to_digests(
            session, [r for r in rows_to_write if r["dedupe_key"] in new and r["status"] == "merged"], now, zone
        )
    return len(new)


async def _add_to_digests(
    session: AsyncSession, merged: Sequence[dict[str, Any]], now: datetime, zone: ZoneInfo
) -> None:
    """One digest a day per person: new items join that day's digest while it waits, else the next day's."""
    groups: dict[tuple[int, date], list[dict[str, Any]]] = {}
    starts: dict[tuple[int, date], datetime] = {}
    for row in merged:
        key = (int(row["person_id"]), local_date(row["not_before"], zone))
        groups.setdefault(key, []).append({"kind": row["kind"], "data": row["payload"], "key": row["dedupe_key"]})
        starts[key] = min(starts.get(key, row["not_before"]), row["not_before"])
    for _ in range(14):
        if not groups:
            return
        keys = {f"digest:{person}:{day.isoformat()}": (person, day) for person, day in groups}
        digests = {
            row.dedupe_key: row
            for start in range(0, len(keys), 1000)
            for row in (
                await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.dedupe_key.in_(list(keys)[start : start + 1000]))
                    .with_for_update()
                )
            ).scalars()
        }
        later: dict[tuple[int, date], list[dict[str, Any]]] = {}
        fresh: list[dict[str, Any]] = []
        for digest_key, (person, day) in keys.items():
            items = groups[(person, day)]
            found = digests.get(digest_key)
            if found is None:
                fresh.append(
                    {
                        "dedupe_key": digest_key,
                        "person_id": person,
                        "kind": "daily_digest",
                        "payload": {"day": day.isoformat(), "items": items},
                        "status": "pending",
                        "attempts": 0,
                        "not_before": starts[(person, day)],
                        "created_at": now,
                    }
                )
            elif found.status == "pending":
                known = found.payload.get("items")
                found.payload = {**found.payload, "items": [*(known if isinstance(known, list) else []), *items]}
            else:  # that day's digest has gone: tomorrow's
                tomorrow = (person, day + timedelta(days=1))
                later[tomorrow] = later.get(tomorrow, []) + items
                starts[tomorrow] = datetime.combine(tomorrow[1], time(9), tzinfo=zone).astimezone(UTC)
        await session.flush()
        if fresh:
            connection = await session.connection()
            made = set(
                (
                    await connection.execute(_insert(session).returning(OutboxMessage.__table__.c.dedupe_key), fresh)
                ).scalars()
            )
            for row in fresh:  # made by another instance a moment ago: join it on the next round
                if row["dedupe_key"] not in made:
                    person, day = keys[row["dedupe_key"]]
                    later[(person, day)] = later.get((person, day), []) + groups[(person, day)]
        groups = later


def _not_before(notice: DueNotice, snoozed_until: date | None, zone: ZoneInfo) -> datetime:
    """A reminder waits for the end of its person's snooze; an escalation never waits."""
    send_at = notice.send_at.astimezone(UTC)
    if notice.urgent or snoozed_until is None:
        return send_at
    return max(send_at, datetime.combine(snoozed_until, time(9), tzinfo=zone).astimezone(UTC))
