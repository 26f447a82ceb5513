"""The audit workflow over real HTTP: a Practice Learning Conversation from start to Red alert.

The bot runs as its own process on a fresh database (SQLite and PostgreSQL); Teams is played
by activities posted to it, and a fake Bot Connector records every proactive message.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from plf_core.demo_borough import build_demo_borough
from plf_core.directory_import import PersonRow
from plf_core.forms.model import Contributor, DateRule, FieldKind
from plf_core.forms.registry import get_form
from plf_core.vocabulary import Role
from tests.card_tree import inputs, walk
from tests.e2e.running_app import plf, plf_env, running_app, serving
from tests.e2e.teams import TeamsUser, answer_ids, card_texts, find_action, input_ids
from tests.fakes.connector import FakeConnector, running_connector

BOROUGH = build_demo_borough()
PEOPLE = {p.email: p for p in BOROUGH.people}
PLC = get_form("practice_learning_conversation")


def cast() -> dict[str, PersonRow]:
    """A case, its worker and the team's leaders, and a QA officer, from the demo borough."""
    case = BOROUGH.cases[0]
    team = next(t for t in BOROUGH.teams if t.code == case.team_code)
    others = [p for p in BOROUGH.people if Role.PRACTITIONER in p.roles and p.team_code != case.team_code]
    return {
        "worker": PEOPLE[case.allocated_worker_email or ""],
        "lead": PEOPLE[team.practice_lead_email or ""],
        "manager": PEOPLE[team.service_manager_email or ""],
        "head": PEOPLE[team.head_of_service_email or ""],
        "qa": next(p for p in BOROUGH.people if Role.PRACTICE_LEARNING_REVIEWER in p.roles),
        "stranger": others[0],
    }


def answers_for(page_id: str, editors: set[Contributor], grade: str = "green") -> dict[str, Any]:
    page = PLC.page(page_id)
    values: dict[str, Any] = {}
    for f in page.fields:
        if f.prefilled_from or page.editor_of(f) not in editors:
            continue
        values[f.id] = {
            FieldKind.YES_NO: "no",
            FieldKind.GRADE: grade,
            FieldKind.SCALE_10: "6",
            FieldKind.DATE: "2026-11-20",
            FieldKind.CHOICE: "self",
            FieldKind.TEXT: "Written by the demo user",
            FieldKind.LONG_TEXT: "Synthetic evidence: the plan was reviewed with the family.",
        }[f.kind]
    return values


async def fill_pages(
    user: TeamsUser, card: dict[str, Any], pages: list[str], editors: set[Contributor], grade: str
) -> dict[str, Any]:
    """Fill each page and press Next (or Review and submit) until past the last of `pages`."""
    for page_id in pages:
        current = find_action(card, "Save")["data"]["page"]
        assert current == page_id, (current, page_id, card_texts(card)[:3])
        titles = {a.get("title") for a in walk(card) if a.get("type") == "Action.Execute"}
        title = "Review and submit" if "Review and submit" in titles else "Next"  # one's own last page
        card = await user.press(card, title, answers_for(page_id, editors, grade))
        errors = [t for t in card_texts(card) if "need" in t and "attention" in t]
        assert not errors, card_texts(card)
    return card


@pytest.fixture
async def bot(database_url: str, now: datetime) -> Any:
    """The bot in this process on the demo borough, and the fake Bot Connector it answers to."""
    async with running_connector() as connector, serving(database_url, now, DISPATCH_INTERVAL_SECONDS="1") as app:
        yield app, connector


def users(app_url: str, connector: FakeConnector) -> dict[str, TeamsUser]:
    return {role: TeamsUser(app_url, connector.url, p.aad_object_id, p.display_name) for role, p in cast().items()}


def cards_to(connector: FakeConnector, user: TeamsUser) -> list[dict[str, Any]]:
    return [
        r.activity["attachments"][0]["content"]
        for r in connector.received
        if r.conversation_id == user.conversation_id and r.activity.get("attachments")
    ]


