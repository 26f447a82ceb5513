"""Feedback at closure: "parental feedback … requested at point of closure". When a directory import
marks a case closed, its allocated worker is asked once, by card, whether to send the family a link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from plf_core.notices import NoticeData, kind

RECENT_DAYS = 28  # a closure older than this when imported (a correction of old data) asks nobody


@kind
@dataclass(frozen=True)
class FeedbackAtClosure(NoticeData):
    """To the case's allocated worker: the case has closed; a link for the family, if they want one."""

    KEYS: ClassVar[Mapping[str, str]] = {}
    KIND = "feedback_at_closure"
    case: str
    closed_on: date | None
    team: str = ""


def dedupe_key(case_id: int, closed_on: date) -> str:
    """Once per closing, whatever imports follow (a case that reopens and closes again on another day is
    asked again)."""
    return f"feedback-closure:{case_id}:{closed_on.isoformat()}"


def not_asked(changes: list[tuple[str, date | None, date | None]], today: date) -> list[str]:
    """The cases an import closes (case, was, now) whose workers are not asked: a closing day over
    RECENT_DAYS ago, or one still to come (a mistake in the file, most likely)."""
    return [case for case, was, now in changes if was is None and now is not None and not newly_closed(was, now, today)]


def newly_closed(was: date | None, now: date | None, today: date) -> bool:
    """An import that closes a case (it was open) with a recent closing date asks its worker."""
    return now is not None and was is None and today - timedelta(days=RECENT_DAYS) <= now <= today
