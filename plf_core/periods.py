"""The framework's calendar: months, quarters (the audit cycles) and years.

One module for every period the product speaks of: what a person types (`2026-10`, `2026-Q3`,
`2026`, `month`, `quarter`), the period containing a day, the one before, and its bounds as UTC
instants of the configured zone's midnights, so that an audit submitted at 00:30 BST on 1 October
is October's everywhere (moderation, status, reports). The zone is always passed in (it comes
from the `TIMEZONE` setting through the Clock); nothing here assumes London.

A cycle is a calendar quarter; its audits are due on its last day (line 483).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from plf_core.errors import ValidationFailed


def staff_date(day: date | datetime) -> str:
    """The one way staff read a date, in cards and replies alike: "Thu 31 Dec 2026"."""
    return day.strftime("%a %d %b %Y")


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


#: regular-expression fragments for commands that take a period (case-insensitive)
MONTH_CODE = r"\d{4}-\d{1,2}"
QUARTER_CODE = r"\d{4}-?[qQ][1-4]"
YEAR_CODE = r"\d{4}"
ANY_CODE = rf"{MONTH_CODE}|{QUARTER_CODE}|{YEAR_CODE}"


@dataclass(frozen=True, order=True)
class Period:
    """[starts, ends): a month, a quarter or a year of local dates."""

    starts: date
    ends: date  # exclusive
    kind: Kind

    @property
    def code(self) -> str:
        """How it is typed and stored: 2026-10, 2026-Q3, 2026."""
        if self.kind is Kind.MONTH:
            return f"{self.starts:%Y-%m}"
        if self.kind is Kind.QUARTER:
            return f"{self.starts.year}-Q{self.quarter}"
        return f"{self.starts.year}"

    @property
    def label(self) -> str:
        """How it is shown: October 2026, 2026 Q3, 2026."""
        if self.kind is Kind.MONTH:
            return f"{self.starts:%B %Y}"
        if self.kind is Kind.QUARTER:
            return f"{self.starts.year} Q{self.quarter}"
        return f"{self.starts.year}"

    @property
    def quarter(self) -> int:
        return (self.starts.month - 1) // 3 + 1

    @property
    def last_day(self) -> date:
        return self.ends - timedelta(days=1)

    @property
    def due_on(self) -> date:
        """A cycle's audits are due on its last day."""
        return self.last_day

    def contains(self, day: date) -> bool:
        return self.starts <= day < self.ends

    def previous(self) -> Period:
        return containing(self.kind, self.starts - timedelta(days=1))

    def following(self) -> Period:
        return containing(self.kind, self.ends)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC instants: the zone's midnights at the period's first day and after its last."""
        return midnight(self.starts, zone), midnight(self.ends, zone)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def month(day: date) -> Period:
    start = day.replace(day=1)
    end = date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)
    return Period(start, end, Kind.MONTH)


def quarter(day: date) -> Period:
    first = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first, 1)
    end = date(day.year + 1, 1, 1) if first == 10 else date(day.year, first + 3, 1)
    return Period(start, end, Kind.QUARTER)


def year(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year + 1, 1, 1), Kind.YEAR)


def containing(kind: Kind | str, day: date) -> Period:
    return {Kind.MONTH: month, Kind.QUARTER: quarter, Kind.YEAR: year}[Kind(kind)](day)


def cycle_containing(day: date) -> Period:
    """The audit cycle (a calendar quarter) holding `day`."""
    return quarter(day)


def cycles_around(day: date, before: int = 1, after: int = 1) -> list[Period]:
    """The cycle containing `day` with `before` earlier and `after` later cycles, in order."""
    current = quarter(day)
    cycles = [current]
    for _ in range(before):
        cycles.insert(0, cycles[0].previous())
    for _ in range(after):
        cycles.append(cycles[-1].following())
    return cycles


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day if it is shorter)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def parse_code(text: str) -> Period | None:
    """A typed period code (2026-10, 2026-Q3, 2026q3, 2026) or None if it is not one."""
    word = text.strip().lower()
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", word)) and 1 <= int(m[2]) <= 12:
        return month(date(int(m[1]), int(m[2]), 1))
    if m := re.fullmatch(r"(\d{4})-?q([1-4])", word):
        return quarter(date(int(m[1]), 3 * int(m[2]) - 2, 1))
    if (m := re.fullmatch(r"(\d{4})", word)) and int(m[1]) >= 1900:
        return year(date(int(m[1]), 1, 1))
    return None


def parse(
    text: str | None,
    today: date,
    *,
    default: Period | None = None,
    kinds: frozenset[Kind] = frozenset(Kind),
) -> Period:
    """What a person typed, as a period: a code, or 'month' / 'quarter' / 'year' for the last whole
    one; nothing gives `default` (the last whole quarter if none is given). ValidationFailed names
    the forms accepted."""
    if text is None or not text.strip():
        return default if default is not None else quarter(today).previous()
    word = text.strip().lower()
    found = containing(word, today).previous() if word in {k.value for k in Kind} else parse_code(word)
    if found is None and (bare := re.fullmatch(r"q([1-4])", word)):  # 'q3': the latest Q3 that has begun
        found = quarter(date(today.year, 3 * int(bare[1]) - 2, 1))
        found = found if found.starts <= today else quarter(date(today.year - 1, 3 * int(bare[1]) - 2, 1))
    if found is None or found.kind not in kinds:
        raise ValidationFailed(f"'{word[:20]}' is not a period: use {_examples(kinds)}")
    return found


def _examples(kinds: frozenset[Kind]) -> str:
    shown = [k.value for k in (Kind.MONTH, Kind.QUARTER) if k in kinds]
    shown += [e for k, e in ((Kind.MONTH, "2026-10"), (Kind.QUARTER, "2026-Q3"), (Kind.YEAR, "2026")) if k in kinds]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