async def outbox_listing(connector: FakeConnector, qa: TeamsUser, needle: str, timeout: float = 15) -> dict[str, Any]:
    """QA's `outbox`, asked until it lists `needle` (a failure is recorded a moment after the send)."""
    import asyncio

    async with asyncio.timeout(timeout):
        while True:
            seen = len(cards_to(connector, qa))
            await qa.say("outbox")
            while len(cards_to(connector, qa)) <= seen:
                await asyncio.sleep(0.05)
            listing = cards_to(connector, qa)[-1]
            if needle in str(listing):
                return listing
            await asyncio.sleep(0.3)


async def wait_for_card(connector: FakeConnector, user: TeamsUser, needle: str, timeout: float = 15) -> dict[str, Any]:
    import asyncio

    async with asyncio.timeout(timeout):
        while True:
            for card in cards_to(connector, user):
                if any(needle in t for t in card_texts(card)):
                    return card
            await asyncio.sleep(0.1)


async def test_a_red_self_audit_alerts_the_service_manager_and_head_of_service(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    worker, lead = cast()["worker"], cast()["lead"]
    case = BOROUGH.cases[0].azeus_number

    assert await u["qa"].say(f"assign {case} to {worker.email} with {lead.email}") == 202
    created = await wait_for_card(connector, u["qa"], "created")
    audit_id = int(re.search(r"Audit (\d+) created", " ".join(card_texts(created)))[1])  # type: ignore[index]
    start = await wait_for_card(connector, u["worker"], "New Practice Learning Conversation")
    lead_start = await wait_for_card(connector, u["lead"], "New Practice Learning Conversation")
    # each start card is worded for its reader
    assert any(f"with {lead.display_name} (your Practice Lead)" in t for t in card_texts(start))
    assert any(f"with {worker.display_name}" in t and "ready for your sections" in t for t in card_texts(lead_start))

    assert await u["worker"].say("my audits") == 202
    listing = await wait_for_card(connector, u["worker"], "Your open audits")
    assert find_action(listing, "Continue")["data"]["audit"] == audit_id

    card = await u["worker"].press(start, "Start")
    practitioner_pages = [p.id for p in PLC.pages if p.editor is Contributor.PRACTITIONER]
    card = await fill_pages(u["worker"], card, practitioner_pages, {Contributor.PRACTITIONER}, "amber")
    clicks = 1 + len(practitioner_pages)  # Start, then Next on each page ("Review and submit" on the last)
    print(f"\ncard actions for a practitioner to complete their part of a Practice Learning Conversation: {clicks}")
    assert clicks <= 12
    # past their own last page, straight to the review (never the manager's read-only pages), which says
    # their part is complete and who finishes it; no Submit for them
    assert any(t.startswith("Your part is complete — " + lead.display_name) for t in card_texts(card)), card_texts(card)
    assert "Submit" not in {a.get("title") for a in walk(card) if a.get("type") == "Action.Execute"}

    ready = await wait_for_card(connector, u["lead"], f"Ready for you: case {case}")  # the Practice Lead is told
    card = await u["lead"].press(ready, "Continue")
    assert find_action(card, "Save")["data"]["page"] == "manager_judgement"  # their first page with work left
    manager_pages = ["manager_judgement", "manager_overall", "action_plan", "head_of_service"]
    card = await fill_pages(u["lead"], card, manager_pages[:3], {Contributor.MANAGER}, "red")
    assert find_action(card, "Submit")  # past the Head of Service's page (nothing for the PL): the review
    done = await u["lead"].press(card, "Submit")
    assert any("Graded Red" in t for t in card_texts(done))

    alert_sm = await wait_for_card(connector, u["manager"], f"Red — Inadequate: case {case}")
    alert_hos = await wait_for_card(connector, u["head"], f"Red — Inadequate: case {case}")
    said = f"graded Red — Inadequate by the manager's judgement ({lead.display_name})."  # the practitioner gave Amber
    assert any(said in t for t in card_texts(alert_sm)), card_texts(alert_sm)
    pim = await wait_for_card(connector, u["head"], "Practice Improvement Meeting needed")
    await wait_for_card(connector, u["worker"], "Final audit")
    assert find_action(pim, "Open the PIM record")["data"]["audit"] != audit_id

    # the practitioner receives the outcomes chart, behind a signed link the bot serves
    chart = await wait_for_card(connector, u["worker"], f"Outcomes chart: case {case}")
    url = next(n["url"] for n in walk(chart) if n.get("type") == "Image")
    assert url.startswith(f"{app.url}/links/charts/")
    await check_chart_link(url)
    assert not [c for c in cards_to(connector, u["lead"]) if any("Outcomes chart" in t for t in card_texts(c))]

    for role, alert in (("manager", alert_sm), ("head", alert_hos)):
        view = await u[role].press(alert, "Open the audit (read-only)")
        assert "Read-only view" in card_texts(view)
        assert answer_ids(view) == []

    again = await u["lead"].execute("audit.submit", {"audit": audit_id, "version": 1})
    assert any("already submitted" in t for t in card_texts(again))  # a double click is harmless

    # the action plan's rows are tracked actions: their owner (here nobody of the name typed, so the
    # practitioner) has them, each with Done; Done says what is left, and 'done' confirms the rest
    mine = await wait_for_card(connector, u["worker"], f"Actions for you from the audit of case {case}")
    dones = [a for a in walk(mine) if a.get("type") == "Action.Execute" and a.get("title") == "Done"]
    assert len(dones) == 5
    first = card_texts(await u["worker"].execute(dones[0]["verb"], dones[0]["data"]))
    assert any(t.startswith("Thank you: ") and "4 action(s) of this audit are still open" in t for t in first), first
    assert await u["lead"].say(f"done {audit_id}") == 202
    await wait_for_card(connector, u["lead"], f"4 action(s) for case {case} are recorded as completed")


async def check_chart_link(url: str) -> None:
    """The link gives a PNG of the chart; the same link altered by one character gives 404."""
    import io

    import aiohttp
    import PIL.Image

    token = url.rsplit("/", 1)[1].removesuffix(".png")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert response.status == 200
            assert response.content_type == "image/png"
            assert response.headers["Cache-Control"].startswith("private")
            image = PIL.Image.open(io.BytesIO(await response.read()))
            assert image.size == (720, 640)
        for bad in (url.replace(token, flipped), url.replace(token, token[:20])):
            async with http.get(bad) as response:
                assert response.status == 404


async def _query(database_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    from store.database import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(r) for r in await connection.execute(text(sql), params)]
    finally:
        await engine.dispose()


async def access_log(database_url: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    from store.database import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT actor_aad_object_id, action, object_type, object_id, activity_id, outcome FROM access_log")
            )
            return [tuple(r) for r in rows]
    finally:
        await engine.dispose()


async def test_a_forged_audit_id_and_a_stale_card_are_refused(bot: Any, database_url: str) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    worker = cast()["worker"]
    await u["qa"].say(f"assign {BOROUGH.cases[0].azeus_number} to {worker.email}")
    created = await wait_for_card(connector, u["qa"], "created")
    audit_id = int(re.search(r"Audit (\d+) created", " ".join(card_texts(created)))[1])  # type: ignore[index]

    forged = await u["stranger"].execute("audit.open", {"audit": audit_id})
    assert any("is not one you can open" in t for t in card_texts(forged))
    assert input_ids(forged) == []
    forged_save = await u["stranger"].execute(
        "page.save", {"audit": audit_id, "version": 1, "page": "header"}, {"H_date": "2026-01-01"}
    )
    assert any("is not one you can open" in t for t in card_texts(forged_save))

    card = await u["worker"].execute("audit.open", {"audit": audit_id})
    saved = await u["worker"].press(card, "Save", {"H_how": "self", "H_date": "2026-11-18"})
    assert any(t.startswith("Saved.") for t in card_texts(saved))
    stale = await u["worker"].press(card, "Save", {"H_how": "plc", "H_date": "2026-11-19"})  # the old card
    assert any("changed this meanwhile to \u201c2026-11-18\u201d" in t for t in card_texts(stale))  # both values
    assert {n["id"]: n.get("value") for n in _inputs(stale)}["H_date"] == "2026-11-19"  # the typing kept
    reopened = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "header"})
    values = {n["id"]: n.get("value") for n in _inputs(reopened)}
    assert values["H_how"] == "self"
    assert values["H_date"] == "2026-11-18"

    log = await access_log(database_url)
    stranger = cast()["stranger"].aad_object_id
    assert (stranger, "open", "audit", str(audit_id), "denied") in [(*r[:4], r[5]) for r in log]
    assert (stranger, "write", "audit", str(audit_id), "denied") in [(*r[:4], r[5]) for r in log]
    assert (worker.aad_object_id, "write", "audit", str(audit_id), "conflict") in [(*r[:4], r[5]) for r in log]
    assert all(r[4] for r in log if r[1] in ("open", "write"))  # which activity
    assert "2026-11-20" not in str(log)  # the log holds no answers

    not_qa = await u["worker"].say(f"assign {BOROUGH.cases[1].azeus_number} to {worker.email}")
    assert not_qa == 202
    await wait_for_card(connector, u["worker"], "only the QA team can use 'assign'")


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(inputs(card).values())


