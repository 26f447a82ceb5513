"""The directory: service areas, teams, people and cases, read and upserted in bulk.

The store turns rows into the same `TeamRow` / `PersonRow` / `CaseRow` values the CSV import
produces, so `plf_core.directory_import.plan_upsert` decides what an import changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from plf_core.directory_import import CaseRow, PersonRow, TeamRow, UpsertPlan, plan_upsert
from plf_core.vocabulary import Cohort, Gender, Role
from store.models import Case, Person, PersonRole, ServiceArea, Team

CHUNK = 5000
Progress = Callable[[int], object]


@dataclass(frozen=True)
class DirectoryCounts:
    service_areas: int
    teams: int
    people: int
    cases: int


@dataclass(frozen=True)
class PersonListing:
    id: int
    aad_object_id: str
    display_name: str
    email: str
    roles: tuple[Role, ...]
    team_code: str | None
    reachable: bool


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def counts(session: AsyncSession) -> DirectoryCounts:
    async def count(model: Any) -> int:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())

    return DirectoryCounts(await count(ServiceArea), await count(Team), await count(Person), await count(Case))


async def team_ids(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Team.code, Team.id))
    return {code.lower(): id_ for code, id_ in rows.all()}


async def team_codes(session: AsyncSession) -> dict[str, str]:
    """Each team's code as stored, by its lower-case spelling (files may differ in case)."""
    rows = await session.execute(select(Team.code))
    return {code.lower(): code for (code,) in rows.all()}


async def person_ids_by_email(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Person.email, Person.id))
    return {email.lower(): id_ for email, id_ in rows.all()}


# --- teams -------------------------------------------------------------------------------


async def existing_teams(session: AsyncSession) -> dict[str, TeamRow]:
    lead, manager, head = aliased(Person), aliased(Person), aliased(Person)
    rows = await session.execute(
        select(
            Team.code,
            Team.name,
            ServiceArea.code,
            ServiceArea.name,
            lead.email,
            manager.email,
            head.email,
        )
        .join(ServiceArea, Team.service_area_id == ServiceArea.id)
        .outerjoin(lead, Team.practice_lead_id == lead.id)
        .outerjoin(manager, Team.service_manager_id == manager.id)
        .outerjoin(head, Team.head_of_service_id == head.id)
    )
    return {r[0].lower(): TeamRow(*r) for r in rows.all()}


async def upsert_teams(session: AsyncSession, rows: Sequence[TeamRow], *, now: datetime) -> UpsertPlan[str, TeamRow]:
    plan = plan_upsert({r.code.lower(): r for r in rows}, await existing_teams(session))
    areas = {code.lower(): id_ for code, id_ in (await session.execute(select(ServiceArea.code, ServiceArea.id))).all()}
    for row in rows:
        area_id = areas.get(row.service_area_code.lower())
        if area_id is None:
            result = await session.execute(
                insert(ServiceArea)
                .values(code=row.service_area_code, name=row.service_area_name)
                .returning(ServiceArea.id)
            )
            areas[row.service_area_code.lower()] = result.scalar_one()
        else:
            await session.execute(
                update(ServiceArea)
                .where(ServiceArea.id == area_id)
                .where(ServiceArea.name != row.service_area_name)
                .values(name=row.service_area_name, updated_at=now)
            )
    people = await person_ids_by_email(session)
    ids = await team_ids(session)

    def values(row: TeamRow) -> dict[str, Any]:
        return {
            "code": row.code,
            "name": row.name,
            "service_area_id": areas[row.service_area_code.lower()],
            "practice_lead_id": people.get((row.practice_lead_email or "").lower()),
            "service_manager_id": people.get((row.service_manager_email or "").lower()),
            "head_of_service_id": people.get((row.head_of_service_email or "").lower()),
        }

    if plan.new:
        await session.execute(insert(Team), [values(r) for r in plan.new])
    if plan.changed:
        await session.execute(
            update(Team),
            [{"id": ids[r.code.lower()], **values(r), "updated_at": now} for r in plan.changed],
        )
    return plan


# --- people ------------------------------------------------------------------------------


async def existing_people(session: AsyncSession) -> dict[str, PersonRow]:
    roles: dict[int, set[Role]] = {}
    for person_id, role in (await session.execute(select(PersonRole.person_id, PersonRole.role))).all():
        roles.setdefault(person_id, set()).add(Role(role))
    rows = await session.execute(
        select(Person.id, Person.aad_object_id, Person.display_name, Person.email, Team.code).outerjoin(
            Team, Person.team_id == Team.id
        )
    )
    return {
        aad: PersonRow(aad, name, email, frozenset(roles.get(id_, set())), team)
        for id_, aad, name, email, team in rows.all()
    }


