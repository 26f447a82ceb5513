"""Working days (Monday to Friday, less the England and Wales bank holidays) and working hours.

The bank holidays come from the maintained `holidays` library (not a hand-written list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (or before, if negative)."""
    step = 1 if days >= 0 else -1
    day, left = start, abs(days)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


@dataclass(frozen=True)
class Hours:
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` if it is within working hours on a working day, else the next opening."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if is_working_day(day) and self.opens <= local.time() < self.closes:
            return moment
        if not is_working_day(day) or local.time() >= self.closes:
            day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, tzinfo=self.zone)

    def send_time(self, due: date) -> datetime:
        """A notice due on a day goes at that day's opening, or the next working day's."""
        return self.next_opening(datetime.combine(due, self.opens, tzinfo=self.zone))

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """`minutes` of working time after `moment`: 60 minutes from 16:30 on a Friday is 09:30 on Monday
        (from 22:00, 10:00 the next working morning)."""
        at, left = self.next_opening(moment), timedelta(minutes=minutes)
        while True:
            local = at.astimezone(self.zone)
            closing = datetime.combine(local.date(), self.closes, tzinfo=self.zone)
            if at + left <= closing:
                return at + left
            left -= closing - at
            at = self.next_opening(closing)
