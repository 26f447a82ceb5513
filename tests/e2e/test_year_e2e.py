"""A council's year over real HTTP (SQLite and PostgreSQL), the bot's own clock moved on so its jobs fire:
a fresh database with the demo directory imported as a council's CSV files (no `plf demo`), where an
audit assigned in chat is due at its cycle's end and `timetable 100` lists its reminders; a dip sample
from the configured plan through to the Director of Operations' escalation, and one stopped by the
Service Manager's Done; the month's highlight report to every manager, each for their own scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from plf_core.card_actions import Verb
from plf_core.demo_borough import DemoBorough
from plf_core.forms.registry import get_form
from plf_core.vocabulary import Role
from tests.databases import fresh_database
from tests.demo_directory import IMPORTS, directory_files
from tests.e2e.running_app import plf, plf_env, serving
from tests.e2e.teams import TeamsUser, card_texts, find_action, input_ids
from tests.e2e.test_audit_workflow import BOROUGH, PEOPLE, _query, cards_to, cast, users, wait_for_card
from tests.e2e.test_dip_samples import terms_answers
from tests.fakes.connector import FakeConnector, running_connector
from tests.instants import DEFAULT_NOW, LONDON, JumpingClock

DIP = get_form("dip_sample_terms")
PLANNED = "Children coming into care"  # the configured plan's December theme
JOBS = {"DISPATCH_INTERVAL_SECONDS": "1", "SWEEP_INTERVAL_SECONDS": "2"}  # the bot's own jobs, often
SLOW = 30  # a generous limit for what a job sends after the clock moves on


def at(day: str, time: str = "09:01") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def user_of(app_url: str, connector: FakeConnector, email: str) -> TeamsUser:
    person = PEOPLE[email]
    return TeamsUser(app_url, connector.url, person.aad_object_id, person.display_name)


def holding(role: Role, borough: DemoBorough = BOROUGH) -> list[str]:
    return [p.email for p in borough.people if role in p.roles]


@pytest.fixture
async def empty_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A new, empty database: what a council starts from."""
    async with fresh_database(backend, tmp_path) as url:
        yield url


async def test_an_imported_directory_gets_due_dates_and_reminders_from_chat(empty_url: str, tmp_path: Path) -> None:
    env = plf_env(empty_url)  # 20 November 2026: the 2026-Q4 cycle
    assert plf(["migrate"], env).returncode == 0
    files = directory_files(tmp_path, BOROUGH)
    for kind, name in IMPORTS:
        imported = plf(["import", kind, files[name]], env)
        assert imported.returncode == 0, imported.stderr
    assert await _query(empty_url, "SELECT count(*) FROM audits") == [(0,)]  # no demo: nothing but the directory

    async with running_connector() as connector, serving(empty_url, DEFAULT_NOW, **JOBS) as app:
        u = users(app.url, connector)
        assert await u["qa"].install() in (200, 202)
        case, worker = BOROUGH.cases[0].azeus_number, cast()["worker"].display_name
        assert await u["qa"].say(f"assign {case} to {worker}") == 202
        created = " ".join(card_texts(await wait_for_card(connector, u["qa"], "created")))
        assert f"assigned to {worker}" in created
        assert "due Thu 31 Dec 2026" in created  # the cycle's end
        assert "(their Practice Lead)" in created  # the leaders' import held

        assert await u["qa"].say("timetable 100") == 202
        shown = card_texts(await wait_for_card(connector, u["qa"], "The timetable: the next 100 days"))
        for line in (
            "Tue 01 Dec: monthly reminder before reviews are due, to everyone with an open audit — 2 people",
            "Thu 24 Dec: the outstanding reviews a week before the due date, each for their own team or service "
            "area — 3 people",
            "Thu 07 Jan: outstanding reviews and moderations a week after the due date",
        ):
            assert any(t.startswith(line) for t in shown), (line, shown)


async def send_a_dip_sample(
    u: dict[str, TeamsUser], qa_manager: TeamsUser, connector: FakeConnector, start: dict[str, Any]
) -> None:
    """QA writes dip sample 1's Terms of Reference from `start` (a button that runs `dip new THEME`), the
    QA manager approves it, QA sends it to the Head of Service (no action rated Red)."""
    card = await u["qa"].execute(start["verb"], start["data"])
    for page in DIP.pages:
        answers = {k: "amber" if k == "AP2_rag" else v for k, v in terms_answers(page.id).items()}
        card = await u["qa"].press(card, "Review and submit" if page is DIP.pages[-1] else "Next", answers)
    assert any("submitted" in t.lower() for t in card_texts(await u["qa"].press(card, "Submit")))
    assert await qa_manager.say("dip approve 1") == 202
    await wait_for_card(connector, qa_manager, "Dip sample 1 (")
    assert await u["qa"].say(f"dip send 1 to {cast()['head'].display_name}") == 202
    await wait_for_card(connector, u["qa"], "to agree its 5 actions by")


