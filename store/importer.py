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

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core import directory_import as parse
from plf_core.errors import ImportRejected, Problem
from store import directory


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
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    text = parse.decode_csv(data)
    async with sessions() as session, session.begin():
        parsed = await _parsed(session, kind, text)
        if not skip_bad:
            parsed.require_clean(f"{kind} file")
        rows = [row for _, row in parsed.rows]
        if not rows and not parsed.problems:
            raise ImportRejected(f"{kind} file has no rows", [Problem("line 2", "no data rows")])
        if kind is ImportKind.TEAMS:
            plan: Any = await directory.upsert_teams(session, rows, now=now)
        elif kind is ImportKind.PEOPLE:
            plan = await directory.upsert_people(session, rows, progress, now=now)
        else:
            plan = await directory.upsert_cases(session, rows, progress, now=now)
    return ImportReport(
        kind=kind,
        rows=len(rows),
        new=len(plan.new),
        changed=len(plan.changed),
        unchanged=plan.unchanged,
        missing=[str(k) for k in plan.missing],
        skipped=parsed.problems,
        notes=parsed.notes,
    )
