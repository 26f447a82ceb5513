"""The ports the workflow needs, as Protocols: the store implements them, tests may fake them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from plf_core.audits import AuditView, CaseRef
from plf_core.forms.validation import Value
from plf_core.outcomes import OutcomeScales
from plf_core.people import Actor
from plf_core.vocabulary import Grade


@dataclass(frozen=True)
class PersonSummary:
    person_id: int
    name: str
    email: str
    team_id: int | None


@dataclass(frozen=True)
class TeamLeaders:
    practice_lead_id: int | None
    service_manager_id: int | None
    head_of_service_id: int | None


@dataclass(frozen=True)
class Notice:
    """A proactive message to write to the outbox: rendered into a card when it is sent."""

    dedupe_key: str
    person_id: int
    kind: str
    data: Mapping[str, object] = field(default_factory=dict)
    urgent: bool = False


@dataclass(frozen=True)
class UnknownSender:
    aad_object_id: str
    name: str
    first_seen: datetime
    last_seen: datetime
    messages: int


class AuditStore(Protocol):
    async def find_person(self, ref: str) -> PersonSummary | None: ...

    async def person_name(self, person_id: int) -> str: ...

    async def find_case(self, azeus_number: str) -> CaseRef | None: ...

    async def case_cohort(self, case_id: int) -> str | None: ...

    async def audit(self, audit_id: int, *, lock: bool = False) -> AuditView | None: ...

    async def open_audits(self, actor: Actor) -> list[AuditView]: ...

    async def audits_to_moderate(self, moderator_id: int) -> list[AuditView]: ...

    async def open_audit_of(self, form_id: str, case_id: int, practitioner_id: int) -> int | None: ...

    async def cycle_due_on(self, day: date) -> date | None: ...

    async def create_audit(
        self,
        *,
        form_id: str,
        case_id: int | None,
        practitioner_id: int,
        second_person_id: int | None,
        due_on: date | None,
        parent_audit_id: int | None = None,
    ) -> int: ...

    async def save_answers(
        self,
        audit_id: int,
        expected_version: int,
        page_id: str,
        values: Mapping[str, Value],
        by: int,
        current_page: str,
        status: str,
    ) -> bool: ...

    async def submit(
        self, audit_id: int, expected_version: int, by: int, at: datetime, final_grade: Grade | None
    ) -> bool: ...

    async def set_pim_due(self, audit_id: int, due_on: date) -> None: ...

    async def set_pim_held(self, audit_id: int, held_on: date) -> None: ...

    async def mark_uploaded(self, audit_id: int, by: int, at: datetime) -> bool: ...

    async def team_leaders(self, team_id: int) -> TeamLeaders: ...

    async def qa_people(self) -> list[int]: ...

    async def add_notice(self, notice: Notice) -> None: ...

    async def record_scores(self, audit_id: int, grades: Mapping[str, Grade], scales: OutcomeScales) -> None:
        """A returned audit's overall grades (by who gave them) and outcome scales, kept for reports."""
        ...

    async def log_access(
        self, actor: Actor | None, action: str, audit_id: int | None, activity_id: str | None, outcome: str
    ) -> None: ...

    async def unknown_senders(self) -> list[UnknownSender]: ...
