"""The port of feedback: requests (one per link) and the answers a family gave on one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from plf_core.feedback.form import Audience
from plf_core.feedback.links import LinkTimes


@dataclass(frozen=True)
class NewRequest:
    token_hash: str
    case_id: int
    audience: Audience
    occasion: str  # "asked" (feedback CASE, or an audit's button) or "closure" (the case closed)
    requested_by_id: int | None
    audit_id: int | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class RequestRow:
    request_id: int
    case_id: int
    audience: Audience
    occasion: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    requested_by_id: int | None = None  # who asked for the link: told when the family answers
    case_ref: str = ""  # the case's Azeus number, for the staff who are told

    @property
    def times(self) -> LinkTimes:
        return LinkTimes(self.expires_at, self.used_at)


@dataclass(frozen=True)
class FeedbackCase:
    """A case as asking for feedback needs it: who works it and who leads it (never a name of the child)."""

    case_id: int
    azeus_number: str
    team_id: int
    service_area_id: int
    allocated_worker_id: int | None
    practice_lead_id: int | None
    service_manager_id: int | None
    closed_on: date | None = None


@dataclass(frozen=True)
class GivenFeedback:
    """One family's answers, as the next audit of the case shows them."""

    request_id: int
    audience: Audience
    occasion: str
    received_at: datetime
    answers: Mapping[str, int | str]
    flagged: bool
    worded: tuple[tuple[str, str], ...] = ()  # each answer with its question, as the family read it


@dataclass(frozen=True)
class FeedbackRecord:
    """One set of answers for the highlight report: where the case sits, never who it is."""

    service_area: str
    team_code: str
    cohort: str
    audience: Audience
    received_at: datetime
    answers: Mapping[str, int | str]


class Feedback(Protocol):
    async def case(self, azeus_number: str) -> FeedbackCase | None: ...

    async def area_of(self, case_id: int) -> int | None:
        """The service area the case's team is in."""
        ...

    async def add_request(self, new: NewRequest) -> int: ...

    async def request_by_token(self, token_hash: str) -> RequestRow | None: ...

    async def record(
        self,
        request: RequestRow,
        answers: Mapping[str, int | str],
        worded: Sequence[tuple[str, str]],
        received_at: datetime,
        flagged: bool,
    ) -> bool:
        """The answers stored and the link used up, in one go; False (nothing stored) if it was already used."""
        ...

    async def latest(self, case_id: int, limit: int = 2) -> list[GivenFeedback]:
        """The case's newest answers first."""
        ...