async def assigned(u: dict[str, TeamsUser], connector: FakeConnector, case_index: int = 0) -> int:
    worker, case = cast()["worker"], BOROUGH.cases[case_index]
    anyway = " anyway" if case.team_code != worker.team_code else ""  # another team's case is asked about first
    await u["qa"].say(f"assign {case.azeus_number} to {worker.email}{anyway}")
    created = await wait_for_card(connector, u["qa"], "created")
    return int(re.search(r"Audit (\d+) created", " ".join(card_texts(created)))[1])  # type: ignore[index]


async def test_a_draft_survives_a_restart_of_the_bot(database_url: str, tmp_path: Path) -> None:
    async with running_connector() as connector:  # the bot as its own process: the restart is the point
        async with running_app(database_url, tmp_path, DISPATCH_INTERVAL_SECONDS="1") as app:
            u = users(app.url, connector)
            await u["qa"].install()
            await u["worker"].install()
            audit_id = await assigned(u, connector)
            card = await u["worker"].execute("audit.open", {"audit": audit_id})
            card = await u["worker"].press(card, "Next", {"H_how": "self", "H_date": "2026-11-19"})
            await u["worker"].press(card, "Save", {"A1a": "yes", "A1b": "Seen on the file before the restart."})
        async with running_app(database_url, tmp_path, DISPATCH_INTERVAL_SECONDS="1") as app:
            worker = users(app.url, connector)["worker"]
            card = await worker.execute("audit.open", {"audit": audit_id})  # on another device, days later
            values = {n["id"]: n.get("value") for n in _inputs(card)}
            assert find_action(card, "Save")["data"]["page"] == "part_a_assessment"
            assert values["A1a"] == "yes"
            assert values["A1b"] == "Seen on the file before the restart."
            back = await worker.press(card, "Back")
            assert {n["id"]: n.get("value") for n in _inputs(back)}["H_date"] == "2026-11-19"

            wrong = await worker.press(back, "Next", {"H_how": "plc", "H_second": "Hazel", "H_date": "19/11/2026"})
            assert "Date the audit was completed must be a date written as YYYY-MM-DD (got '19/11/2026')" in card_texts(
                wrong
            )
            assert {n["id"]: n.get("value") for n in _inputs(wrong)}["H_date"] == "19/11/2026"  # what was typed
            again = await worker.execute("audit.open", {"audit": audit_id, "page": "header"})
            kept = {n["id"]: n.get("value") for n in _inputs(again)}
            assert (kept["H_how"], kept["H_second"], kept["H_date"]) == ("plc", "Hazel", "2026-11-19")

            assert await worker.uninstall() in (200, 202)
            reachable = await _query(
                database_url, "SELECT reachable FROM people WHERE aad_object_id = :a", a=cast()["worker"].aad_object_id
            )
            assert reachable == [(False,)] or reachable == [(0,)]


