"""Importing a directory CSV: parse and check every row, then upsert in one transaction.

All or nothing: if any row is bad, nothing is written, unless `skip_bad` is asked for, in
which case the good rows are imported and the bad ones are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core import directory_import as parse
from plf_core.clock import LONDON, FixedClock
from plf_core.errors import ImportRejected, Problem
from plf_core.feedback import closure
from plf_core.ports import Notice
from store import directory
from store.models import Case, Team
from store.outbox import SqlOutbox


class ImportKind(StrEnum):
    TEAMS = "teams"
    PEOPLE = "people"
    CASES = "cases"


@dataclass
class ImportReport:
    kind: ImportKind
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)  # 'key: column' of each value an empty cell cleared
    feedback_asked: int = 0  # workers asked about closure feedback: cases this import closed
    #: cases this import closed whose workers were not asked: closed over 28 days ago, or on a day still to come
    feedback_not_asked: list[str] = field(default_factory=list)


async def _parsed(session: AsyncSession, kind: ImportKind, text: str) -> parse.ParsedFile[Any]:
    if kind is ImportKind.TEAMS:
        return parse.parse_teams(text, await directory.person_ids_by_email(session))
    if kind is ImportKind.PEOPLE:
        return parse.parse_people(text, await directory.team_ids(session))
    return parse.parse_cases(text, await directory.team_ids(session), await directory.person_ids_by_email(session))


async def import_csv(
    sessions: async_sessionmaker[AsyncSession],
    kind: ImportKind,
    data: bytes,
    *,
    now: datetime,
    skip_bad: bool = False,
    clear: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """`clear`: an empty cell may clear a stored value (without it, the import names each such field
    and writes nothing); a column the file does not have always leaves its field as it is."""
    text = parse.decode_csv(data)
    async with sessions() as session, session.begin():
        parsed = await _parsed(session, kind, text)
        if not skip_bad:
            parsed.require_clean(f"{kind} file")
        existing, key = await _existing(session, kind)
        lines = parse.keep_absent_columns(parsed.rows, existing, parsed.columns, key)
        cleared = parse.cleared_fields(lines, existing, parsed.columns, key)
        if cleared and not clear:
            raise ImportRejected(
                f"{kind} file: {len(cleared)} stored value{'s' if len(cleared) != 1 else ''} would be cleared by "
                "empty cells; nothing was imported. Fill them in, or import again with --yes to clear them",
                [c.problem(KEY_NAME[kind]) for c in cleared],
            )
        rows = [row for _, row in lines]
        asked, not_asked = 0, []
        if not rows and not parsed.problems:
            raise ImportRejected(f"{kind} file has no rows", [Problem("line 2", "no data rows")])
        if kind is ImportKind.TEAMS:
            plan: Any = await directory.upsert_teams(session, rows, now=now)
        elif kind is ImportKind.PEOPLE:
            plan = await directory.upsert_people(session, rows, progress, now=now)
        else:
            plan = await directory.upsert_cases(session, rows, progress, now=now)
            asked = await closure_prompts(session, plan.changed, existing, now)
            not_asked = closure.not_asked(
                [(r.azeus_number, existing[r.azeus_number].closed_on, r.closed_on) for r in plan.changed],
                now.astimezone(LONDON).date(),
            )
    return ImportReport(
        kind=kind,
        rows=len(rows),
        new=len(plan.new),
        changed=len(plan.changed),
        unchanged=plan.unchanged,
        missing=[str(k) for k in plan.missing],
        skipped=parsed.problems,
        notes=parsed.notes + _kept_note(kind, parsed.columns),
        cleared=[f"{c.key}: {c.column}" for c in cleared],
        feedback_asked=asked,
        feedback_not_asked=not_asked,
    )


async def closure_prompts(
    session: AsyncSession, changed: list[parse.CaseRow], existing: dict[str, Any], now: datetime
) -> int:
    """Each case this import closed asks its allocated worker, once, whether to send the family a feedback
    link (plf_core.feedback.closure); the card goes out with the other notices."""
    today = now.astimezone(LONDON).date()
    closed = [r for r in changed if closure.newly_closed(existing[r.azeus_number].closed_on, r.closed_on, today)]
    if not closed:
        return 0
    outbox = SqlOutbox(session, FixedClock(now))
    found = await session.execute(
        select(Case.id, Case.azeus_number, Case.allocated_worker_id, Team.name)
        .join(Team, Team.id == Case.team_id)
        .where(Case.azeus_number.in_([r.azeus_number for r in closed]), Case.allocated_worker_id.is_not(None))
    )
    day = {r.azeus_number: r.closed_on for r in closed if r.closed_on is not None}
    asked = 0
    for case_id, azeus, worker, team in found:
        if worker is None:
            continue
        notice = closure.FeedbackAtClosure(azeus, day[azeus], team)
        await outbox.add(Notice(closure.dedupe_key(case_id, day[azeus]), worker, notice))
        asked += 1
    return asked


KEY_NAME = {ImportKind.TEAMS: "team", ImportKind.PEOPLE: "person", ImportKind.CASES: "case"}


async def _existing(session: AsyncSession, kind: ImportKind) -> tuple[dict[str, Any], Callable[[Any], str]]:
    """What the store holds, by the key the import matches rows on."""
    if kind is ImportKind.TEAMS:
        return dict(await directory.existing_teams(session)), lambda r: str(r.code).lower()
    if kind is ImportKind.PEOPLE:
        return dict(await directory.existing_people(session)), lambda r: str(r.aad_object_id)
    return dict(await directory.existing_cases(session)), lambda r: str(r.azeus_number)


def _kept_note(kind: ImportKind, columns: frozenset[str]) -> list[str]:
    row_type = {ImportKind.TEAMS: parse.TeamRow, ImportKind.PEOPLE: parse.PersonRow, ImportKind.CASES: parse.CaseRow}
    absent = [c for c in parse.OPTIONAL[row_type[kind]] if c not in columns]
    if not absent:
        return []
    return [f"column(s) not in the file, left as they were: {', '.join(absent)}"]
