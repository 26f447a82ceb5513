"""Who is who: people and their roles, teams, service areas and cases (the directory, read)."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select

from plf_core.audits import CaseRef
from plf_core.errors import ValidationFailed
from plf_core.people import Actor
from plf_core.ports import PersonSummary, TeamLeaders
from plf_core.vocabulary import Role
from store.models import Case, Person, PersonRole, ServiceArea, Team
from store.repository import SqlRepository


class SqlPeople(SqlRepository):
    async def actor_by_aad(self, aad_object_id: str) -> Actor | None:
        person = (
            await self.session.execute(select(Person).where(Person.aad_object_id == aad_object_id.lower()))
        ).scalar_one_or_none()
        if person is None or not person.active:
            return None
        return await self._actor(person)

    async def _actor(self, person: Person) -> Actor:
        roles = frozenset(
            Role(r)
            for r in (
                await self.session.execute(select(PersonRole.role).where(PersonRole.person_id == person.id))
            ).scalars()
        )
        teams = (
            await self.session.execute(
                select(
                    Team.id,
                    Team.service_area_id,
                    Team.practice_lead_id,
                    Team.service_manager_id,
                    Team.head_of_service_id,
                ).where(
                    or_(
                        Team.practice_lead_id == person.id,
                        Team.service_manager_id == person.id,
                        Team.head_of_service_id == person.id,
                    )
                )
            )
        ).all()
        return Actor(
            person_id=person.id,
            aad_object_id=person.aad_object_id,
            name=person.display_name,
            roles=roles,
            team_id=person.team_id,
            led_team_ids=frozenset(t.id for t in teams if t.practice_lead_id == person.id),
            managed_area_ids=frozenset(t.service_area_id for t in teams if t.service_manager_id == person.id),
            headed_area_ids=frozenset(t.service_area_id for t in teams if t.head_of_service_id == person.id),
        )

    async def find_person(self, ref: str) -> PersonSummary | None:
        ref = ref.strip().lstrip("#")
        query = select(Person)
        if ref.isascii() and ref.isdigit():
            query = query.where(Person.id == int(ref))
        elif "@" in ref:
            query = query.where(func.lower(Person.email) == ref.lower())
        else:
            try:
                query = query.where(Person.aad_object_id == str(uuid.UUID(ref)))
            except ValueError:
                return None
        person = (await self.session.execute(query)).scalar_one_or_none()
        if person is None:
            return None
        return PersonSummary(person.id, person.display_name, person.email, person.team_id)

    async def find_people(self, ref: str) -> list[PersonSummary]:
        ref = " ".join(ref.split()).lstrip("#")
        query = select(Person, Team.name).outerjoin(Team, Person.team_id == Team.id).order_by(Person.id).limit(20)
        exact = await self.find_person(ref) if ref.isdigit() or "@" in ref or _is_uuid(ref) else None
        if exact is not None:
            query = query.where(Person.id == exact.person_id)
        elif ref.isdigit() or "@" in ref or _is_uuid(ref):
            return []
        else:
            query = query.where(func.lower(Person.display_name) == ref.lower(), Person.active.is_(True))
        rows = (await self.session.execute(query)).all()
        roles: dict[int, list[str]] = {}
        found = select(PersonRole.person_id, PersonRole.role).where(PersonRole.person_id.in_([p.id for p, _ in rows]))
        for person_id, role in await self.session.execute(found):
            roles.setdefault(person_id, []).append(Role(role).label)
        return [
            PersonSummary(p.id, p.display_name, p.email, p.team_id, team, tuple(sorted(roles.get(p.id, []))))
            for p, team in rows
        ]

    async def similar_names(self, ref: str) -> list[str]:
        names = (await self.session.execute(select(Person.display_name).where(Person.active.is_(True)))).scalars()
        by_lower = {name.lower(): name for name in names}
        return [by_lower[n] for n in difflib.get_close_matches(ref.lower(), list(by_lower), n=3, cutoff=0.75)]

    async def person_name(self, person_id: int) -> str:
        name = (await self.session.execute(select(Person.display_name).where(Person.id == person_id))).scalar()
        return name or f"person {person_id}"

    async def qa_people(self) -> list[int]:
        rows = await self.session.execute(
            select(PersonRole.person_id).where(
                PersonRole.role.in_([Role.PRACTICE_LEARNING_REVIEWER.value, Role.QA_MANAGER.value])
            )
        )
        return sorted(set(rows.scalars()))

    async def team_leaders(self, team_id: int) -> TeamLeaders:
        team = await self.session.get(Team, team_id)
        if team is None:
            return TeamLeaders(None, None, None)
        return TeamLeaders(team.practice_lead_id, team.service_manager_id, team.head_of_service_id)

    def _case_query(self) -> Any:
        return (
            select(Case, Team, ServiceArea)
            .join(Team, Case.team_id == Team.id)
            .join(ServiceArea, Team.service_area_id == ServiceArea.id)
        )

    @staticmethod
    def _case_ref(case: Case, team: Team, area: ServiceArea) -> CaseRef:
        return CaseRef(
            case.id,
            case.azeus_number,
            team.id,
            team.code,
            team.name,
            area.id,
            area.name,
            case.gender,
            case.age,
            team.practice_lead_id,
            team.service_manager_id,
            team.head_of_service_id,
        )

    async def find_case(self, azeus_number: str) -> CaseRef | None:
        row = (
            await self.session.execute(
                self._case_query().where(func.lower(Case.azeus_number) == azeus_number.strip().lower())
            )
        ).first()
        return self._case_ref(*row) if row else None

    async def cases_of(self, worker_id: int, limit: int = 50) -> list[CaseRef]:
        query = self._case_query().where(Case.allocated_worker_id == worker_id).order_by(Case.id).limit(limit)
        return [self._case_ref(*row) for row in (await self.session.execute(query)).all()]

    async def case_cohort(self, case_id: int) -> str | None:
        return (await self.session.execute(select(Case.cohort).where(Case.id == case_id))).scalar()

    async def actor_of(self, person_id: int) -> Actor | None:
        """The person as an actor (their roles and what they lead); None if unknown or no longer active."""
        person = await self.session.get(Person, person_id)
        if person is None or not person.active:
            return None
        return await self._actor(person)

    async def people_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        rows = await self.session.execute(select(Person.id, Person.display_name).where(Person.id.in_(list(person_ids))))
        return {person: name for person, name in rows}

    async def people_with_roles(self, roles: Sequence[str]) -> list[int]:
        rows = await self.session.execute(
            select(PersonRole.person_id)
            .join(Person, Person.id == PersonRole.person_id)
            .where(PersonRole.role.in_(list(roles)), Person.active.is_(True))
        )
        return sorted(set(rows.scalars()))

    async def area_managers(self) -> dict[int, list[int]]:
        rows = await self.session.execute(
            select(Team.service_area_id, Team.head_of_service_id, Team.service_manager_id)
        )
        found: dict[int, set[int]] = {}
        for area, head, manager in rows:
            found.setdefault(area, set()).update(p for p in (head, manager) if p is not None)
        return {area: sorted(people) for area, people in sorted(found.items()) if people}

    async def has_role(self, person_id: int, role: Role) -> bool:
        found = await self.session.execute(
            select(PersonRole.person_id).where(PersonRole.person_id == person_id, PersonRole.role == role.value)
        )
        return found.first() is not None

    async def known_names(self) -> tuple[list[str], list[str]]:
        teams = list((await self.session.execute(select(Team.code))).scalars())
        areas = list((await self.session.execute(select(ServiceArea.name))).scalars())
        return teams, areas

    async def scope_teams(self, scope: str | None) -> tuple[str, ...] | None:
        """A team code or a service area name to its team codes; an unknown name is named with close ones."""
        if scope is None:
            return None
        teams = list((await self.session.execute(select(Team.code, ServiceArea.name).join(ServiceArea))).all())
        wanted = scope.strip().lower()
        found = tuple(code for code, area in teams if wanted in (code.lower(), area.lower()))
        if found:
            return found
        names = sorted({code for code, _ in teams} | {area for _, area in teams})
        close = difflib.get_close_matches(scope, names, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValidationFailed(f"there is no team or service area '{scope}'{hint}")

    async def area_name(self, area_id: int) -> str:
        name = (await self.session.execute(select(ServiceArea.name).where(ServiceArea.id == area_id))).scalar()
        return name or f"service area {area_id}"


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
