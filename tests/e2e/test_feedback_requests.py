"""Asking a family for feedback from Teams, over real HTTP (SQLite and PostgreSQL): a practitioner types
`feedback CASE`, chooses who the link is for and gets a card with a one-time link and its QR code; a
name typed instead of a case id offers their own cases; someone else's case is refused; a directory
import that closes a case asks its worker once, by card, and the link made from that card is a
closure link."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from typing import Any

from sqlalchemy import select

from plf_core.feedback.links import token_hash
from store.database import create_engine, session_factory
from store.importer import ImportKind, import_csv
from store.models import FeedbackRequest
from tests.card_tree import walk
from tests.e2e.running_app import serving
from tests.e2e.teams import card_texts, find_action
from tests.e2e.test_audit_workflow import BOROUGH, cards_to, cast, users, wait_for_card
from tests.fakes.connector import running_connector
from tests.instants import LONDON

MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
CASE = BOROUGH.cases[0]
LINK = re.compile(r"https?://\S+/feedback/([A-Za-z0-9_-]{43})$")


async def reply_to(connector: Any, user: Any, text: str) -> dict[str, Any]:
    seen = len(cards_to(connector, user))
    assert await user.say(text) == 202
    return await wait_for_card_after(connector, user, seen)


async def wait_for_card_after(connector: Any, user: Any, seen: int) -> dict[str, Any]:
    import asyncio

    async with asyncio.timeout(15):
        while len(cards_to(connector, user)) <= seen:
            await asyncio.sleep(0.05)
    return cards_to(connector, user)[-1]


def link_of(card: dict[str, Any]) -> str:
    found = [m[1] for t in card_texts(card) if (m := LINK.search(t.strip()))]
    assert len(found) == 1, card_texts(card)
    return found[0]


async def requests(database_url: str) -> list[tuple[str, str, str]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            query = select(FeedbackRequest.token_hash, FeedbackRequest.audience, FeedbackRequest.occasion)
            return [tuple(r) for r in (await connection.execute(query.order_by(FeedbackRequest.id))).all()]
    finally:
        await engine.dispose()


async def test_a_practitioner_gets_a_one_time_link_and_its_qr_code_for_the_family(database_url: str) -> None:
    async with running_connector() as connector, serving(database_url, MORNING, DISPATCH_INTERVAL_SECONDS="1") as app:
        u = users(app.url, connector)
        for user in (u["worker"], u["stranger"]):
            await user.install()
        worker = u["worker"]

        asked = await reply_to(connector, worker, f"Feedback for {CASE.azeus_number.lower()} please")
        assert "Who is the link for?" in card_texts(asked)
        card = await worker.press(asked, "A parent or carer")
        token = link_of(card)
        assert any("Feedback link for a parent or carer: case " + CASE.azeus_number in t for t in card_texts(card))
        assert any("It works once, until Thu 31 Dec 2026" in t for t in card_texts(card))
        [image] = [n for n in walk(card) if n.get("type") == "Image"]
        assert base64.b64decode(image["url"].removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
        assert CASE.azeus_number not in card_texts(card)[2]  # the link itself holds no case id
        assert await requests(database_url) == [(token_hash(token), "parent", "asked")]

        other = await worker.press(card, "A link for the child or young person")
        assert link_of(other) != token
        assert [r[1] for r in await requests(database_url)] == ["parent", "child"]

        named = await reply_to(connector, worker, "feedback Amelia parent")
        assert "Which case?" in card_texts(named)
        assert any("not by anyone's name" in t for t in card_texts(named))
        mine = await worker.press(named, f"Choose {CASE.azeus_number}")
        assert link_of(mine)

        refused = await reply_to(connector, u["stranger"], f"feedback {CASE.azeus_number} child")
        assert any("is not one of yours" in t for t in card_texts(refused)), card_texts(refused)
        assert len(await requests(database_url)) == 3


async def test_a_case_closed_by_an_import_asks_its_worker_once(database_url: str) -> None:
    async with running_connector() as connector, serving(database_url, MORNING, DISPATCH_INTERVAL_SECONDS="1") as app:
        u = users(app.url, connector)
        worker = u["worker"]
        await worker.install()
        row = f"{CASE.azeus_number},{CASE.age},{CASE.cohort.value},{CASE.team_code},03/12/2026\n"
        csv = ("azeus_number,age,cohort,team_code,closed_on\n" + row).encode()
        engine = create_engine(database_url)
        try:
            report = await import_csv(session_factory(engine), ImportKind.CASES, csv, now=MORNING)
            again = await import_csv(session_factory(engine), ImportKind.CASES, csv, now=MORNING)
        finally:
            await engine.dispose()
        assert (report.changed, report.feedback_asked, again.feedback_asked) == (1, 1, 0)

        prompt = await wait_for_card(connector, worker, f"Case {CASE.azeus_number} has closed")
        assert any("closed on Thu 03 Dec 2026" in t for t in card_texts(prompt))
        card = await worker.press(prompt, "For a parent or carer")
        assert any("now that the case has closed" in t for t in card_texts(card))
        assert [r[1:] for r in await requests(database_url)] == [("parent", "closure")]
        find_action(card, "A link for the child or young person")
        closing_cards = [c for c in cards_to(connector, worker) if "has closed" in " ".join(card_texts(c))]
        assert len(closing_cards) == 1


async def answered_by_the_family(database_url: str, token: str, sent: dict[str, str]) -> None:
    """What the page does when the family presses Send (the page itself is tested in test_feedback_page)."""
    from composition import load_feedback_form
    from plf_core.clock import FixedClock
    from plf_core.feedback import asking
    from plf_core.framework_config import Framework
    from plf_core.working_days import Hours
    from store.unit_of_work import unit_of_work_factory

    engine = create_engine(database_url)
    try:
        evening = MORNING  # the bot's own clock stands still at MORNING: what is written then is due
        async with unit_of_work_factory(engine, FixedClock(evening, LONDON))() as uow:
            done = await asking.answer(uow, load_feedback_form(), token, sent, evening, (Framework(), Hours()))
        assert done.thanked
    finally:
        await engine.dispose()


async def test_the_next_audit_of_the_case_shows_what_the_family_said_on_every_page(database_url: str) -> None:
    from tests.e2e.test_audit_workflow import assigned

    async with running_connector() as connector, serving(database_url, MORNING, DISPATCH_INTERVAL_SECONDS="1") as app:
        u = users(app.url, connector)
        for role in ("worker", "qa", "lead"):
            await u[role].install()
        worker = u["worker"]
        child = await reply_to(connector, worker, f"feedback {CASE.azeus_number} child")
        await answered_by_the_family(database_url, link_of(child), {"anything_else": "he hits me when mum is out"})
        card = await reply_to(connector, worker, f"feedback {CASE.azeus_number} parent")
        said = {"useful": "4", "helped": "<b>Being listened to</b> [click](http://example.invalid)"}
        await answered_by_the_family(database_url, link_of(card), said)
        told = await wait_for_card(connector, worker, "The family answered")
        answers = await worker.press(told, "Read their answers")
        assert "he hits me when mum is out" in card_texts(answers)
        assert "4 of 5: Mostly" in card_texts(answers)

        audit_id = await assigned(u, connector)
        page = await worker.execute("audit.open", {"audit": audit_id})
        saved = await worker.press(page, "Save")  # the save's own fast path reads it too
        for shown in (page, saved):
            texts = card_texts(shown)
            assert "What the family said" in texts
            said_lines = next(t for t in texts if "A parent or carer, " in t)
            assert "Was our help useful to your family? 4 of 5; wrote 1 answer." in said_lines
            assert "A child or young person, " in said_lines  # a parent's later answer does not hide the child's
            assert any(f"went at once to case {CASE.azeus_number}'s Practice Lead" in t for t in texts)
            assert f"feedback answers {CASE.azeus_number}" in str(shown)  # 'Read what the family said', typed
        review = await worker.execute("audit.review", {"audit": audit_id})
        assert "What the family said" in card_texts(review)
        words = await reply_to(connector, worker, f"feedback answers {CASE.azeus_number}")
        assert "‹b›Being listened to‹/b› [click]\u200b(http://example.invalid)" in card_texts(words)  # as written


async def test_a_worrying_answer_reaches_the_practice_lead_and_service_manager_as_written(database_url: str) -> None:
    async with running_connector() as connector, serving(database_url, MORNING, DISPATCH_INTERVAL_SECONDS="1") as app:
        u = users(app.url, connector)
        for role in ("worker", "lead", "manager"):
            await u[role].install()
        card = await reply_to(connector, u["worker"], f"feedback {CASE.azeus_number} child")
        words = "He hits me when I'm home. <script>alert(1)</script>"
        await answered_by_the_family(database_url, link_of(card), {"anything_else": words})
        for role in ("lead", "manager"):
            alert = await wait_for_card(connector, u[role], f"Immediate concern: case {CASE.azeus_number}")
            texts = " ".join(card_texts(alert))
            assert "Raised by a child or young person" in texts
            assert "“He hits me when I'm home. ‹script›alert(1)‹/script›” (Is there anything else" in texts
            assert "Words that matched: ‘hits’." in texts
            assert f"The link was given by {cast()['worker'].display_name}." in texts
            assert "goes up the line by the clock, not office hours" in texts
            assert "<script>" not in str(alert)
        told = await wait_for_card(connector, u["worker"], "The family answered")
        assert any("went at once to case" in t for t in card_texts(told))
