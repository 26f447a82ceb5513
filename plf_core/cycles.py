"""Audit cycles: a cycle is a calendar quarter and its audits are due at its end (line 483)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Cycle:
    code: str
    starts_on: date
    due_on: date


def cycle_containing(day: date) -> Cycle:
    quarter = (day.month - 1) // 3 + 1
    starts = date(day.year, 3 * quarter - 2, 1)
    next_start = date(day.year + 1, 1, 1) if quarter == 4 else date(day.year, 3 * quarter + 1, 1)
    return Cycle(f"{day.year}-Q{quarter}", starts, next_start - timedelta(days=1))


def cycles_around(day: date, before: int = 1, after: int = 1) -> list[Cycle]:
    """The cycle containing `day` with `before` earlier and `after` later cycles, in order."""
    current = cycle_containing(day)
    cycles = [current]
    cursor = current
    for _ in range(before):
        cursor = cycle_containing(cursor.starts_on - timedelta(days=1))
        cycles.insert(0, cursor)
    cursor = current
    for _ in range(after):
        cursor = cycle_containing(cursor.due_on + timedelta(days=1))
        cycles.append(cursor)
    return cycles