async def upsert_people(
    session: AsyncSession, rows: Sequence[PersonRow], progress: Progress | None = None, *, now: datetime
) -> UpsertPlan[str, PersonRow]:
    teams = await team_ids(session)
    canonical = await team_codes(session)
    plan = plan_upsert(
        {r.aad_object_id: replace(r, team_code=canonical[r.team_code.lower()] if r.team_code else None) for r in rows},
        await existing_people(session),
    )

    def values(row: PersonRow) -> dict[str, Any]:
        return {
            "aad_object_id": row.aad_object_id,
            "display_name": row.display_name,
            "email": row.email,
            "team_id": teams[row.team_code.lower()] if row.team_code else None,
        }

    for chunk in _chunks(plan.new):
        await session.execute(insert(Person), [values(r) for r in chunk])
        if progress:
            progress(len(chunk))
    ids = {aad: id_ for aad, id_ in (await session.execute(select(Person.aad_object_id, Person.id))).all()}
    for chunk in _chunks(plan.changed):
        await session.execute(
            update(Person),
            [{"id": ids[r.aad_object_id], **values(r), "updated_at": now} for r in chunk],
        )
        if progress:
            progress(len(chunk))
    touched = [*plan.new, *plan.changed]
    if plan.changed:
        await session.execute(
            delete(PersonRole).where(PersonRole.person_id.in_([ids[r.aad_object_id] for r in plan.changed]))
        )
    role_rows = [{"person_id": ids[r.aad_object_id], "role": role.value} for r in touched for role in r.roles]
    for chunk in _chunks(role_rows):
        await session.execute(insert(PersonRole), list(chunk))
    return plan


async def list_people(
    session: AsyncSession, role: Role | None = None, team_code: str | None = None
) -> list[PersonListing]:
    query = select(
        Person.id,
        Person.aad_object_id,
        Person.display_name,
        Person.email,
        Team.code,
        Person.reachable,
    ).outerjoin(Team, Person.team_id == Team.id)
    if role is not None:
        query = query.where(Person.id.in_(select(PersonRole.person_id).where(PersonRole.role == role.value)))
    if team_code is not None:
        query = query.where(func.lower(Team.code) == team_code.lower())
    people = (await session.execute(query.order_by(Person.display_name, Person.id))).all()
    roles: dict[int, list[Role]] = {}
    ids = [p[0] for p in people]
    for chunk in _chunks(ids, 900):
        for person_id, r in (
            await session.execute(select(PersonRole.person_id, PersonRole.role).where(PersonRole.person_id.in_(chunk)))
        ).all():
            roles.setdefault(person_id, []).append(Role(r))
    return [
        PersonListing(id_, aad, name, email, tuple(sorted(roles.get(id_, []))), team, reachable)
        for id_, aad, name, email, team, reachable in people
    ]


# --- cases -------------------------------------------------------------------------------


async def existing_cases(session: AsyncSession) -> dict[str, CaseRow]:
    rows = await session.execute(
        select(
            Case.azeus_number,
            Case.gender,
            Case.age,
            Case.cohort,
            Team.code,
            Person.email,
            Case.legal_status,
            Case.ehcp,
            Case.closed_on,
        )
        .join(Team, Case.team_id == Team.id)
        .outerjoin(Person, Case.allocated_worker_id == Person.id)
    )
    return {
        r[0]: CaseRow(r[0], Gender(r[1]), r[2], Cohort(r[3]), r[4], r[5], r[6], bool(r[7]), r[8]) for r in rows.all()
    }


async def upsert_cases(
    session: AsyncSession, rows: Sequence[CaseRow], progress: Progress | None = None, *, now: datetime
) -> UpsertPlan[str, CaseRow]:
    existing = await existing_cases(session)
    teams = await team_ids(session)
    workers = await person_ids_by_email(session)
    canonical = await team_codes(session)
    plan = plan_upsert(
        {r.azeus_number: replace(r, team_code=canonical[r.team_code.lower()]) for r in rows},
        existing,
    )

    def values(row: CaseRow) -> dict[str, Any]:
        return {
            "azeus_number": row.azeus_number,
            "gender": row.gender.value,
            "age": row.age,
            "cohort": row.cohort.value,
            "team_id": teams[row.team_code.lower()],
            "allocated_worker_id": workers.get((row.allocated_worker_email or "").lower()),
            "legal_status": row.legal_status,
            "ehcp": row.ehcp,
            "closed_on": row.closed_on,
        }

    for chunk in _chunks(plan.new):
        await session.execute(insert(Case), [values(r) for r in chunk])
        if progress:
            progress(len(chunk))
    if plan.changed:
        ids = {azeus: id_ for azeus, id_ in (await session.execute(select(Case.azeus_number, Case.id))).all()}
        for chunk in _chunks(plan.changed):
            await session.execute(
                update(Case),
                [{"id": ids[r.azeus_number], **values(r), "updated_at": now} for r in chunk],
            )
            if progress:
                progress(len(chunk))
    return plan