async def test_a_planned_dip_sample_nobody_follows_up_reaches_the_director_of_operations(database_url: str) -> None:
    clock = JumpingClock(at("2026-11-17", "10:00"), LONDON)  # two weeks before December's dip sample
    async with running_connector() as connector, serving(database_url, clock=clock, **JOBS) as app:
        u = users(app.url, connector)
        qa_manager, data, director = (
            user_of(app.url, connector, holding(role)[0])
            for role in (Role.QA_MANAGER, Role.DATA_AND_IMPACT, Role.DIRECTOR_OF_OPERATIONS)
        )
        for user in (u["qa"], u["head"], u["manager"], qa_manager, data, director):
            assert await user.install() in (200, 202)
        asked = await wait_for_card(connector, data, f"Data for the dip sample: {PLANNED}", SLOW)
        assert any("starts on Tue 01 Dec 2026" in t for t in card_texts(asked)), card_texts(asked)

        clock.jump_to(at("2026-12-01"))  # the planned month's first working day: QA are told, with Start it
        due = await wait_for_card(connector, u["qa"], f"Dip sample due: {PLANNED}", SLOW)
        await send_a_dip_sample(u, qa_manager, connector, find_action(due, "Start it"))

        clock.jump_to(at("2026-12-08"))  # a week on, not agreed: the Head of Service is asked
        await wait_for_card(connector, u["head"], "Please agree the dip sample's actions", SLOW)
        clock.jump_to(at("2026-12-22"))  # two weeks later: the Head of Service and the Service Managers
        for who in ("head", "manager"):
            await wait_for_card(connector, u[who], "Please make sure the dip sample's actions are followed up", SLOW)
        clock.jump_to(at("2027-01-05"))  # four weeks after the first follow-up: the Director of Operations
        escalation = await wait_for_card(connector, director, f"Escalation: dip sample 1 ({PLANNED})", SLOW)
        assert any("four weeks after the first follow-up" in t for t in card_texts(escalation))
        assert len([c for c in cards_to(connector, director) if "Escalation: dip sample" in str(c)]) == 1


async def test_the_service_managers_done_stops_the_follow_ups_and_the_escalation_waiting(database_url: str) -> None:
    """The Head of Service and the Director of Operations have not installed the bot yet: their follow-ups
    and escalation wait for them in the outbox, until every action is done; installing then brings none."""
    clock = JumpingClock(at("2026-12-01", "10:00"), LONDON)
    async with running_connector() as connector, serving(database_url, clock=clock, **JOBS) as app:
        u = users(app.url, connector)
        qa_manager = user_of(app.url, connector, holding(Role.QA_MANAGER)[0])
        director = user_of(app.url, connector, holding(Role.DIRECTOR_OF_OPERATIONS)[0])
        for user in (u["qa"], u["manager"], qa_manager):
            assert await user.install() in (200, 202)
        start = {"verb": Verb.COMMAND_RUN.value, "data": {"command": "dip new Permanence"}}
        await send_a_dip_sample(u, qa_manager, connector, start)
        for day, rule in (("2026-12-08", "dip_agree"), ("2026-12-22", "dip_followup_2"), ("2027-01-05", "dip_esc")):
            clock.jump_to(at(day))
            await waiting(database_url, rule)
        await wait_for_card(connector, u["manager"], "Please make sure the dip sample's actions are followed up")

        assert await u["manager"].say("dip actions 1") == 202
        follow = await wait_for_card(connector, u["manager"], "Actions: 0 of 5 done")
        done = {f"done_{i.removeprefix('progress_')}": "true" for i in input_ids(follow) if i.startswith("progress_")}
        saved = card_texts(await u["manager"].press(follow, "Save", done))
        assert any("the follow-ups and the escalation to the Director of Operations stop" in t for t in saved)
        assert await outbox_of(database_url, "dip_escalation:") == {"cancelled"}
        [(head,)] = await _query(database_url, "SELECT id FROM people WHERE email = :e", e=cast()["head"].email)
        assert await outbox_of(database_url, f"digest:{head}:") == {"cancelled"}  # its follow-ups: 8 and 22 December

        for user in (u["head"], director):  # they install: what waited for them goes, but none of those
            assert await user.install() in (200, 202)
            await wait_for_card(connector, user, "Highlight report:", SLOW)  # November's, waiting since 8 December
        await nothing_waiting(database_url)
        for user in (u["head"], director):
            assert not [c for c in cards_to(connector, user) if "Dip sample 1" in str(c) or "dip sample 1" in str(c)]


async def waiting(database_url: str, rule: str) -> None:
    """Until the outbox holds `rule`'s notice (or the digest holding it), undelivered: its person has not
    installed the bot."""
    import asyncio

    sql = (
        "SELECT count(*) FROM outbox WHERE status = 'failed' AND "
        f"(dedupe_key LIKE '{rule}%' OR (kind = 'daily_digest' AND CAST(payload AS TEXT) LIKE '%{rule}%'))"
    )
    async with asyncio.timeout(SLOW):
        while not (await _query(database_url, sql))[0][0]:
            await asyncio.sleep(0.2)


async def outbox_of(database_url: str, key: str) -> set[str]:
    """The statuses of the outbox rows whose key starts with `key`."""
    rows = await _query(database_url, "SELECT dedupe_key, status FROM outbox")
    return {str(status) for k, status in rows if str(k).startswith(key)}


async def nothing_waiting(database_url: str) -> None:
    """Until the dispatcher has tried everything written (nothing pending or being sent)."""
    import asyncio

    sql = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
    async with asyncio.timeout(SLOW):
        while (await _query(database_url, sql))[0][0]:
            await asyncio.sleep(0.2)
