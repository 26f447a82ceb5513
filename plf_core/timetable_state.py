"""What the timetable engine reads: the cycles, open audits, moderations, dip samples and PIMs
as of now, loaded by the store and handed to `plf_core.timetable.due_notices`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plf_core.feedback.meeting import AreaFeedback
    from plf_core.timetable import Recipient


@dataclass(frozen=True)
class CycleState:
    code: str
    starts_on: date
    due_on: date


@dataclass(frozen=True)
class OpenAudit:
    audit_id: int
    case_ref: str
    team: str
    due_on: date | None
    practitioner_id: int | None
    second_person_id: int | None
    practice_lead_id: int | None
    service_manager_id: int | None
    head_of_service_id: int | None
    moderation_outstanding: bool = False


@dataclass(frozen=True)
class ModeratedAudit:
    audit_id: int
    case_ref: str
    moderated_on: date
    confirmed: bool
    practitioner_id: int | None
    practice_lead_id: int | None
    service_manager_id: int | None
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentDip:
    dip_id: int
    theme: str
    sent_on: date
    agreed: bool
    confirmed: bool
    head_of_service_id: int | None
    service_manager_ids: tuple[int, ...] = ()  # of the teams its Head of Service leads: they update its actions


@dataclass(frozen=True)
class PimDue:
    audit_id: int
    case_ref: str
    due_on: date
    held: bool
    head_of_service_id: int | None


@dataclass(frozen=True)
class OpenReview:
    """A thematic or supervision review not yet returned, with who completes it and the case's managers."""

    audit_id: int
    form: str  # the form's title
    case_ref: str
    due_on: date
    practitioner_id: int | None
    second_person_id: int | None
    service_manager_id: int | None
    head_of_service_id: int | None


@dataclass(frozen=True)
class TrackedAction:
    """An action from an audit's action plan, with its deadline, owner and the case's managers. Its
    text is not here: what was typed stays in the audit (notices name the case and the deadline)."""

    action_id: int
    audit_id: int
    case_ref: str
    owner: str
    deadline: date
    done: bool
    owner_id: int | None
    practice_lead_id: int | None
    service_manager_id: int | None


@dataclass(frozen=True)
class State:
    cycles: Sequence[CycleState] = ()
    open_audits: Sequence[OpenAudit] = ()
    moderated: Sequence[ModeratedAudit] = ()
    dips: Sequence[SentDip] = ()
    pims: Sequence[PimDue] = ()
    people_by_role: Mapping[Recipient, Sequence[int]] = field(default_factory=dict)
    #: for SLT's escalation: moderations requested and not done, actions past their deadline
    moderations_outstanding: int = 0
    actions_unconfirmed: int = 0
    actions: Sequence[TrackedAction] = ()
    #: for SLT's escalation: the cycle that has started with none of its audits drawn ('' when drawn)
    quota_missing: str = ""
    reviews: Sequence[OpenReview] = ()
    #: each service area's feedback over a quarter just ended (plf_core.feedback.meeting)
    feedback: Sequence[AreaFeedback] = ()
