"""Retention: how long each kind of record is kept, from the council's schedule. Nothing is
deleted unless the schedule says so (there is no default period), and a case under legal hold
keeps everything about it whatever the schedule (its audits and its families' feedback alike).

The schedule is a small YAML mapping of record type to a period (`90d`, `26w`, `7y`):

    audits: 7y           # returned audits (answers, grades, scales, moderations, actions), from submission
    outbox: 90d          # messages once delivered, merged, cancelled, failed or dead, from creation
    unknown_senders: 30d # people not in the directory who wrote to the bot, from their last message
    sampling_draws: 7y   # the record of each sample drawn, from the draw
    feedback: 2y         # families' feedback links and their answers, from the link's creation and the answer's receipt

The access log is not in the schedule: it is append-only, and kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from plf_core.errors import Problem, ValidationFailed


class RecordType(StrEnum):
    AUDITS = "audits"
    OUTBOX = "outbox"
    UNKNOWN_SENDERS = "unknown_senders"
    SAMPLING_DRAWS = "sampling_draws"
    FEEDBACK = "feedback"  # a feedback link (request) and the answers given on it, as one record


UNITS = {"d": 1, "w": 7, "y": 365}
MAX_DAYS = 100 * 365


@dataclass(frozen=True)
class Schedule:
    """Days each record type is kept; a type absent from it is kept indefinitely."""

    keep_days: Mapping[RecordType, int]

    def cutoff(self, record: RecordType, today: date) -> date | None:
        """Records that closed before this day may go (None: this type is never deleted)."""
        days = self.keep_days.get(record)
        return None if days is None else today - timedelta(days=days)


def parse_schedule(document: object) -> Schedule:
    """The schedule from the YAML document (a mapping); every problem is named."""
    if document is None:
        return Schedule({})
    if not isinstance(document, Mapping):
        raise ValidationFailed("the retention schedule must be a mapping of record type to period, e.g. 'audits: 7y'")
    keep: dict[RecordType, int] = {}
    problems: list[Problem] = []
    for key, value in document.items():
        try:
            record = RecordType(str(key))
        except ValueError:
            known = ", ".join(r.value for r in RecordType)
            problems.append(Problem(str(key), f"not a record type (the types are: {known})"))
            continue
        if value is None or value == "":
            continue  # blank: kept
        match = re.fullmatch(r"\s*(\d{1,6})\s*([dwy])\s*", str(value))
        if not match:
            problems.append(Problem(record.value, f"'{value}' is not a period such as 90d, 26w or 7y"))
            continue
        days = int(match[1]) * UNITS[match[2]]
        if not 1 <= days <= MAX_DAYS:
            problems.append(Problem(record.value, f"'{value}' must be between 1 day and 100 years"))
            continue
        keep[record] = days
    if problems:
        raise ValidationFailed("the retention schedule has problems", problems)
    return Schedule(keep)


@dataclass(frozen=True)
class Candidates:
    """What the schedule would delete today: per record type, how many, and for audits the cases."""

    counts: Mapping[RecordType, int]
    held_back: int  # audits kept because their case is under legal hold
    audit_cases: tuple[str, ...] = ()
    feedback_held_back: int = 0  # feedback links (and answers) kept because their case is under legal hold

    @property
    def total(self) -> int:
        return sum(self.counts.values())
