"""Good practice and the inspection evidence pack from Teams over real HTTP (SQLite and PostgreSQL): a Head
of Service lists their area's nominations and confirms one (twice: the second press says who had), a
practitioner's forged Confirm is refused and logged, and QA's evidence pack behind its signed link holds
the confirmed example and not the unconfirmed one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from plf_core.periods import quarter
from store.database import create_engine
from store.models import Answer, Audit, Case, Person, Team
from tests.card_tree import walk
from tests.e2e.teams import card_facts, card_texts
from tests.e2e.test_audit_workflow import _query, cast, users, wait_for_card
from tests.e2e.test_reports import bot, database_url, fetch, link  # noqa: F401 (the reports' fixtures)
from tests.instants import LONDON

CONFIRMED = "Synthetic example: the child's wishes are written in their own words and change the plan."
UNCONFIRMED = "Synthetic example: a clear chronology kept up to date by the team."


async def nominate(database_url: str, now: datetime) -> tuple[int, int]:  # noqa: F811
    """Two audits of the Head of Service's area returned last quarter, each nominated by them (HOS4 yes)."""
    start, end = quarter(now.date()).previous().bounds(LONDON)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            head = (
                await connection.execute(select(Person.id).where(Person.email == cast()["head"].email))
            ).scalar_one()
            found = await connection.execute(
                select(Audit.id)
                .join(Case, Case.id == Audit.case_id)
                .join(Team, Team.id == Case.team_id)
                .where(Team.head_of_service_id == head, Audit.form_id == "practice_learning_conversation")
                .where(Audit.final_grade.in_(["blue", "green"]))  # the question is for Good and Outstanding
                .where(Audit.submitted_at >= start, Audit.submitted_at < end)
                .order_by(Audit.id)
                .limit(2)
            )
            first, second = found.scalars().all()
            for audit_id, text in ((first, CONFIRMED), (second, UNCONFIRMED)):
                values = {"HOS2": text, "HOS4": "yes"}
                row = {"audit_id": audit_id, "page_id": "head_of_service", "version": 1, "values": values}
                await connection.execute(insert(Answer).values(**row, is_draft=False, saved_by_id=head, saved_at=now))
    finally:
        await engine.dispose()
    return first, second


def confirm_button(card: dict[str, Any], audit_id: int) -> dict[str, Any]:
    return next(
        n
        for n in walk(card)
        if n.get("type") == "Action.Execute" and n.get("title") == "Confirm" and n["data"].get("audit") == audit_id
    )


async def test_a_confirmed_example_is_in_the_pack_and_an_unconfirmed_one_is_not(
    bot: Any,  # noqa: F811
    database_url: str,  # noqa: F811
    now: datetime,
) -> None:
    app, connector = bot
    u = users(app.url, connector)
    first, second = await nominate(database_url, now)
    for role in ("head", "qa", "worker"):
        assert await u[role].install() in (200, 202)

    assert await u["head"].say("good practice last quarter") == 202
    listed = await wait_for_card(connector, u["head"], "Good practice:")
    shown = card_texts(listed)
    assert "2 example(s): 2 awaiting confirmation, 0 confirmed." in shown
    assert CONFIRMED in shown
    assert UNCONFIRMED in shown
    button = confirm_button(listed, first)
    answer = await u["head"].execute(button["verb"], button["data"])
    assert any(t.startswith("You confirmed case ") and "it now counts as evidence" in t for t in card_texts(answer))
    again = await u["head"].execute(button["verb"], button["data"])
    assert any(t.startswith("You already confirmed case ") for t in card_texts(again))

    forged = await u["worker"].execute(button["verb"], {**button["data"], "audit": second})
    assert any("only a Head of Service of " in t for t in card_texts(forged))
    logged = await _query(database_url, "SELECT outcome FROM access_log WHERE action = 'good_practice_decide'")
    assert [r[0] for r in logged] == ["denied"]
    decided = await _query(database_url, "SELECT audit_id, decision FROM good_practice")
    assert decided == [(first, "confirmed")]

    assert await u["qa"].say("evidence quarter") == 202
    card = await wait_for_card(connector, u["qa"], "Inspection evidence pack:")
    assert card_facts(card)["Confirmed examples of good practice"] == "1"
    status, html, headers = await fetch(link(card, "Open the evidence pack"))
    assert status == 200
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "<h1>Inspection evidence pack</h1>" in html
    assert CONFIRMED.replace("'", "&#39;") in html
    assert UNCONFIRMED not in html

    assert await u["worker"].say("evidence") == 202
    await wait_for_card(connector, u["worker"], "only the QA team and SLT can use 'evidence'")
