"""Immediate concerns in figures, by service area: how many were raised in a period, how many
acknowledged ("I'm dealing with this"), how many reached a Head of Service or beyond before anyone
did, and the median time to acknowledge in minutes.

Pure: the store hands in one `ConcernRow` per concern raised in the period; the highlight report
and the inspection evidence pack show the same table. A count resting on fewer than 5 concerns is
marked as a small number ("3*"), as everywhere in the reports; so is a median of fewer than 5.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from plf_core.report_tables import SMALL, Table, count

NO_AREA = "No service area"  # a concern on a case whose team has gone from the directory
TOTAL = "The whole service"
NOTE = (
    "Minutes from raising to the first 'I'm dealing with this', of the concerns acknowledged. Escalated: "
    "nobody had acknowledged it in time, so it reached the Head of Service or beyond. "
    "* fewer than 5 concerns: a small number, read with care."
)


@dataclass(frozen=True)
class ConcernRow:
    """One concern raised in the period: where, when, when acknowledged (if it was), the level it reached."""

    area: str | None
    raised_at: datetime
    acknowledged_at: datetime | None = None
    level: int = 0  # 0: the Practice Lead and Service Manager; 1: the Head of Service; 2: the Director


@dataclass(frozen=True)
class AreaConcerns:
    area: str
    raised: int
    acknowledged: int
    escalated: int
    median_minutes: float | None  # of those acknowledged; None when none were

    @property
    def open(self) -> int:
        return self.raised - self.acknowledged


def minutes_to_acknowledge(row: ConcernRow) -> float | None:
    if row.acknowledged_at is None:
        return None
    return max(0.0, (row.acknowledged_at - row.raised_at).total_seconds() / 60)


def figures_of(area: str, rows: Sequence[ConcernRow]) -> AreaConcerns:
    waits = [m for m in map(minutes_to_acknowledge, rows) if m is not None]
    return AreaConcerns(
        area,
        raised=len(rows),
        acknowledged=len(waits),
        escalated=sum(1 for r in rows if r.level > 0),
        median_minutes=statistics.median(waits) if waits else None,
    )


def by_area(rows: Sequence[ConcernRow]) -> tuple[AreaConcerns, ...]:
    """One line per service area (alphabetical), then the whole service's when there is more than one."""
    areas: dict[str, list[ConcernRow]] = {}
    for row in rows:
        areas.setdefault(row.area or NO_AREA, []).append(row)
    lines = tuple(figures_of(name, areas[name]) for name in sorted(areas))
    return lines + ((figures_of(TOTAL, rows),) if len(lines) > 1 else ())


def minutes(value: float | None, n: int) -> str:
    """A number of minutes as staff read it (42, 37.5), marked when it rests on fewer than 5 concerns."""
    if value is None or n == 0:
        return "—"
    shown = f"{value:.1f}".removesuffix(".0")
    return shown + ("*" if n < SMALL else "")


def concerns_table(rows: Sequence[ConcernRow], key: str = "immediate_concerns") -> Table:
    lines = tuple(
        (
            a.area,
            count(a.raised),
            count(a.acknowledged),
            count(a.open),
            count(a.escalated),
            minutes(a.median_minutes, a.acknowledged),
        )
        for a in by_area(rows)
    )
    columns = (
        "Service area",
        "Raised",
        "Acknowledged",
        "Not acknowledged",
        "Escalated",
        "Median minutes to acknowledge",
    )
    return Table(key, "Immediate concerns raised while auditing", columns, lines, NOTE)


def headline(rows: Sequence[ConcernRow]) -> tuple[tuple[str, str], ...]:
    """The summary card's figures: how many concerns, and the median time to acknowledge them."""
    whole = figures_of(TOTAL, rows)
    return (
        ("Immediate concerns", count(whole.raised)),
        ("Median minutes to acknowledge", minutes(whole.median_minutes, whole.acknowledged)),
    )
