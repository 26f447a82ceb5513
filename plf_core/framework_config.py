"""The framework's numbers, in one place: the `framework:` section of the timetable's configuration,
beside the rules that use them, checked at start-up (a card never states a number the configuration
contradicts).

The framework leaves some things open and this settles them (README, "The framework"):
- lines 441 and 445 speak of monthly reviews, line 483 of three a quarter: the audit cycle is a
  calendar quarter (`cycle: quarter`) with `audits_per_practice_lead` (3) drawn at its start, and the
  monthly reminder keeps each month's reviews moving; `cycle: month` makes every month a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

from plf_core import periods
from plf_core.errors import ValidationFailed
from plf_core.periods import Kind, Period
from plf_core.timetable import Rule, Trigger, Unless


@dataclass(frozen=True)
class Framework:
    #: the audit cycle: a calendar quarter (line 483) or a month (lines 441, 445)
    cycle: str = "quarter"
    #: how many cycles ahead the service keeps in the calendar (the sweep adds them as time passes)
    cycles_ahead: int = 2
    #: audits drawn per Practice Lead at each cycle's start (line 483)
    audits_per_practice_lead: int = 3
    #: share of a dip sample's cohort that goes to Practice Learning Review, in percent (line 515)
    dip_review_percent: int = 25
    #: days the Head of Service has to agree a dip sample's actions (line 545)
    dip_agree_days: int = 7
    #: days a moderator has to moderate an audit
    moderate_within_days: int = 28
    #: working days from a Red audit to its Practice Improvement Meeting
    pim_working_days: int = 10
    #: the working day of each month on which last month's highlight report goes to the managers
    monthly_report_working_day: int = 3
    #: the working day of each quarter on which last quarter's learning report goes to the managers
    quarterly_report_working_day: int = 5
    #: minutes after an immediate concern is raised, unacknowledged, that it goes to the Head of Service
    #: (working minutes; by the clock when the child may be at risk now)
    concern_escalate_minutes: int = 60
    #: and a further number of minutes after that, to the Director of Operations
    concern_escalate_again_minutes: int = 60

    @property
    def dip_review_share(self) -> float:
        return self.dip_review_percent / 100

    def cycle_containing(self, day: date) -> Period:
        return periods.containing(Kind(self.cycle), day)

    def cycles_around(self, day: date) -> list[Period]:
        """The cycle holding `day`, the one before, and `cycles_ahead` after it, in order."""
        found = [self.cycle_containing(day).previous(), self.cycle_containing(day)]
        for _ in range(self.cycles_ahead):
            found.append(found[-1].following())
        return found


#: each number's allowed range: (least, most)
LIMITS: dict[str, tuple[int, int]] = {
    "cycles_ahead": (1, 8),
    "audits_per_practice_lead": (1, 50),
    "dip_review_percent": (1, 100),
    "dip_agree_days": (1, 60),
    "moderate_within_days": (1, 120),
    "pim_working_days": (1, 60),
    "monthly_report_working_day": (1, 15),
    "quarterly_report_working_day": (1, 30),
    "concern_escalate_minutes": (5, 1440),
    "concern_escalate_again_minutes": (5, 1440),
}


def parse_framework(data: object) -> Framework:
    """The `framework:` mapping (absent: every default). ValidationFailed names the key and the problem."""
    if data is None:
        return Framework()
    if not isinstance(data, Mapping):
        raise ValidationFailed("framework: should be a mapping of names to numbers")
    known = {f.name for f in fields(Framework)}
    extra = sorted(str(k) for k in set(data) - known)
    if extra:
        raise ValidationFailed(f"framework '{extra[0]}': unknown (known: {', '.join(sorted(known))})")
    values: dict[str, object] = {}
    for key, value in data.items():
        if key == "cycle":
            if value not in ("quarter", "month"):
                raise ValidationFailed(f"framework 'cycle': must be quarter or month, not '{value}'")
        else:
            low, high = LIMITS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValidationFailed(f"framework '{key}': must be a whole number from {low} to {high}, not '{value}'")
        values[key] = value
    return Framework(**values)  # type: ignore[arg-type]


def check_against_rules(framework: Framework, rules: Sequence[Rule]) -> None:
    """A rule that states one of the framework's numbers must state the same one: the Head of
    Service's reminder to agree a dip sample's actions comes when the card said they were due."""
    for n, rule in enumerate(rules, 1):
        if (
            rule.trigger is Trigger.DIP_SENT
            and rule.unless is Unless.AGREED
            and rule.offset != framework.dip_agree_days
        ):
            raise ValidationFailed(
                f"rule {n} ('{rule.id}'): offset {rule.offset} contradicts framework 'dip_agree_days' "
                f"({framework.dip_agree_days}): the card asks for the actions to be agreed within that many days"
            )
