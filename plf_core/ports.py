"""The ports: what the use cases ask of persistence, as Protocols (CONVENTIONS.md, practice 5).

One unit of work is one transaction (cosmicpython's `AbstractUnitOfWork`): it exposes a repository
per aggregate and counts the notices written, so the edge can wake the dispatcher after it commits.
`store.unit_of_work.SqlUnitOfWork` implements it on SQL; `tests/fakes/store.py` in memory.

    AbstractUnitOfWork
    ├── people          who is who: people, their roles, teams, service areas, cases
    ├── audits          audits and their answers
    ├── moderations     the layered audit: returns, requests, moderating, agreement rows
    ├── sampling        the population to draw from and the recorded draws
    ├── dips            dip samples and their steps
    ├── follow_ups      actions confirmed or not yet, snoozes, the cycle's data request
    ├── timetable       the state the timetable engine reads, the notices it writes, status
    ├── outbox          notices to deliver, and the dispatcher's claims on them
    ├── conversations   where each person is reached in Teams
    ├── reports         the highlight report, the outcomes picture, a report's scope
    ├── access          the access log and people not in the directory
    └── concerns        immediate concerns raised while auditing, until someone has them
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from plf_core.access_ports import Access as Access
from plf_core.access_ports import UnknownSender as UnknownSender
from plf_core.action_records import ActionRecord as ActionRecord
from plf_core.action_records import PlannedAction as PlannedAction
from plf_core.concern_ports import Concerns as Concerns
from plf_core.evidence_ports import EvidenceRepositories
from plf_core.feedback.ports import Feedback as Feedback
from plf_core.notices import NoticeData
from plf_core.outbox_ports import Conversations as Conversations
from plf_core.outbox_ports import Outbox as Outbox

if TYPE_CHECKING:
    from plf_core.audits import AuditView, CaseRef
    from plf_core.dips import DipActionRow, DipRow
    from plf_core.figures import Figures
    from plf_core.forms.validation import Value
    from plf_core.highlight import HighlightReport
    from plf_core.moderating import ModerationResult, ModerationRow
    from plf_core.moderation import Moderated, Request, Returned
    from plf_core.notices import DipAction
    from plf_core.outcomes import OutcomeScales, OutcomesPicture
    from plf_core.people import Actor
    from plf_core.periods import Period
    from plf_core.sampling import CaseFacts, Draw
    from plf_core.timetable import DueNotice, Rule, State
    from plf_core.vocabulary import Grade, Role


@dataclass(frozen=True)
class PersonSummary:
    person_id: int
    name: str
    email: str
    team_id: int | None
    team_name: str | None = None  # filled where people are found by what was typed (to tell two apart)
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamLeaders:
    practice_lead_id: int | None
    service_manager_id: int | None
    head_of_service_id: int | None


@dataclass(frozen=True)
class Notice:
    """A proactive message to write to the outbox, once (by its dedupe key): what it says is typed
    (plf_core.notices); it is rendered into a card when it is sent."""

    dedupe_key: str
    person_id: int
    data: NoticeData
    urgent: bool = False

    @property
    def kind(self) -> str:
        return self.data.KIND


class People(Protocol):
    async def actor_by_aad(self, aad_object_id: str) -> Actor | None: ...

    async def actor_of(self, person_id: int) -> Actor | None: ...

    async def find_person(self, ref: str) -> PersonSummary | None: ...

    async def find_people(self, ref: str) -> list[PersonSummary]:
        """Who a typed id, email, Entra id or name (any case; may be several) is, with team and roles."""
        ...

    async def similar_names(self, ref: str) -> list[str]:
        """Up to three active people's names close to a mistyped one."""
        ...

    async def person_name(self, person_id: int) -> str: ...

    async def people_names(self, person_ids: Sequence[int]) -> dict[int, str]: ...

    async def qa_people(self) -> list[int]: ...

    async def people_with_roles(self, roles: Sequence[str]) -> list[int]: ...

    async def area_managers(self) -> dict[int, list[int]]:
        """Each service area's Heads of Service and Service Managers (of any of its teams)."""
        ...

    async def has_role(self, person_id: int, role: Role) -> bool: ...

    async def team_leaders(self, team_id: int) -> TeamLeaders: ...

    async def find_case(self, azeus_number: str) -> CaseRef | None: ...

    async def case_cohort(self, case_id: int) -> str | None: ...

    async def cases_of(self, worker_id: int, limit: int = 50) -> list[CaseRef]:
        """The cases allocated to this worker, oldest first."""
        ...

    async def known_names(self) -> tuple[list[str], list[str]]:
        """The team codes and the service area names."""
        ...

    async def scope_teams(self, scope: str | None) -> tuple[str, ...] | None:
        """A team code or a service area name to its team codes; an unknown one is named with close ones."""
        ...

    async def area_name(self, area_id: int) -> str: ...


