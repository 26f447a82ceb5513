"""What the follow-ups repository records and returns about an action plan's actions (plf_core.ports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PlannedAction:
    """A row of an audit's action plan, to track: what, who (as typed) and by when. The owner is the
    person of that name in the directory, else `default_owner_id`."""

    text: str
    who: str
    deadline: date | None
    default_owner_id: int | None
    row: int = 0  # its number in the plan (Action 1, 2, ...)


@dataclass(frozen=True)
class ActionRecord:
    """An action being followed up: for its owner's card and for 'done'."""

    action_id: int
    audit_id: int | None
    text: str
    owner_id: int | None
    deadline: date | None
    status: str  # open, not_yet, done
    confirmed_by: str = ""
    confirmed_at: datetime | None = None
    row: int = 0
