"""The port of immediate concerns: raised, escalated level by level, acknowledged, listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class NewConcern:
    description: str
    at_risk_now: bool
    raised_by_id: int | None
    raised_at: datetime
    next_escalation_at: datetime | None
    case_id: int | None = None
    audit_id: int | None = None
    page_id: str | None = None
    dip_sample_id: int | None = None
    action_id: int | None = None
    area_id: int | None = None


@dataclass(frozen=True)
class ConcernBox:
    """What a page card's "Raise an immediate concern" box shows again: what was typed and why it was
    refused; or that a concern was just sent from it (the box is then empty again)."""

    text: str = ""
    at_risk: bool = False
    error: str | None = None
    sent: bool = False


@dataclass(frozen=True)
class ConcernRow:
    """A concern as stored, with the names a card needs (case id, never a child's name)."""

    concern_id: int
    description: str
    at_risk_now: bool
    raised_at: datetime
    level: int
    case_ref: str | None = None
    team_name: str = ""
    area_id: int | None = None
    area_name: str = ""
    audit_id: int | None = None
    form_id: str | None = None
    page_id: str | None = None
    dip_sample_id: int | None = None
    raised_by_id: int | None = None
    raised_by_name: str = ""
    next_escalation_at: datetime | None = None
    acknowledged_by_id: int | None = None
    acknowledged_by_name: str = ""
    acknowledged_at: datetime | None = None
    #: the case's leaders now (a dip sample's: its Head of Service)
    practice_lead_id: int | None = None
    service_manager_id: int | None = None
    head_of_service_id: int | None = None


class Concerns(Protocol):
    async def add(self, new: NewConcern) -> int: ...

    async def get(self, concern_id: int, *, lock: bool = False) -> ConcernRow | None: ...

    async def of_action(self, action_id: int) -> int | None:
        """The concern a dip sample's action raised, if it raised one."""
        ...

    async def acknowledge(self, concern_id: int, person_id: int, at: datetime) -> bool:
        """Recorded only if nobody has yet: True if this person is now the one who has it."""
        ...

    async def due_escalations(self, now: datetime, limit: int) -> list[ConcernRow]:
        """Unacknowledged concerns whose next escalation is due, claimed (SKIP LOCKED on PostgreSQL)."""
        ...

    async def escalated(self, concern_id: int, level: int, next_at: datetime | None) -> None: ...

    async def undelivered(self, concern_id: int, level: int) -> bool:
        """Whether every card of this level was sent and none could be delivered."""
        ...

    async def listed(self, area_ids: Sequence[int] | None, since: datetime, limit: int) -> list[ConcernRow]:
        """Raised since `since`, newest first; `area_ids` None for every area."""
        ...