class Audits(Protocol):
    async def get(self, audit_id: int, *, lock: bool = False) -> AuditView | None: ...

    async def answers_of(self, audit_id: int) -> dict[str, Value]: ...

    async def page_answers_at(self, audit_id: int, page_id: str, version: int) -> dict[str, Value]:
        """A page's answers as they were at the audit's `version` (what a card made then showed)."""
        ...

    async def saved_by(self, audit_id: int, page_ids: Collection[str]) -> dict[str, str]:
        """page id -> the name of whoever saved that page's latest answers."""
        ...

    async def open_for(self, actor: Actor) -> list[AuditView]: ...

    async def to_moderate(self, moderator_id: int) -> list[AuditView]: ...

    async def open_of(self, form_id: str, case_id: int, practitioner_id: int) -> int | None: ...

    async def open_on_case(self, case_id: int) -> list[AuditView]:
        """Every open audit on a case, of any form (without answers)."""
        ...

    async def cycle_due_on(self, day: date) -> date | None: ...

    async def create(
        self,
        *,
        form_id: str,
        case_id: int | None,
        practitioner_id: int,
        second_person_id: int | None,
        due_on: date | None,
        parent_audit_id: int | None = None,
    ) -> int: ...

    async def set_subject(self, audit_id: int, person_id: int) -> None:
        """The person whose work this review is about (a supervision review's supervisor)."""
        ...

    async def supervisors_due(self, since: date) -> list[tuple[int, str]]:
        """Practice Leads with no supervision review of their records assigned since `since`: (id, name)."""
        ...

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

    async def record_scores(self, audit_id: int, grades: Mapping[str, Grade], scales: OutcomeScales) -> None:
        """A returned audit's overall grades (by who gave them) and outcome scales, kept for reports."""
        ...

    async def set_pim_due(self, audit_id: int, due_on: date) -> None: ...

    async def set_pim_held(self, audit_id: int, held_on: date) -> None: ...

    async def mark_uploaded(self, audit_id: int, by: int, at: datetime) -> bool: ...

    async def link_to_draw(self, audit_id: int, draw_id: int) -> None: ...


class Moderations(Protocol):
    async def returned(self, start: date, end: date) -> list[Returned]:
        """Practice Learning Conversations returned in [start, end) (local days)."""
        ...

    async def requests_for(self, audit_ids: Sequence[int]) -> list[Request]: ...

    async def stream_count(self, stream: str, start: date, end: date) -> int: ...

    async def add(self, audit_id: int, moderator_id: int, stream: str) -> int | None: ...

    async def of(self, audit_id: int, moderator_id: int) -> ModerationRow | None: ...

    async def save_draft(self, moderation_id: int, draft: Mapping[str, object]) -> None: ...

    async def complete(self, result: ModerationResult, by: int, at: datetime) -> bool: ...

    async def moderated(self, start: date, end: date) -> list[Moderated]: ...


class Sampling(Protocol):
    async def population(self, today: date) -> list[CaseFacts]: ...

    async def draw_with_fingerprint(self, fingerprint: str, seed: int) -> int | None: ...

    async def record_draw(self, purpose: str, result: Draw, fingerprint: str, by: int) -> int: ...

    async def quota_drawn_since(self, day: date) -> bool:
        """Whether a quota of audits (a 'plc' draw) was created on or after `day`."""
        ...


