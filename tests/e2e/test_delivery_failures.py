"""Undelivered messages reach QA as one summary a working day, not a card each (SQLite and PostgreSQL):
five messages to four people who cannot be reached give one summary, grouped by person with the red
alert first, to the QA officer who has the bot and to none who has not; nothing is written about the
summary itself; an entry leaves `outbox` once its message is delivered; `outbox` pages 10 at a time."""

from __future__ import annotations

import asyncio
from datetime import date

from plf_core.clock import FixedClock
from plf_core.delivery import NO_CONVERSATION
from plf_core.notices import AuditAssigned, NoticeData, PimRequest, RedAlert
from plf_core.ports import Notice
from plf_core.vocabulary import OutboxStatus, Role
from tests.card_tree import walk
from tests.e2e.running_app import serving
from tests.e2e.teams import TeamsUser, card_texts
from tests.e2e.test_audit_workflow import BOROUGH, _query, cards_to, cast, outbox_listing, users
from tests.fakes.connector import running_connector
from tests.instants import DEFAULT_NOW

SUMMARY = "Messages that could not be delivered"


GONE = "503 gave up after 8 attempts"  # dead: Retry may help


async def undelivered(database_url: str, notices: list[Notice], dead: frozenset[str] = frozenset()) -> None:
    """Messages whose delivery failed (as the dispatcher records it): those keyed in `dead` gave up after
    8 attempts, the others wait for their person to install the bot. Written before the bot starts, so
    that its first sweep finds them all."""
    from store.database import create_engine
    from store.unit_of_work import unit_of_work_factory

    engine = create_engine(database_url)
    try:
        async with unit_of_work_factory(engine, FixedClock(DEFAULT_NOW))() as uow:
            for notice in notices:
                await uow.outbox.add(notice)
        reason = f"{NO_CONVERSATION}: the person has not installed the bot yet (it is sent when they do)"
        async with unit_of_work_factory(engine, FixedClock(DEFAULT_NOW))() as uow:
            for notice in notices:
                found = await _query(database_url, "SELECT id FROM outbox WHERE dedupe_key = :k", k=notice.dedupe_key)
                given_up = notice.dedupe_key in dead
                status = OutboxStatus.DEAD if given_up else OutboxStatus.FAILED
                await uow.outbox.mark_failed(int(found[0][0]), GONE if given_up else reason, status)
    finally:
        await engine.dispose()


async def person_id(database_url: str, email: str) -> int:
    return int((await _query(database_url, "SELECT id FROM people WHERE email = :e", e=email))[0][0])