async def test_429_is_retried_and_403_marks_the_person_unreachable_and_tells_qa(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    connector.fail_next(429, 1, {"Retry-After": "1"}, conversation=u["worker"].conversation_id)
    await assigned(u, connector)
    await wait_for_card(connector, u["worker"], "New Practice Learning Conversation")
    assert (429, u["worker"].conversation_id) in connector.refused
    assert len([c for c in cards_to(connector, u["worker"]) if "New Practice" in str(c)]) == 1

    connector.fail_next(403, 5, conversation=u["worker"].conversation_id)
    await assigned(u, connector, case_index=1)
    await outbox_listing(connector, u["qa"], "BotNotInConversationRoster")  # the day's summary tells QA
    refused_403 = [r for r in connector.refused if r[0] == 403]
    assert len(refused_403) == 1  # a 403 is never retried


async def test_unknown_people_are_told_politely_and_qa_can_list_them(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    await u["qa"].install()
    newcomer = TeamsUser(app.url, connector.url, "11111111-2222-4333-8444-555555555555", "Newly Joined Worker")
    await newcomer.say("hello")
    await wait_for_card(connector, newcomer, "I have told the QA team")  # raises if it never comes
    await wait_for_card(connector, u["qa"], "Someone not in the directory wrote to the bot")
    pressed = await newcomer.execute("page.save", {"audit": 1, "version": 1, "page": "header"})  # an old card
    assert any("not in the directory" in t or "I have told the QA team" in t for t in card_texts(pressed))
    await u["qa"].say("unknown people")
    listing = await wait_for_card(connector, u["qa"], "People not in the directory")
    assert any("Newly Joined Worker" in t for t in card_texts(listing))
    await u["worker"].say("unknown people")
    await wait_for_card(connector, u["worker"], "only the QA team can use 'unknown people'")


async def test_the_pim_date_shows_on_the_audit_once_held_and_qa_marks_it_uploaded(
    bot: Any, database_url: str, tmp_path: Path
) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    worker, lead = cast()["worker"], cast()["lead"]
    await u["qa"].say(f"assign {BOROUGH.cases[0].azeus_number} to {worker.email} with {lead.email}")
    created = await wait_for_card(connector, u["qa"], "created")
    audit_id = int(re.search(r"Audit (\d+) created", " ".join(card_texts(created)))[1])  # type: ignore[index]
    card = await u["worker"].execute("audit.open", {"audit": audit_id})
    await fill_pages(
        u["worker"],
        card,
        [p.id for p in PLC.pages if p.editor is Contributor.PRACTITIONER],
        {Contributor.PRACTITIONER},
        "red",
    )
    card = await u["lead"].execute("audit.open", {"audit": audit_id})
    card = await fill_pages(
        u["lead"], card, ["manager_judgement", "manager_overall", "action_plan"], {Contributor.MANAGER}, "red"
    )
    await u["lead"].press(card, "Submit")  # on the review

    pim_notice = await wait_for_card(connector, u["head"], "Practice Improvement Meeting needed")
    pim = await u["head"].press(pim_notice, "Open the PIM record")
    from tests.card_tree import inputs

    offered = inputs(pim)["PIM_sw_tm"]["value"]  # what the bot knows, written in for the chair
    assert offered == f"{worker.display_name} / {lead.display_name}"
    pim_form = get_form("practice_improvement_meeting")
    for page in pim_form.pages:
        values: dict[str, Any] = {}
        for f in page.fields:
            if f.prefilled_from:
                continue
            held = "2026-12-01" if f.dated is DateRule.DUE else "2026-11-19"  # deadlines ahead, the rest done
            values[f.id] = {FieldKind.DATE: held, FieldKind.GRADE: "amber"}.get(f.kind, "Synthetic minutes.")
        title = "Review and submit" if page.id == pim_form.pages[-1].id else "Next"
        pim = await u["head"].press(pim, title, values)
    done = await u["head"].press(pim, "Submit")
    assert any("Submitted" in t for t in card_texts(done))

    view = await u["worker"].execute("audit.view", {"audit": audit_id})
    assert any("PIM held on Thu 19 Nov 2026" in t for t in card_texts(view))

    await u["qa"].say(f"uploaded {audit_id}")
    await wait_for_card(connector, u["qa"], "is recorded as uploaded to Azeus")

    out = tmp_path / "audit.html"
    # in a thread: the bot serves from this test's event loop, which must go on while `plf` runs
    exported = await asyncio.to_thread(plf, ["export", str(audit_id), "--out", str(out)], plf_env(database_url))
    assert exported.returncode == 0, exported.stderr
    html = out.read_text()
    assert f"<strong>{BOROUGH.cases[0].azeus_number}</strong>" in html
    assert "Red — Inadequate" in html
    assert "held on 2026-11-19" in html
    assert "A1a: Is the record up to date, comprehensive and tells the child&#39;s story?" in html
    assert "Synthetic evidence: the plan was reviewed with the family." in html
    assert "<script" not in html
    assert '<img src="data:image/png;base64,' in html  # the outcomes chart, embedded
    assert "(Appendix 2)" in html
    assert "seed" not in html
