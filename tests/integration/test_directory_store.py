"""Importing the directory into a real database: all or nothing, upserts, reports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.errors import ImportRejected
from plf_core.framework_config import Framework
from plf_core.vocabulary import Role
from store import directory
from store.database import session_factory
from store.demo import load_demo
from store.importer import ImportKind, import_csv
from store.migrate import ensure_calendar
from store.models import Case, Cycle, Person

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)

AAD1 = "0b7e1a2c-3d4e-4f50-8a9b-0c1d2e3f4a51"
AAD2 = "0b7e1a2c-3d4e-4f50-8a9b-0c1d2e3f4a52"
TEAMS = "team_code,team_name,service_area_code,service_area_name\nT1,Team One,SA,Area One\nT2,Team Two,SA,Area One\n"
PEOPLE = (
    "aad_object_id,display_name,email,roles,team_code\n"
    f"{AAD1},Rowan Demoford,rowan@demo.invalid,practitioner,T1\n"
    f"{AAD2},Hazel Testbury,hazel@demo.invalid,practice_lead;practitioner,T1\n"
)
CASES = (
    "azeus_number,gender,age,cohort,team_code,allocated_worker_email,legal_status,ehcp\n"
    "DEMO-1,female,7,cin,T1,rowan@demo.invalid,CiN plan,no\n"
    "DEMO-2,male,15,cla,T2,,Section 20,yes\n"
)


async def seeded(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    await import_csv(sessions, ImportKind.TEAMS, TEAMS.encode(), now=NOW)
    await import_csv(sessions, ImportKind.PEOPLE, PEOPLE.encode(), now=NOW)
    await import_csv(sessions, ImportKind.CASES, CASES.encode(), now=NOW)


async def test_a_clean_import_stores_everything(engine: AsyncEngine) -> None:
    await seeded(engine)
    async with session_factory(engine)() as session:
        counts = await directory.counts(session)
        case = (await session.execute(select(Case).where(Case.azeus_number == "DEMO-2"))).scalar_one()
    assert (counts.service_areas, counts.teams, counts.people, counts.cases) == (1, 2, 2, 2)
    assert (case.age, case.cohort, case.ehcp, case.allocated_worker_id) == (15, "cla", True, None)


async def test_reimporting_the_same_file_changes_nothing(engine: AsyncEngine) -> None:
    await seeded(engine)
    async with session_factory(engine)() as session:
        before = (await session.execute(select(Case.azeus_number, Case.updated_at))).all()
    report = await import_csv(session_factory(engine), ImportKind.CASES, CASES.encode(), now=NOW)
    assert (report.new, report.changed, report.unchanged, report.missing) == (0, 0, 2, [])
    async with session_factory(engine)() as session:
        after = (await session.execute(select(Case.azeus_number, Case.updated_at))).all()
    assert sorted(before) == sorted(after)


async def test_a_changed_row_is_updated_and_a_missing_one_reported_not_deleted(
    engine: AsyncEngine,
) -> None:
    await seeded(engine)
    changed = CASES.splitlines()[0] + "\nDEMO-1,female,8,cp,t1,rowan@demo.invalid,CP plan,no\n"
    report = await import_csv(session_factory(engine), ImportKind.CASES, changed.encode(), now=NOW)
    assert (report.new, report.changed, report.unchanged, report.missing) == (0, 1, 0, ["DEMO-2"])
    async with session_factory(engine)() as session:
        rows = dict((await session.execute(select(Case.azeus_number, Case.cohort))).all())
    assert rows == {"DEMO-1": "cp", "DEMO-2": "cla"}


async def test_a_file_with_one_bad_row_imports_nothing(engine: AsyncEngine) -> None:
    await seeded(engine)
    bad = CASES + "DEMO-3,female,7,cin,T1,,,no\nDEMO-4,female,99,cin,NOPE,,,no\n"
    with pytest.raises(ImportRejected) as caught:
        await import_csv(session_factory(engine), ImportKind.CASES, bad.encode(), now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "line 5: age '99' must be a whole number from 0 to 25",
        "line 5: unknown team 'NOPE'",
    ]
    async with session_factory(engine)() as session:
        assert (await directory.counts(session)).cases == 2


async def test_skip_bad_imports_the_good_rows_and_lists_the_bad(engine: AsyncEngine) -> None:
    await seeded(engine)
    bad = CASES + "DEMO-3,female,7,cin,T1,,,no\nDEMO-4,female,99,cin,T1,,,no\n"
    report = await import_csv(session_factory(engine), ImportKind.CASES, bad.encode(), now=NOW, skip_bad=True)
    assert (report.new, report.unchanged) == (1, 2)
    assert [str(p) for p in report.skipped] == ["line 5: age '99' must be a whole number from 0 to 25"]


async def test_people_roles_are_replaced_on_reimport_and_listed(engine: AsyncEngine) -> None:
    await seeded(engine)
    promoted = PEOPLE.replace("practitioner,T1\n", "practitioner;service_manager,T2\n", 1)
    report = await import_csv(session_factory(engine), ImportKind.PEOPLE, promoted.encode(), now=NOW)
    assert (report.changed, report.unchanged) == (1, 1)
    async with session_factory(engine)() as session:
        managers = await directory.list_people(session, role=Role.SERVICE_MANAGER)
        team_one = await directory.list_people(session, team_code="t1")
    assert [(p.aad_object_id, p.team_code, p.roles) for p in managers] == [
        (AAD1, "T2", (Role.PRACTITIONER, Role.SERVICE_MANAGER))
    ]
    assert [p.display_name for p in team_one] == ["Hazel Testbury"]


async def test_team_leaders_are_set_from_known_people(engine: AsyncEngine) -> None:
    await seeded(engine)
    leaders = TEAMS.replace("service_area_name\n", "service_area_name,practice_lead_email\n")
    leaders = leaders.replace("Area One\nT2", "Area One,hazel@demo.invalid\nT2")
    report = await import_csv(session_factory(engine), ImportKind.TEAMS, leaders.encode(), now=NOW)
    assert (report.changed, report.unchanged) == (1, 1)
    async with session_factory(engine)() as session:
        teams = await directory.existing_teams(session)
    assert teams["t1"].practice_lead_email == "hazel@demo.invalid"


LEADERS = (
    "team_code,team_name,service_area_code,service_area_name,practice_lead_email,service_manager_email\n"
    "T1,Team One,SA,Area One,hazel@demo.invalid,rowan@demo.invalid\nT2,Team Two,SA,Area One,,\n"
)


async def test_a_column_left_out_of_a_file_leaves_its_field_as_it_was(engine: AsyncEngine) -> None:
    await seeded(engine)
    sessions = session_factory(engine)
    await import_csv(sessions, ImportKind.TEAMS, LEADERS.encode(), now=NOW)
    report = await import_csv(sessions, ImportKind.TEAMS, TEAMS.encode(), now=NOW)  # no leader columns
    assert (report.changed, report.unchanged, report.cleared) == (0, 2, [])
    assert "left as they were: practice_lead_email, service_manager_email, head_of_service_email" in report.notes[0]
    cases = "azeus_number,age,cohort,team_code\nDEMO-2,16,cla,T2\n"  # no gender, worker, legal status or ehcp
    assert (await import_csv(sessions, ImportKind.CASES, cases.encode(), now=NOW)).changed == 1
    async with sessions() as session:
        teams = await directory.existing_teams(session)
        case = (await directory.existing_cases(session))["DEMO-2"]
    assert (teams["t1"].practice_lead_email, teams["t1"].service_manager_email) == (
        "hazel@demo.invalid",
        "rowan@demo.invalid",
    )
    assert (case.age, case.gender.value, case.legal_status, case.ehcp) == (16, "male", "Section 20", True)


async def test_an_empty_cell_clears_a_stored_value_only_when_asked_naming_each(engine: AsyncEngine) -> None:
    await seeded(engine)
    sessions = session_factory(engine)
    await import_csv(sessions, ImportKind.TEAMS, LEADERS.encode(), now=NOW)
    emptied = LEADERS.replace("hazel@demo.invalid,rowan@demo.invalid", ",rowan@demo.invalid")
    with pytest.raises(ImportRejected) as refused:
        await import_csv(sessions, ImportKind.TEAMS, emptied.encode(), now=NOW)
    assert "1 stored value would be cleared" in str(refused.value)
    assert "--yes" in str(refused.value)
    assert [(p.where, p.reason) for p in refused.value.problems] == [
        ("line 2", "team T1: the empty practice_lead_email would clear 'hazel@demo.invalid'")
    ]
    async with sessions() as session:
        assert (await directory.existing_teams(session))["t1"].practice_lead_email == "hazel@demo.invalid"
    report = await import_csv(sessions, ImportKind.TEAMS, emptied.encode(), now=NOW, clear=True)
    assert (report.changed, report.cleared) == (1, ["T1: practice_lead_email"])
    async with sessions() as session:
        assert (await directory.existing_teams(session))["t1"].practice_lead_email is None


async def test_the_demo_borough_loads_with_leaders_and_leaves_the_calendar_to_the_service(engine: AsyncEngine) -> None:
    counts = await load_demo(session_factory(engine), build_demo_borough(), FixedClock(NOW))
    assert (counts.service_areas, counts.teams, counts.people, counts.cases) == (4, 16, 200, 3000)
    async with session_factory(engine)() as session:
        teams = await directory.existing_teams(session)
        cycles = (await session.execute(select(Cycle.code).order_by(Cycle.starts_on))).scalars().all()
        unreachable = (await session.execute(select(Person).where(Person.reachable.is_(False)))).all()
    assert all(t.practice_lead_email and t.head_of_service_email for t in teams.values())
    assert cycles == []  # the cycle calendar is the service's (plf migrate, the sweep), not the demo's
    assert unreachable == []


@pytest.mark.parametrize(
    ("framework", "expected"),
    [
        (Framework(), ["2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2"]),
        (Framework(cycle="month", cycles_ahead=1), ["2026-10", "2026-11", "2026-12"]),
    ],
)
async def test_the_service_keeps_the_cycle_calendar_the_configuration_sets(
    engine: AsyncEngine, framework: Framework, expected: list[str]
) -> None:
    assert await ensure_calendar(engine, framework, NOW.date()) == len(expected)
    assert await ensure_calendar(engine, framework, NOW.date()) == 0  # again (another instance): nothing new
    async with session_factory(engine)() as session:
        rows = (
            await session.execute(select(Cycle.code, Cycle.starts_on, Cycle.due_on).order_by(Cycle.starts_on))
        ).all()
    assert [code for code, _, _ in rows] == expected
    assert all(due == framework.cycle_containing(starts).last_day for _, starts, due in rows)
