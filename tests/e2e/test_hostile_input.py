"""Hostile and malformed input never gets a 5xx: it is refused by name and nothing saved is lost.

Each of these failed before its fix: nested JSON escaped as a 500 (RecursionError), a Unicode
digit in a card's ids as a 503 ("²".isdigit() but int("²") raises), and a NUL in an answer as a
failed save on PostgreSQL (JSONB refuses U+0000).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import pytest

from tests.e2e.running_app import serving
from tests.e2e.teams import TeamsUser, card_texts
from tests.e2e.test_audit_workflow import access_log, assigned, cast, users, wait_for_card
from tests.fakes.connector import running_connector


@pytest.fixture
async def bot(database_url: str, now: datetime) -> AsyncIterator[Any]:
    async with running_connector() as connector, serving(database_url, now, DISPATCH_INTERVAL_SECONDS="1") as app:
        yield app, connector


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000],
    ids=["array-100000-deep", "object-20000-deep"],
)
async def test_json_nested_too_deep_gets_400_naming_the_problem(migrated_url: str, body: bytes) -> None:
    async with serving(migrated_url) as app, aiohttp.ClientSession() as http:
        headers = {"Content-Type": "application/json"}
        async with http.post(f"{app.url}/api/messages", data=body, headers=headers) as response:
            assert response.status == 400
            assert "nested too deeply" in (await response.json())["error"]


async def refused(user: TeamsUser, verb: str, data: dict[str, Any]) -> list[str]:
    """Press a forged button: the answer is a card (HTTP 200) that says it could not be used."""
    return card_texts(await user.execute(verb, data))


async def test_unicode_digits_in_a_cards_ids_are_refused_as_a_card_that_cannot_be_used(bot: Any) -> None:
    app, connector = bot
    worker = users(app.url, connector)["worker"]
    await worker.install()
    for data in ({"audit": "²"}, {"audit": "1", "version": "³", "page": "header"}, {"dip_sample": "٣²"}):
        verb = "dip.open" if "dip_sample" in data else "page.save" if "version" in data else "audit.open"
        texts = await refused(worker, verb, data)
        assert any(t.startswith("This card could not be used") and "is not a number" in t for t in texts), texts


async def test_a_nul_in_an_answer_is_refused_by_name_and_the_draft_is_kept(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    audit_id = await assigned(u, connector)
    card = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "header"})
    saved = await u["worker"].press(card, "Save", {"H_how": "self", "H_date": "2026-11-20"})
    assert any(t.startswith("Saved.") for t in card_texts(saved))
    texts = card_texts(await u["worker"].press(saved, "Save", {"H_how": "self", "H_date": "2026-11-2\x000"}))
    assert any("NUL character (U+0000)" in t for t in texts), texts
    reopened = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "header"})
    values = {i["id"]: i.get("value") for i in _inputs(reopened)}
    assert values["H_date"] == "2026-11-20"  # what was saved before is intact
    again = await u["worker"].press(reopened, "Save", {"H_how": "self", "H_date": "2026-11-19"})
    assert any(t.startswith("Saved.") for t in card_texts(again))  # and the audit still saves


async def test_a_nul_in_a_chat_message_gets_an_answer_naming_it(bot: Any) -> None:
    app, connector = bot
    qa = users(app.url, connector)["qa"]
    await qa.install()
    assert await qa.say("assign DEMO-900100\x00 to someone") == 202
    await wait_for_card(connector, qa, "NUL character (U+0000)")


async def test_a_forged_save_of_another_contributors_field_is_refused_logged_and_stores_nothing(
    bot: Any, database_url: str
) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    audit_id = await assigned(u, connector)
    card = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "part_a_judgement"})
    saved = await u["worker"].press(card, "Save", {"A13": "green", "A14": "Visits were on time"})
    assert any(t.startswith("Saved.") for t in card_texts(saved))
    # the Practice Lead's card has no input for A14; a forged save names it beside their own field
    forged = {"audit": audit_id, "version": 2, "page": "part_a_judgement", "A14": "", "MA2": "x"}
    texts = await refused(u["lead"], "page.save", forged)
    assert any("'A14' is for the practitioner to answer, not you: nothing on this page was saved" in t for t in texts)
    reopened = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "part_a_judgement"})
    assert {i["id"]: i.get("value") for i in _inputs(reopened)}["A14"] == "Visits were on time"
    lead_id = cast()["lead"].aad_object_id
    assert (lead_id, "write", "audit", str(audit_id), "denied") in [
        (*row[:4], row[5]) for row in await access_log(database_url)
    ]


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    from tests.card_tree import inputs

    return list(inputs(card).values())
