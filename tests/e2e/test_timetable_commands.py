"""QA drives the timetable from chat over real HTTP: preview, reminders and escalations (dry run
first), snooze, and failed deliveries with Retry (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plf_core.periods import cycle_containing
from plf_core.vocabulary import Role
from plf_core.working_days import add_working_days, is_working_day
from tests.card_tree import walk
from tests.e2e.teams import card_facts, card_texts
from tests.e2e.test_audit_workflow import (  # noqa: F401
    BOROUGH,
    _query,
    assigned,
    bot,
    cards_to,
    cast,
    outbox_listing,
    users,
    wait_for_card,
)
from tests.instants import at_instants

LONDON = ZoneInfo("Europe/London")


async def execute(database_url: str, sql: str, **params: Any) -> None:
    from sqlalchemy import text

    from store.database import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(sql), params)
    finally:
        await engine.dispose()


async def outbox_rows(database_url: str) -> int:
    return int((await _query(database_url, "SELECT count(*) FROM outbox"))[0][0])


@at_instants
async def test_qa_previews_and_sends_reminders_and_escalations(bot: Any, database_url: str, now: datetime) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    audit_id = await assigned(u, connector)
    team = BOROUGH.cases[0].team_code

    assert await u["qa"].say("timetable 40") == 202
    preview = await wait_for_card(connector, u["qa"], "The timetable: the next 40 days")
    shown = card_texts(preview)
    today = now.astimezone(LONDON).date()
    due_on = cycle_containing(today).due_on  # the assigned audit is due at the cycle's end
    first_of_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    reminder_day = first_of_next if is_working_day(first_of_next) else add_working_days(first_of_next, 1)
    reminder = f"{reminder_day:%a %d %b}: monthly reminder before reviews are due, to everyone with an open audit"
    if first_of_next <= due_on:  # a month's reminder is about the reviews due from that month on
        assert f"{reminder} — 2 people" in shown, shown  # the practitioner and their Practice Lead, the second person
    else:
        assert not any(line.startswith(reminder) for line in shown), shown
    outstanding = due_on - timedelta(days=7)
    while not is_working_day(outstanding):
        outstanding += timedelta(days=1)
    if today < outstanding <= today + timedelta(days=40):  # the assigned audit is due at the cycle's end
        line = f"{outstanding:%a %d %b}: the outstanding reviews a week before the due date, each for their own team or service area"
        assert f"{line} — 3 people" in shown, shown  # the team's Practice Lead, Service Manager and Head of Service
    assert len(shown) == len(set(shown))

    before = await outbox_rows(database_url)
    assert await u["qa"].say(f"remind {team} --dry-run") == 202
    dry = await wait_for_card(connector, u["qa"], "Dry run, nothing sent")
    assert any(f"2 people in {team} would get a reminder" in t for t in card_texts(dry)), card_texts(dry)
    assert await outbox_rows(database_url) == before  # a dry run sends nothing

    assert await u["qa"].say("remind CLA-X") == 202
    await wait_for_card(connector, u["qa"], "there is no team or service area 'CLA-X'; did you mean")

    assert await u["qa"].say(f"remind {team}") == 202
    await wait_for_card(connector, u["qa"], "Sent a reminder to 2 people")
    digest = await wait_for_card(connector, u["worker"], "Your Practice Learning reminders")
    snoozed = await u["worker"].press(digest, "Snooze 1 day")
    assert any("snoozed until" in t for t in card_texts(snoozed))
    assert await u["qa"].say(f"remind {team}") == 202
    await wait_for_card(connector, u["qa"], "already sent today")

    await execute(database_url, "UPDATE audits SET due_on = :day WHERE id = :id", day=date(2026, 1, 31), id=audit_id)
    assert await u["qa"].say("escalate --dry-run") == 202
    await wait_for_card(connector, u["qa"], "would get the escalation of 1 overdue review(s)")


async def test_failed_deliveries_are_listed_with_retry(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    connector.fail_next(400, 1, conversation=u["worker"].conversation_id)  # refused for good: dead-lettered
    await assigned(u, connector)
    listing = await outbox_listing(connector, u["qa"], "audit assigned to")
    dead = (await _query(database_url, "SELECT id FROM outbox WHERE status = 'dead'"))[0][0]
    button = next(n for n in walk(listing) if n.get("type") == "Action.Execute" and n["data"].get("outbox") == dead)
    retried = await u["qa"].execute(button["verb"], button["data"])
    assert any("will be sent again" in t for t in card_texts(retried)), card_texts(retried)
    await wait_for_card(connector, u["worker"], "New Practice Learning Conversation")
    assert await u["worker"].say("outbox") == 202
    await wait_for_card(connector, u["worker"], "only the QA team can use 'outbox'")


async def test_a_throttled_then_failing_connector_loses_nothing_and_sends_once(bot: Any) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    worker = u["worker"].conversation_id
    connector.fail_next(429, 1, {"Retry-After": "1"}, conversation=worker)
    connector.fail_next(500, 2, conversation=worker)
    await assigned(u, connector)
    await wait_for_card(connector, u["worker"], "New Practice Learning Conversation", timeout=40)
    assert [status for status, conversation in connector.refused if conversation == worker] == [429, 500, 500]
    import asyncio

    await asyncio.sleep(2.0)  # nothing more arrives: exactly one start card
    starts = [c for c in cards_to(connector, u["worker"]) if "New Practice Learning Conversation" in str(c)]
    assert len(starts) == 1


@at_instants
async def test_the_data_and_impact_team_marks_the_case_data_as_sent(bot: Any, database_url: str, now: datetime) -> None:  # noqa: F811
    from tests.e2e.teams import TeamsUser

    today = now.astimezone(LONDON).date()

    app, connector = bot
    u = users(app.url, connector)
    data_person = next(p for p in BOROUGH.people if Role.DATA_AND_IMPACT in p.roles)
    data = TeamsUser(app.url, connector.url, data_person.aad_object_id, data_person.display_name)
    for user in (u["qa"], u["worker"], data):
        assert await user.install() in (200, 202)
    cycle = cycle_containing(today).code

    assert await u["qa"].say("status") == 202
    before = await wait_for_card(connector, u["qa"], f"cycle {cycle}")
    assert card_facts(before)["Case data for the cycle"] == "not yet marked as sent"

    refused = await u["worker"].execute("data_request.sent", {"cycle": cycle})
    assert any("only the Data & Impact team or QA" in t for t in card_texts(refused)), card_texts(refused)
    unknown = await data.execute("data_request.sent", {"cycle": "1999-Q1"})
    assert any("There is no cycle '1999-Q1'" in t for t in card_texts(unknown)), card_texts(unknown)
    assert (await _query(database_url, "SELECT count(*) FROM cycles WHERE data_sent_at IS NOT NULL"))[0][0] == 0

    marked = await data.execute("data_request.sent", {"cycle": cycle})
    assert any(f"the case data for {cycle} is marked as sent" in t for t in card_texts(marked)), card_texts(marked)
    again = await data.execute("data_request.sent", {"cycle": cycle})
    assert any(f"already marked as sent by {data_person.display_name}" in t for t in card_texts(again))
    rows = await _query(database_url, "SELECT code, data_sent_by_id FROM cycles WHERE data_sent_at IS NOT NULL")
    assert [r[0] for r in rows] == [cycle]
    logged = await _query(
        database_url, "SELECT outcome FROM access_log WHERE action LIKE 'data_request_sent%' ORDER BY id"
    )
    assert [r[0] for r in logged] == ["denied", "not_found", "ok", "already"]  # refusals are logged too

    connector.received.clear()
    assert await u["qa"].say("status") == 202
    after = await wait_for_card(connector, u["qa"], f"cycle {cycle}")
    shown = card_facts(after)["Case data for the cycle"]
    assert shown == f"sent, marked by {data_person.display_name} on {today:%d %b %Y}", shown
