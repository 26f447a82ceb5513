"""The instants every date-sensitive test runs on: the day `make test` was first found red, Christmas
Eve (a deadline a week away, bank holidays ahead), a leap day, the night the clocks go back (London),
and today. Use `at_instants` on a test that takes the `now` fixture."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plf_core.clock import RunningClock

LONDON = ZoneInfo("Europe/London")

INSTANTS: dict[str, datetime] = {
    "2026-12-02": datetime(2026, 12, 2, 10, 0, tzinfo=LONDON),
    "2026-12-24": datetime(2026, 12, 24, 10, 0, tzinfo=LONDON),
    "2028-02-29": datetime(2028, 2, 29, 10, 0, tzinfo=LONDON),
    "2026-10-25T00:30-london": datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
    "today": datetime.now(UTC).astimezone(LONDON).replace(second=0, microsecond=0),
}
#: the instant of every test that depends on the date but not on which date
DEFAULT_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)

at_instants = pytest.mark.parametrize("now", list(INSTANTS.values()), ids=list(INSTANTS), indirect=True)


class JumpingClock(RunningClock):
    """Runs at real time's pace from `start`, and can be moved on: an hour passes in a test in an instant,
    and the bot's own jobs see it."""

    def __init__(self, start: datetime, zone: ZoneInfo | None = None) -> None:
        super().__init__(start, zone)
        self._jumped = timedelta()

    def jump_to(self, moment: datetime) -> None:
        self._jumped += moment - self.now()

    def now(self) -> datetime:
        return super().now() + self._jumped