async def until(database_url: str, sql: str, wanted: int, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while (await _query(database_url, sql))[0][0] != wanted:
            await asyncio.sleep(0.2)


async def test_five_undelivered_messages_to_four_people_give_qa_one_summary(database_url: str) -> None:
    people = cast()
    ids = {role: await person_id(database_url, people[role].email) for role in ("worker", "lead", "manager", "head")}
    case = BOROUGH.cases[0].azeus_number
    messages: list[tuple[str, NoticeData]] = [
        ("worker", AuditAssigned(9001, case, "FDA-N", date(2026, 12, 31))),
        ("worker", AuditAssigned(9002, case, "FDA-N", date(2026, 12, 31))),
        ("lead", RedAlert(9001, case, "FDA-N", people["worker"].display_name, "A13", None)),
        ("manager", PimRequest(9004, 9001, case, "FDA-N", date(2026, 12, 4))),
        ("head", AuditAssigned(9003, case, "FDA-N", None)),
    ]
    notices = [Notice(f"e2e:{n}", ids[role], data) for n, (role, data) in enumerate(messages)]
    await undelivered(database_url, notices, dead=frozenset({"e2e:0", "e2e:1"}))  # the worker's two gave up
    async with (
        running_connector() as connector,
        serving(database_url, DEFAULT_NOW, DISPATCH_INTERVAL_SECONDS="1", SWEEP_INTERVAL_SECONDS="2") as app,
    ):
        u = users(app.url, connector)
        await u["qa"].install()  # the other QA officers have not installed the bot

        async with asyncio.timeout(30):
            while not [c for c in cards_to(connector, u["qa"]) if card_texts(c)[:1] == [SUMMARY]]:
                await asyncio.sleep(0.2)
        [summary] = [c for c in cards_to(connector, u["qa"]) if card_texts(c)[:1] == [SUMMARY]]
        shown = card_texts(summary)
        names = [n["text"] for n in walk(summary) if n.get("weight") == "Bolder" and n.get("type") == "TextBlock"]
        assert set(names[1:3]) == {
            f"{people['lead'].display_name} (the bot cannot reach them)",
            f"{people['manager'].display_name} (the bot cannot reach them)",
        }, names  # urgent first: the red alert and the PIM request
        assert len(names) == 1 + 4  # the title, then each of the four people once
        waiting = "has not installed the bot yet; it goes as soon as they do"
        assert f"Urgent: red alert: {waiting}" in shown, shown
        assert f"audit assigned (×2): {GONE}" in shown, shown  # the worker's two, on one line
        assert f"audit assigned: {waiting}" in shown, shown  # the Head of Service's
        retry = [n for n in walk(summary) if n.get("type") == "Action.Execute" and n["title"] == "Retry"]
        assert len(retry) == 1  # the worker's: messages waiting for an install go by themselves, no Retry
        assert len(retry[0]["data"]["outboxes"]) == 2  # the worker's two, retried together

        # none for the QA officers without the bot (a second the same day: the unit tests, at any instant)
        summaries = await _query(database_url, "SELECT person_id, status FROM outbox WHERE kind = 'delivery_failures'")
        qa_id = await person_id(database_url, people["qa"].email)
        assert summaries == [(qa_id, "sent")], summaries  # no failure about a failure either

        worker = TeamsUser(app.url, connector.url, people["worker"].aad_object_id, people["worker"].display_name)
        await worker.install()
        after = await u["qa"].execute(retry[0]["verb"], retry[0]["data"])  # the answer: the outbox as it is now
        assert "2 of 2 messages will be sent again in a moment." in card_texts(after), card_texts(after)
        await until(
            database_url, "SELECT count(*) FROM outbox WHERE dedupe_key IN ('e2e:0', 'e2e:1') AND status = 'sent'", 2
        )  # delivered: and so gone from the outbox
        listing = await outbox_listing(connector, u["qa"], people["lead"].display_name)
        assert f"audit assigned to {people['worker'].display_name}" not in str(listing)
        assert "Urgent: red alert to" in str(listing)
        assert len(str(listing).encode()) < 28 * 1024
        qa_managers = [p for p in BOROUGH.people if Role.QA_MANAGER in p.roles]
        assert qa_managers  # there were QA officers to leave out


async def test_outbox_pages_ten_at_a_time(database_url: str) -> None:
    head = await person_id(database_url, cast()["head"].email)
    many = [Notice(f"page:{n}", head, AuditAssigned(n, "DEMO-900001", "FDA-N", None)) for n in range(23)]
    await undelivered(database_url, many, dead=frozenset(n.dedupe_key for n in many))  # each with Retry
    async with (
        running_connector() as connector,
        serving(database_url, DEFAULT_NOW, DISPATCH_INTERVAL_SECONDS="1") as app,
    ):
        u = users(app.url, connector)
        await u["qa"].install()
        first = await outbox_listing(connector, u["qa"], "page 1 of 3")
        assert sum(n.get("type") == "Action.Execute" and n["title"] == "Retry" for n in walk(first)) == 10
        later = await u["qa"].press(first, "Next")
        assert "page 2 of 3" in str(later)
        back = await u["qa"].press(later, "Back")
        assert "page 1 of 3" in str(back)
        assert all(len(str(c).encode()) < 28 * 1024 for c in (first, later, back))
