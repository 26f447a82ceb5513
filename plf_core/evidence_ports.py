"""The port of evidence (issue 18): good-practice nominations and the decisions on them, and what the
inspection evidence pack reads besides the highlight report. `AbstractUnitOfWork` (plf_core.ports)
exposes it as `uow.evidence`; `store.good_practice_store.SqlEvidence` implements it on SQL and
`tests/fakes/evidence_repositories.py` in memory."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from plf_core.forms.validation import Value
    from plf_core.periods import Period


@dataclass(frozen=True)
class Decision:
    """A Head of Service's or QA's decision on one nomination."""

    decision: str  # confirmed | declined
    by: str  # who decided, by name
    at: datetime
    text_hash: str = ""  # the example as decided on ("" for decisions recorded before it was kept)


@dataclass(frozen=True)
class NominatedAudit:
    """A returned audit whose answers nominate good practice, as the store reads it: the latest answers
    of the pages that nominate or hold the example (plf_core.good_practice says which), who saved each,
    and the decisions already taken on its nominations (by field)."""

    audit_id: int
    form_id: str
    case: str
    team: str
    area_id: int
    area: str
    grade: str | None
    submitted_at: datetime
    answers: Mapping[str, Value]  # the latest answers of those pages, by field id
    saved_by: Mapping[str, str] = field(default_factory=dict)  # page id -> who saved its latest answers
    practitioner: str | None = None
    second_person: str | None = None
    decisions: Mapping[str, Decision] = field(default_factory=dict)  # field id -> the decision on it


@dataclass(frozen=True)
class VolumeRow:
    """A service area's part of the audit programme in a period."""

    area: str
    practice_leads: int  # the Practice Leads of its teams: each is drawn the quota every cycle
    assigned: int  # Practice Learning Conversations due in the period
    returned: int  # returned in the period
    outstanding: int  # due in it and not returned by its end


class Evidence(Protocol):
    async def areas(self) -> list[tuple[int, str, str]]:
        """Every service area: (id, code, name)."""
        ...

    async def nominated(
        self, area_ids: Collection[int] | None, period: Period | None, audit_id: int | None = None
    ) -> list[NominatedAudit]:
        """Returned audits that nominate good practice (in these areas, returned in the period), newest first."""
        ...

    async def decide(
        self, audit_id: int, field_id: str, decision: str, by: int, at: datetime, text_hash: str = ""
    ) -> Decision | None:
        """Record the decision unless one was taken already on the same words: None when recorded now (a
        decision on words changed since is replaced), else the earlier one."""
        ...

    async def volume(self, period: Period, today: date) -> list[VolumeRow]:
        """Each service area's Practice Leads, and its audits due, returned and outstanding in the period."""
        ...


class EvidenceRepositories(Protocol):
    """What the unit of work holds for issue 18's evidence (plf_core.ports.AbstractUnitOfWork includes it)."""

    @property
    def evidence(self) -> Evidence: ...
