"""An in-memory borough for the fakes: the rows a unit of work reads and writes, and helpers that
make a small directory (a service area, a team with its leaders, people, cases) in one line each."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from plf_core import periods
from plf_core.clock import Clock
from plf_core.vocabulary import Role


@dataclass
class PersonRow:
    id: int
    name: str
    email: str
    aad: str
    roles: set[Role]
    team_id: int | None = None
    active: bool = True
    reachable: bool = True


@dataclass
class TeamRow:
    id: int
    code: str
    name: str
    area_id: int
    practice_lead_id: int | None = None
    service_manager_id: int | None = None
    head_of_service_id: int | None = None


@dataclass
class CaseRow:
    id: int
    azeus: str
    team_id: int
    cohort: str = "cin"
    age: int = 9
    gender: str = "female"
    worker_id: int | None = None
    legal_status: str | None = None
    ehcp: bool = False


@dataclass
class AuditRow:
    id: int
    form_id: str
    case_id: int | None
    practitioner_id: int
    second_person_id: int | None
    due_on: date | None
    parent_audit_id: int | None = None
    status: str = "assigned"
    version: int = 1
    current_page: str | None = None
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # latest answers of each page
    saved_by: dict[str, int] = field(default_factory=dict)  # who saved each page last
    history: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)  # (version, page, answers)
    submitted_by_id: int | None = None
    submitted_at: datetime | None = None
    final_grade: str | None = None
    pim_due_on: date | None = None
    pim_held_on: date | None = None
    uploaded_at: datetime | None = None
    draw_id: int | None = None
    dip_id: int | None = None
    subject_id: int | None = None
    created_on: date | None = None


@dataclass
class ModerationRow:
    id: int
    audit_id: int
    moderator_id: int
    stream: str
    requested_at: datetime
    status: str = "requested"
    draft: dict[str, object] = field(default_factory=dict)
    original_grade: str | None = None
    moderated_grade: str | None = None
    reason: str | None = None
    completed_at: datetime | None = None


@dataclass
class ActionRow:
    id: int
    text: str
    audit_id: int | None = None
    dip_id: int | None = None
    owner_id: int | None = None
    deadline: date | None = None
    rag: str | None = None
    status: str = "open"
    reason: str | None = None
    confirmed_by_id: int | None = None
    progress: str = ""
    who: str = ""


@dataclass
class DipRowData:
    id: int
    theme: str
    status: str = "draft"
    head_of_service_id: int | None = None
    history: list[tuple[str, str, int | None]] = field(default_factory=list)
    sent_at: datetime | None = None
    draw_id: int | None = None


@dataclass
class OutboxRow:
    id: int
    dedupe_key: str
    person_id: int | None
    kind: str
    payload: dict[str, Any]
    not_before: datetime
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    claimed_until: datetime | None = None
    reported_on: date | None = None


@dataclass
class World:
    """Everything the fake unit of work holds: one borough, shared by the units of work of a test."""

    areas: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (code, name)
    teams: dict[int, TeamRow] = field(default_factory=dict)
    people: dict[int, PersonRow] = field(default_factory=dict)
    cases: dict[int, CaseRow] = field(default_factory=dict)
    cycles: dict[str, tuple[date, date]] = field(default_factory=dict)  # code -> (starts, due)
    audits: dict[int, AuditRow] = field(default_factory=dict)
    moderations: dict[int, ModerationRow] = field(default_factory=dict)
    draws: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (fingerprint, seed)
    draw_made: dict[int, tuple[str, datetime]] = field(default_factory=dict)  # id -> (purpose, when)
    dips: dict[int, DipRowData] = field(default_factory=dict)
    actions: dict[int, ActionRow] = field(default_factory=dict)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # aad -> {person_id, installed, ...}
    access_log: list[tuple[int | None, str, int | None, str]] = field(default_factory=list)
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)
    snoozes: dict[int, date] = field(default_factory=dict)
    data_sent: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    scores: dict[int, dict[str, object]] = field(default_factory=dict)
    concerns: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> the columns of a concern
    good_practice: dict[tuple[int, str], tuple[str, int, datetime, str]] = field(default_factory=dict)  # decisions
    feedback_requests: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> the columns of a request
    feedback_answers: dict[int, dict[str, Any]] = field(default_factory=dict)  # request id -> its answers
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self.ids)

    # --- building a borough -------------------------------------------------------------------

    def area(self, code: str = "N", name: str = "North") -> int:
        area_id = self.next_id()
        self.areas[area_id] = (code, name)
        return area_id

    def person(self, name: str, *roles: Role, team_id: int | None = None) -> int:
        person_id = self.next_id()
        slug = name.lower().replace(" ", ".")
        aad = f"00000000-0000-4000-8000-{person_id:012d}"
        self.people[person_id] = PersonRow(person_id, name, f"{slug}@demo.invalid", aad, set(roles), team_id)
        return person_id

    def team(self, code: str, area_id: int, *, lead: int | None, manager: int | None, head: int | None) -> int:
        team_id = self.next_id()
        self.teams[team_id] = TeamRow(team_id, code, f"Team {code}", area_id, lead, manager, head)
        if lead is not None and self.people[lead].team_id is None:
            self.people[lead].team_id = team_id
        return team_id

    def case(self, azeus: str, team_id: int, worker_id: int | None, **more: Any) -> int:
        case_id = self.next_id()
        self.cases[case_id] = CaseRow(case_id, azeus, team_id, worker_id=worker_id, **more)
        return case_id

    def cycles_around(self, day: date) -> None:
        for cycle in periods.cycles_around(day, 1, 3):
            self.cycles[cycle.code] = (cycle.starts, cycle.due_on)

    def notices(self, kind: str | None = None) -> list[OutboxRow]:
        return [row for row in self.outbox.values() if kind is None or row.kind == kind]


class FakeRepository:
    def __init__(self, world: World, clock: Clock) -> None:
        self.world = world
        self.clock = clock

    def local(self, moment: datetime) -> date:
        return periods.local_date(moment, self.clock.zone)


@dataclass(frozen=True)
class Borough:
    """A small borough: one service area, one team with its leaders, a practitioner with two cases,
    a second practitioner, QA, SLT and the Data & Impact team; ids by name."""

    world: World
    area: int
    team: int
    worker: int
    other_worker: int
    lead: int
    manager: int
    head: int
    qa: int
    qa_manager: int
    slt: int
    data: int
    case: int
    second_case: int


def small_borough(today: date) -> Borough:
    w = World()
    area = w.area()
    lead = w.person("Pat Lead", Role.PRACTICE_LEAD)
    manager = w.person("Sam Manager", Role.SERVICE_MANAGER)
    head = w.person("Hana Head", Role.HEAD_OF_SERVICE)
    team = w.team("CIN-N", area, lead=lead, manager=manager, head=head)
    worker = w.person("Wren Worker", Role.PRACTITIONER, team_id=team)
    other = w.person("Ola Other", Role.PRACTITIONER, team_id=team)
    qa = w.person("Quinn Reviewer", Role.PRACTICE_LEARNING_REVIEWER)
    qa_manager = w.person("Ada Qamanager", Role.QA_MANAGER)
    slt = w.person("Sol Leader", Role.SLT)
    data = w.person("Dee Data", Role.DATA_AND_IMPACT)
    case = w.case("DEMO-000001", team, worker)
    second = w.case("DEMO-000002", team, other, cohort="cla", age=15)
    w.cycles_around(today)
    return Borough(w, area, team, worker, other, lead, manager, head, qa, qa_manager, slt, data, case, second)
