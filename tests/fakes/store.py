"""The ports in memory: `FakeUnitOfWork` over a `World` (tests/fakes/world.py), for unit tests of
the use cases. It keeps the contracts the SQL repositories keep (a version-checked save, each notice
once by its dedupe key, a rollback that undoes the whole unit of work), not their SQL."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any

from plf_core.audits import PLC_FORM, AuditView, CaseRef
from plf_core.clock import Clock
from plf_core.errors import ValidationFailed
from plf_core.forms.validation import Value
from plf_core.notices import parse
from plf_core.outcomes import OutcomeScales
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice, PersonSummary, TeamLeaders
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, Grade, Role
from tests.fakes.concern_repository import FakeConcerns
from tests.fakes.evidence_repositories import FakeEvidence
from tests.fakes.feedback_repository import FakeFeedback
from tests.fakes.more_repositories import FakeDips, FakeFollowUps, FakeModerations, FakeSampling
from tests.fakes.notice_repositories import FakeAccess, FakeConversations, FakeOutbox, FakeReports, FakeTimetable
from tests.fakes.world import AuditRow, FakeRepository, World

OPEN = {s.value for s in OPEN_AUDIT_STATUSES}


class FakePeople(FakeRepository):
    def _actor(self, person_id: int) -> Actor | None:
        p = self.world.people.get(person_id)
        if p is None or not p.active:
            return None
        teams = self.world.teams.values()
        return Actor(
            p.id,
            p.aad,
            p.name,
            frozenset(p.roles),
            p.team_id,
            frozenset(t.id for t in teams if t.practice_lead_id == p.id),
            frozenset(t.area_id for t in teams if t.service_manager_id == p.id),
            frozenset(t.area_id for t in teams if t.head_of_service_id == p.id),
        )

    async def actor_by_aad(self, aad_object_id: str) -> Actor | None:
        found = [p.id for p in self.world.people.values() if p.aad == aad_object_id.lower()]
        return self._actor(found[0]) if found else None

    async def actor_of(self, person_id: int) -> Actor | None:
        return self._actor(person_id)

    async def find_person(self, ref: str) -> PersonSummary | None:
        ref = ref.strip().lstrip("#").lower()
        for p in self.world.people.values():
            if ref in (str(p.id), p.email.lower(), p.aad):
                return PersonSummary(p.id, p.name, p.email, p.team_id)
        return None

    async def find_people(self, ref: str) -> list[PersonSummary]:
        said = " ".join(ref.split()).lstrip("#").lower()
        found = [
            p
            for p in self.world.people.values()
            if said in (str(p.id), p.email.lower(), p.aad) or (p.active and p.name.lower() == said)
        ]
        teams = self.world.teams
        return [
            PersonSummary(
                p.id,
                p.name,
                p.email,
                p.team_id,
                teams[p.team_id].name if p.team_id in teams else None,
                tuple(sorted(r.label for r in p.roles)),
            )
            for p in sorted(found, key=lambda p: p.id)
        ]

    async def similar_names(self, ref: str) -> list[str]:
        names = {p.name.lower(): p.name for p in self.world.people.values() if p.active}
        return [names[n] for n in difflib.get_close_matches(ref.lower(), list(names), n=3, cutoff=0.75)]

    async def person_name(self, person_id: int) -> str:
        person = self.world.people.get(person_id)
        return person.name if person else f"person {person_id}"

    async def people_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        return {i: self.world.people[i].name for i in person_ids if i in self.world.people}

    async def qa_people(self) -> list[int]:
        qa = {Role.PRACTICE_LEARNING_REVIEWER, Role.QA_MANAGER}
        return sorted(p.id for p in self.world.people.values() if p.roles & qa)

    async def people_with_roles(self, roles: Sequence[str]) -> list[int]:
        wanted = {Role(r) for r in roles}
        return sorted(p.id for p in self.world.people.values() if p.active and p.roles & wanted)

    async def has_role(self, person_id: int, role: Role) -> bool:
        return person_id in self.world.people and role in self.world.people[person_id].roles

    async def team_leaders(self, team_id: int) -> TeamLeaders:
        t = self.world.teams.get(team_id)
        return TeamLeaders(None, None, None) if t is None else TeamLeaders(*_leaders(self.world, team_id))

    async def find_case(self, azeus_number: str) -> CaseRef | None:
        found = [c.id for c in self.world.cases.values() if c.azeus.lower() == azeus_number.strip().lower()]
        return case_ref(self.world, found[0]) if found else None

    async def case_cohort(self, case_id: int) -> str | None:
        case = self.world.cases.get(case_id)
        return case.cohort if case else None

    async def cases_of(self, worker_id: int, limit: int = 50) -> list[CaseRef]:
        ids = sorted(c.id for c in self.world.cases.values() if c.worker_id == worker_id)
        return [case_ref(self.world, i) for i in ids[:limit]]

    async def known_names(self) -> tuple[list[str], list[str]]:
        return [t.code for t in self.world.teams.values()], [name for _, name in self.world.areas.values()]

    async def scope_teams(self, scope: str | None) -> tuple[str, ...] | None:
        if scope is None:
            return None
        wanted = scope.strip().lower()
        teams = [(t.code, self.world.areas[t.area_id][1]) for t in self.world.teams.values()]
        found = tuple(code for code, area in teams if wanted in (code.lower(), area.lower()))
        if found:
            return found
        close = difflib.get_close_matches(scope, sorted({n for pair in teams for n in pair}), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValidationFailed(f"there is no team or service area '{scope}'{hint}")

    async def area_managers(self) -> dict[int, list[int]]:
        found: dict[int, set[int]] = {}
        for t in self.world.teams.values():
            found.setdefault(t.area_id, set()).update(p for p in (t.head_of_service_id, t.service_manager_id) if p)
        return {area: sorted(people) for area, people in sorted(found.items()) if people}

    async def area_name(self, area_id: int) -> str:
        return self.world.areas[area_id][1] if area_id in self.world.areas else f"service area {area_id}"


def _leaders(world: World, team_id: int) -> tuple[int | None, int | None, int | None]:
    t = world.teams[team_id]
    return t.practice_lead_id, t.service_manager_id, t.head_of_service_id


def case_ref(world: World, case_id: int) -> CaseRef:
    c = world.cases[case_id]
    t = world.teams[c.team_id]
    area = world.areas[t.area_id][1]
    return CaseRef(c.id, c.azeus, t.id, t.code, t.name, t.area_id, area, c.gender, c.age, *_leaders(world, t.id))


def audit_view(world: World, row: AuditRow, *, with_answers: bool = True) -> AuditView:
    answers: dict[str, Value] = {}
    if with_answers:
        for values in row.pages.values():
            answers.update(values)
    case = case_ref(world, row.case_id) if row.case_id is not None else None
    second = world.people.get(row.second_person_id) if row.second_person_id else None
    return AuditView(
        id=row.id,
        form_id=row.form_id,
        case=case,
        practitioner_id=row.practitioner_id,
        second_person_id=row.second_person_id,
        status=AuditStatus(row.status),
        version=row.version,
        current_page=row.current_page,
        answers=answers,
        submitted_by_id=row.submitted_by_id,
        submitted_at=row.submitted_at,
        due_on=row.due_on,
        pim_due_on=row.pim_due_on,
        pim_held_on=row.pim_held_on,
        parent_audit_id=row.parent_audit_id,
        final_grade=Grade(row.final_grade) if row.final_grade else None,
        uploaded_at=row.uploaded_at,
        practitioner_name=world.people[row.practitioner_id].name,
        second_person_name=second.name if second else "",
    )


class FakeAudits(FakeRepository):
    async def get(self, audit_id: int, *, lock: bool = False) -> AuditView | None:
        row = self.world.audits.get(audit_id)
        return audit_view(self.world, row) if row else None

    async def answers_of(self, audit_id: int) -> dict[str, Value]:
        return {k: v for page in self.world.audits[audit_id].pages.values() for k, v in page.items()}

    async def page_answers_at(self, audit_id: int, page_id: str, version: int) -> dict[str, Value]:
        rows = [(v, a) for v, page, a in self.world.audits[audit_id].history if page == page_id and v <= version]
        return dict(max(rows, key=lambda r: r[0])[1]) if rows else {}

    async def saved_by(self, audit_id: int, page_ids: Collection[str]) -> dict[str, str]:
        saved = self.world.audits[audit_id].saved_by
        return {page: self.world.people[saved[page]].name for page in page_ids if page in saved}

    async def open_for(self, actor: Actor) -> list[AuditView]:
        def mine(row: AuditRow) -> bool:
            if actor.person_id in (row.practitioner_id, row.second_person_id):
                return True
            if row.case_id is None:
                return False
            team = self.world.teams[self.world.cases[row.case_id].team_id]
            return team.id in actor.led_team_ids or team.area_id in actor.managed_area_ids

        rows = [r for r in self.world.audits.values() if r.status in OPEN and mine(r)]
        return [audit_view(self.world, r, with_answers=False) for r in rows]

    async def to_moderate(self, moderator_id: int) -> list[AuditView]:
        ids = [m.audit_id for m in self.world.moderations.values() if m.moderator_id == moderator_id]
        live = [i for i in ids if self._moderation_open(i, moderator_id)]
        return [audit_view(self.world, self.world.audits[i], with_answers=False) for i in live]

    def _moderation_open(self, audit_id: int, moderator_id: int) -> bool:
        return any(
            m.audit_id == audit_id and m.moderator_id == moderator_id and m.status != "completed"
            for m in self.world.moderations.values()
        )

    async def open_on_case(self, case_id: int) -> list[AuditView]:
        rows = [r for r in self.world.audits.values() if r.case_id == case_id and r.status in OPEN]
        return [audit_view(self.world, r, with_answers=False) for r in sorted(rows, key=lambda r: r.id)]

    async def open_of(self, form_id: str, case_id: int, practitioner_id: int) -> int | None:
        for r in self.world.audits.values():
            if (r.form_id, r.case_id, r.practitioner_id) == (form_id, case_id, practitioner_id) and r.status in OPEN:
                return r.id
        return None

    async def cycle_due_on(self, day: date) -> date | None:
        found = sorted(due for starts, due in self.world.cycles.values() if starts <= day <= due)
        return found[0] if found else None

    async def create(
        self,
        *,
        form_id: str,
        case_id: int | None,
        practitioner_id: int,
        second_person_id: int | None,
        due_on: date | None,
        parent_audit_id: int | None = None,
    ) -> int:
        audit_id = self.world.next_id()
        self.world.audits[audit_id] = AuditRow(
            audit_id, form_id, case_id, practitioner_id, second_person_id, due_on, parent_audit_id
        )
        self.world.audits[audit_id].created_on = self.clock.today()
        return audit_id

    async def set_subject(self, audit_id: int, person_id: int) -> None:
        self.world.audits[audit_id].subject_id = person_id

    async def supervisors_due(self, since: date) -> list[tuple[int, str]]:
        reviewed = {
            a.subject_id
            for a in self.world.audits.values()
            if a.form_id == "supervision_review" and a.created_on is not None and a.created_on >= since
        }
        leads = [p for p in self.world.people.values() if Role.PRACTICE_LEAD in p.roles and p.active]
        return sorted(((p.id, p.name) for p in leads if p.id not in reviewed), key=lambda r: (r[1], r[0]))

    async def save_answers(
        self,
        audit_id: int,
        expected_version: int,
        page_id: str,
        values: Mapping[str, Value],
        by: int,
        current_page: str,
        status: str,
    ) -> bool:
        row = self.world.audits[audit_id]
        if row.version != expected_version:
            return False
        row.version += 1
        row.current_page, row.status = current_page, status
        row.pages[page_id] = dict(values)
        row.saved_by[page_id] = by
        row.history.append((row.version, page_id, dict(values)))
        return True

    async def submit(
        self, audit_id: int, expected_version: int, by: int, at: datetime, final_grade: Grade | None
    ) -> bool:
        row = self.world.audits[audit_id]
        if row.version != expected_version:
            return False
        row.version += 1
        row.status, row.submitted_by_id, row.submitted_at = AuditStatus.SUBMITTED.value, by, at
        row.final_grade = final_grade.value if final_grade else None
        return True

    async def record_scores(self, audit_id: int, grades: Mapping[str, Grade], scales: OutcomeScales) -> None:
        self.world.scores[audit_id] = {"grades": dict(grades), "scales": scales}

    async def set_pim_due(self, audit_id: int, due_on: date) -> None:
        self.world.audits[audit_id].pim_due_on = due_on

    async def set_pim_held(self, audit_id: int, held_on: date) -> None:
        row = self.world.audits[audit_id]
        row.pim_held_on, row.version = held_on, row.version + 1

    async def mark_uploaded(self, audit_id: int, by: int, at: datetime) -> bool:
        row = self.world.audits[audit_id]
        if row.uploaded_at is not None:
            return False
        row.uploaded_at, row.status, row.version = at, AuditStatus.UPLOADED.value, row.version + 1
        return True

    async def link_to_draw(self, audit_id: int, draw_id: int) -> None:
        self.world.audits[audit_id].draw_id = draw_id


class FakeUnitOfWork:
    """One unit of work over the world: what it changed is undone if its block raises."""

    def __init__(self, world: World, clock: Clock) -> None:
        self.world = world
        self.clock = clock
        self.commits = 0
        self.people = FakePeople(world, clock)
        self.audits = FakeAudits(world, clock)
        self.moderations = FakeModerations(world, clock)
        self.sampling = FakeSampling(world, clock)
        self.dips = FakeDips(world, clock)
        self.follow_ups = FakeFollowUps(world, clock)
        self.timetable = FakeTimetable(world, clock)
        self.outbox = FakeOutbox(world, clock)
        self.conversations = FakeConversations(world, clock)
        self.reports = FakeReports(world, clock)
        self.access = FakeAccess(world, clock)
        self.concerns = FakeConcerns(world, clock)
        self.evidence = FakeEvidence(world, clock)
        self.feedback = FakeFeedback(world, clock)
        self._before: dict[str, Any] = {}

    async def __aenter__(self) -> FakeUnitOfWork:
        self._before = copy.deepcopy({k: v for k, v in vars(self.world).items() if k != "ids"})
        self.outbox.added = self.timetable.added = 0
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commits += 1
        else:
            for name, value in self._before.items():
                setattr(self.world, name, value)

    @property
    def notices_added(self) -> int:
        return self.outbox.added + self.timetable.added


def notice_of(world: World, key_start: str) -> Notice:
    """The notice whose dedupe key starts so, as it was written."""
    [row] = [r for r in world.outbox.values() if r.dedupe_key.startswith(key_start)]
    assert row.person_id is not None
    return Notice(row.dedupe_key, row.person_id, parse(row.kind, row.payload))


PLC = PLC_FORM


def conforms(world: World, clock: Clock) -> AbstractUnitOfWork:
    """The fake is a unit of work as the use cases see it (mypy checks this line)."""
    return FakeUnitOfWork(world, clock)
