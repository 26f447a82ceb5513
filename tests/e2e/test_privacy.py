"""Privacy over a whole journey (SQLite and PostgreSQL): a practitioner completes an audit whose
answers carry a canary (a made-up child's name, date of birth and address, as someone might type
them), it is submitted, QA runs the report. Then the app's log, every outbox payload and the
report produced are scanned for the canary and for the synthetic case records' child-level fields
(legal status, age with gender): none is there. Answers belong in the audit; nowhere else."""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from plf_core.forms.model import Contributor
from tests.card_tree import walk
from tests.e2e.teams import card_texts
from tests.e2e.test_audit_workflow import (  # noqa: F401
    BOROUGH,
    PLC,
    _query,
    answers_for,
    bot,
    cards_to,
    cast,
    fill_pages,
    users,
    wait_for_card,
)

CANARY = ("Zephyrine Quillfeather", "29/02/2012", "12 Imaginary Row")


def canary_answers(page_id: str, editors: set[Contributor], grade: str) -> dict[str, Any]:
    values = answers_for(page_id, editors, grade)
    for field in PLC.page(page_id).fields:
        if field.id in values and field.kind.name in ("LONG_TEXT", "TEXT"):
            values[field.id] = f"Seen with {CANARY[0]}, born {CANARY[1]}, at {CANARY[2]}."
    return values


async def test_nothing_a_user_types_about_a_child_reaches_logs_notices_or_reports(
    bot: Any,  # noqa: F811
    database_url: str,
    monkeypatch: Any,
) -> None:
    import tests.e2e.test_audit_workflow as workflow_tests

    monkeypatch.setattr(workflow_tests, "answers_for", canary_answers)  # every page filled with the canary
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    worker, lead = cast()["worker"], cast()["lead"]
    case = BOROUGH.cases[0]
    assert await u["qa"].say(f"assign {case.azeus_number} to {worker.email} with {lead.email}") == 202
    start = await wait_for_card(connector, u["worker"], "New Practice Learning Conversation")
    card = await u["worker"].press(start, "Start")
    practitioner_pages = [p.id for p in PLC.pages if p.editor is Contributor.PRACTITIONER]
    card = await fill_pages(u["worker"], card, practitioner_pages, {Contributor.PRACTITIONER}, "amber")
    audit_id = int(find_audit(card))
    card = await u["lead"].execute("audit.open", {"audit": audit_id, "page": "manager_judgement"})
    card = await fill_pages(
        u["lead"], card, ["manager_judgement", "manager_overall", "action_plan"], {Contributor.MANAGER}, "amber"
    )
    # the Practice Lead's own last page leads to the review
    done = await u["lead"].press(card, "Submit")
    assert any("Submitted" in t or "submitted" in t for t in card_texts(done)), card_texts(done)
    stored = await _query(database_url, 'SELECT "values" FROM answers WHERE audit_id = :a', a=audit_id)
    assert CANARY[0] in str(stored)  # the answers, canary included, are in the audit where they belong

    assert await u["qa"].say("report quarter") == 202
    summary = await wait_for_card(connector, u["qa"], "Highlight report:")
    url = next(n["url"] for n in walk(summary) if n.get("type") == "Action.OpenUrl")
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        report = await response.text()

    payloads = " ".join(str(p) for (p,) in await _query(database_url, "SELECT payload FROM outbox"))
    sent = " ".join(str(r.activity) for r in connector.received)
    places = {"log": app.log(), "outbox payloads": payloads, "report": report}
    for where, text in places.items():
        for secret in CANARY:
            assert secret not in text, f"{secret!r} found in the {where}"
    assert CANARY[0] not in sent  # nor in any message sent to Teams
    legal = {c.legal_status for c in BOROUGH.cases if c.legal_status}
    for where, text in places.items():
        assert not [s for s in legal if s in text], f"a case's legal status is in the {where}"
        assert not re.search(r"\b(male|female)\W+(aged?\s*)?\d{1,2}\b", text, re.IGNORECASE), where
    assert case.azeus_number not in report  # service-wide: no case ids


def find_audit(card: dict[str, Any]) -> str:
    for node in walk(card):
        data = node.get("data")
        if isinstance(data, dict) and "audit" in data:
            return str(data["audit"])
    raise AssertionError("no audit id on the card")
