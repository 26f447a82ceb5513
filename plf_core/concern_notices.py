"""The notices of an immediate concern: the urgent card to whoever must act, and the word to the person
who raised it that someone has it. Sent at once, day or night, never merged into a digest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from plf_core.notices import NoticeData, kind

#: the people each level of a concern reaches (3: nobody could be reached in Teams, so QA)
LEVELS = {
    0: "the case's Practice Lead and Service Manager",
    1: "the Head of Service",
    2: "the Director of Operations",
    3: "QA",
}
TOP_LEVEL = 2  # the last level it climbs to by time; QA only when nobody could be reached


@kind
@dataclass(frozen=True)
class ConcernNotReached(NoticeData):
    """To the person who raised it: nobody it was meant for could be reached in Teams; QA have it now."""

    KEYS: ClassVar[Mapping[str, str]] = {"concern_id": "concern"}
    KIND = "concern_not_reached"
    concern_id: int
    case: str
    raised: str


@kind
@dataclass(frozen=True)
class ImmediateConcern(NoticeData):
    """ "I'm dealing with this" on it acknowledges the concern for everyone it went to."""

    KEYS: ClassVar[Mapping[str, str]] = {"concern_id": "concern", "audit_id": "audit"}
    KIND = "immediate_concern"
    concern_id: int
    audit_id: int  # 0 for a dip sample's action
    case: str  # the case id ("" for a dip sample's action)
    team: str
    raised_by: str
    raised_at: str  # as staff read it: "Thu 3 Dec 2026, 22:00"
    where: str  # "Practice Learning Conversation, page 3 of 11" or "dip sample 4, action 2"
    description: str  # never stored in the outbox: read from the concern when the card is made
    at_risk: str  # "yes" when the person raising it said the child may be at risk now
    level: int  # 0 first, 1 the Head of Service, 2 the Director of Operations
    #: why it came to this person: "" first time; "nobody has acknowledged it in 60 minutes"; "the
    #: case has no Practice Lead or Service Manager"
    reason: str = ""

    def to_payload(self) -> dict[str, Any]:
        """Without the concern's words: the outbox holds no text about a child. The dispatcher reads them
        from the concern as it sends the card (`with_description`)."""
        return {k: v for k, v in super().to_payload().items() if k != "description"}

    def with_description(self, description: str) -> ImmediateConcern:
        return replace(self, description=description)


@kind
@dataclass(frozen=True)
class ConcernAcknowledged(NoticeData):
    """To the person who raised it: who has it now."""

    KEYS: ClassVar[Mapping[str, str]] = {"concern_id": "concern"}
    KIND = "concern_acknowledged"
    concern_id: int
    case: str
    by: str  # who pressed "I'm dealing with this", with their role
    at: str
    raised: str = ""  # "raised 22:00 on Thu 03 Dec from ... page 3 of 14": which of one's concerns it is
