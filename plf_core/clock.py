"""Time comes into the core as an argument: a Clock, built once in the composition root.

Nothing else reads the system time. A clock knows the framework's time zone (the `TIMEZONE`
setting), so "today" is always the local date of "now".

- `SystemClock`: the real time.
- `RunningClock`: starts at a chosen instant and runs from there (the `PLF_NOW` setting, local
  mode only: tests, the demo and training on the day before a deadline).
- `FixedClock`: moves only when told to (unit tests and simulations).
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")  # the default only: the zone comes from the TIMEZONE setting


class Clock(Protocol):
    @property
    def zone(self) -> ZoneInfo:
        """The framework's time zone: its days, months and working hours."""
        ...

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...

    def today(self) -> date:
        """The current date in the framework's time zone."""
        ...


class _Zoned:
    def __init__(self, zone: ZoneInfo | None) -> None:
        self._zone = zone or LONDON

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def now(self) -> datetime:
        raise NotImplementedError

    def today(self) -> date:
        return self.now().astimezone(self._zone).date()


class SystemClock(_Zoned):
    def __init__(self, zone: ZoneInfo | None = None) -> None:
        super().__init__(zone)

    def now(self) -> datetime:
        return datetime.now(UTC)


class RunningClock(_Zoned):
    """Starts at `start` and runs at the pace of real time from there."""

    def __init__(self, start: datetime, zone: ZoneInfo | None = None) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs a timezone-aware datetime")
        super().__init__(zone)
        self._start = start.astimezone(UTC)
        self._began = _time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=_time.monotonic() - self._began)


class FixedClock(_Zoned):
    """A clock that moves only when told to: for tests and simulations."""

    def __init__(self, at: datetime, zone: ZoneInfo | None = None) -> None:
        super().__init__(zone)
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = _aware(at)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("FixedClock needs a timezone-aware datetime")
    return at.astimezone(UTC)


def parse_instant(text: str, zone: ZoneInfo) -> datetime:
    """'2026-12-24T09:05' (local time in `zone`), '2026-12-24' (local midnight) or an ISO instant
    with an offset, as an aware datetime; ValueError naming the expected shape otherwise."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time such as 2026-12-24T09:05") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
