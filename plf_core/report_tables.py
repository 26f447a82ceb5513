"""What every report is made of: sections of tables of text cells, and the one way a figure is
written in them, a small number (resting on fewer than 5 audits or concerns) marked "3*", not hidden."""

from __future__ import annotations

from dataclasses import dataclass

SMALL = 5  # fewer audits than this in a cell: a small number
SMALL_NOTE = "* fewer than 5 audits: a small number, read with care."


@dataclass(frozen=True)
class Table:
    key: str  # its CSV file's name
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    question: str
    tables: tuple[Table, ...]
    text: str = ""


def count(n: int) -> str:
    """A count, marked when it is a small number (1-4)."""
    return f"{n}*" if 0 < n < SMALL else str(n)


def pct(part: int, whole: int) -> str:
    if whole == 0:
        return "—"
    return f"{100 * part / whole:.0f}%" + ("*" if whole < SMALL else "")


def mean(value: float | None, n: int) -> str:
    if value is None or n == 0:
        return "—"
    return f"{value:.1f}" + ("*" if n < SMALL else "")


def signed(value: float | None, n: int) -> str:
    if value is None or n == 0:
        return "—"
    return f"{value:+.1f}" + ("*" if n < SMALL else "")