class Dips(Protocol):
    async def create(self, theme: str, audit_id: int, by: int, at: datetime) -> int: ...

    async def get(self, dip_id: int) -> DipRow | None: ...

    async def recent(self) -> list[DipRow]: ...

    async def record_step(
        self, dip_id: int, step: str, by: int, at: datetime, head_of_service_id: int | None = None
    ) -> bool: ...

    async def add_actions(self, dip_id: int, actions: Sequence[DipAction], at: datetime) -> None: ...

    async def actions(self, dip_id: int) -> list[DipActionRow]:
        """The dip sample's actions in the order of its Terms of Reference."""
        ...

    async def update_action(self, action_id: int, progress: str, at: datetime) -> None: ...

    async def link_draw(self, dip_id: int, draw_id: int) -> None:
        """The dip sample's cohort is this draw."""
        ...

    async def service_managers(self, head_of_service_id: int) -> list[int]:
        """The Service Managers of the teams this Head of Service leads: who updates the dip's actions."""
        ...


class FollowUps(Protocol):
    async def confirm_actions(self, audit_id: int, by: int, at: datetime) -> int: ...

    async def record_actions(
        self, audit_id: int, planned: Sequence[PlannedAction], at: datetime
    ) -> list[ActionRecord]: ...

    async def action(self, action_id: int) -> ActionRecord | None: ...

    async def action_done(self, action_id: int, by: int, at: datetime) -> bool:
        """False when it was already done (nothing changed)."""
        ...

    async def action_counts(self, audit_id: int) -> tuple[int, int]:
        """(still open, recorded in all) for an audit."""
        ...

    async def action_ids(self, audit_id: int) -> list[int]: ...

    async def actions_not_yet(self, audit_id: int, reason: str, at: datetime) -> int: ...

    async def snooze(self, person_id: int, until: date) -> None: ...

    async def mark_data_sent(self, cycle: str, by: int, at: datetime) -> tuple[bool, str, datetime] | None: ...

    async def data_sent(self, cycle: str) -> tuple[str, datetime] | None: ...


class Timetable(Protocol):
    async def ensure_cycles(self, cycles: Sequence[Period]) -> int:
        """The cycle calendar holds each of `cycles` (added once, never changed); returns how many were new."""
        ...

    async def state(self, rules: Sequence[Rule], day: date, *, with_open_audits: bool = False) -> State: ...

    async def write_due(self, notices: Sequence[DueNotice], *, digest: bool) -> int:
        """Each notice once; reminders (`digest`) join the person's digest for the day."""
        ...


class Reports(Protocol):
    async def scope(self, text: str | None) -> tuple[int | None, str]: ...

    async def highlight(
        self,
        period: Period,
        area_id: int | None,
        scope: str,
        progress: Callable[[str], None] = ...,
        team: str | None = None,
    ) -> HighlightReport:
        """`team`: one team's report (its code), else the service area's or the whole service's."""
        ...

    async def team_of(self, team_id: int) -> tuple[str, str] | None:
        """A team's (code, name)."""
        ...

    async def outcomes_picture(self, audit_id: int) -> OutcomesPicture | None: ...

    async def figures(self, period: Period, teams: tuple[str, ...] | None, today: date) -> Figures:
        """plf_core.figures for a period, for some teams' codes (None: the whole service)."""
        ...


class AbstractUnitOfWork(EvidenceRepositories, Protocol):
    """One transaction: `async with` begins it, commits when the block ends normally, rolls back otherwise."""

    async def __aenter__(self) -> AbstractUnitOfWork: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    @property
    def people(self) -> People: ...

    @property
    def audits(self) -> Audits: ...

    @property
    def moderations(self) -> Moderations: ...

    @property
    def sampling(self) -> Sampling: ...

    @property
    def dips(self) -> Dips: ...

    @property
    def follow_ups(self) -> FollowUps: ...

    @property
    def timetable(self) -> Timetable: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def reports(self) -> Reports: ...

    @property
    def access(self) -> Access: ...

    @property
    def concerns(self) -> Concerns: ...

    @property
    def feedback(self) -> Feedback: ...

    @property
    def notices_added(self) -> int:
        """Notices written in this unit of work: the dispatcher is woken once it commits."""
        ...


#: what the composition root hands out: each call, a new unit of work to `async with`
UnitOfWorkFactory = Callable[[], AbstractUnitOfWork]
