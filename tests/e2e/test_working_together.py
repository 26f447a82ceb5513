"""Two people on one audit at once, over HTTP on both databases: saves on different pages both
stay; the same field raced by two people leaves one value stored and the other person looking at
both, their own typing still in the box. Nothing typed is lost."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from tests.card_tree import inputs
from tests.e2e.running_app import serving
from tests.e2e.teams import card_texts
from tests.e2e.test_audit_workflow import BOROUGH, cast, users, wait_for_card
from tests.fakes.connector import running_connector


@pytest.fixture
async def bot(database_url: str, now: datetime) -> AsyncIterator[Any]:
    async with running_connector() as connector, serving(database_url, now, DISPATCH_INTERVAL_SECONDS="1") as app:
        yield app, connector


async def shared_audit(u: dict[str, Any], connector: Any) -> int:
    worker, lead = cast()["worker"], cast()["lead"]
    await u["qa"].say(f"assign {BOROUGH.cases[0].azeus_number} to {worker.email} with {lead.email}")
    created = await wait_for_card(connector, u["qa"], "created")
    return int(re.search(r"Audit (\d+) created", " ".join(card_texts(created)))[1])  # type: ignore[index]


MANAGER_PAGE = "manager_judgement"


def values(card: dict[str, Any]) -> dict[str, Any]:
    return {i["id"]: i.get("value") for i in inputs(card).values()}


async def test_two_people_saving_at_once_both_keep_their_answers(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        await user.install()
    audit_id = await shared_audit(u, connector)
    mine = await u["worker"].execute("audit.open", {"audit": audit_id, "page": "header"})
    theirs = await u["lead"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE})

    # different pages, at the same moment
    a, b = await asyncio.gather(
        u["worker"].press(mine, "Save", {"H_how": "self", "H_date": "2026-11-19"}),
        u["lead"].press(theirs, "Save", {"MA1": "green"}),
    )
    for answer in (a, b):
        assert any(t.startswith("Saved.") for t in card_texts(answer)), card_texts(answer)

    # different fields of one page: the Practice Lead and the Service Manager both write the manager's part
    lead = await u["lead"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE})
    manager = await u["manager"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE})
    a, b = await asyncio.gather(
        u["lead"].press(lead, "Save", {"MA1": "green", "MA2": "Visits on time (synthetic)"}),
        u["manager"].press(manager, "Save", {"MA1": "green", "MB2": "Plan reviewed (synthetic)"}),
    )
    for answer in (a, b):
        assert any(t.startswith("Saved.") for t in card_texts(answer)), card_texts(answer)
    header = values(await u["worker"].execute("audit.open", {"audit": audit_id, "page": "header"}))
    assert (header["H_how"], header["H_date"]) == ("self", "2026-11-19")
    now = values(await u["lead"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE}))
    assert (now["MA1"], now["MA2"], now["MB2"]) == ("green", "Visits on time (synthetic)", "Plan reviewed (synthetic)")

    # the same field from two people, from cards made at the same version
    lead = await u["lead"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE})
    manager = await u["manager"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE})
    a, b = await asyncio.gather(
        u["lead"].press(lead, "Save", {"MA2": "Lead's view (synthetic)"}),
        u["manager"].press(manager, "Save", {"MA2": "Manager's view (synthetic)"}),
    )
    won = [c for c in (a, b) if any(t.startswith("Saved.") for t in card_texts(c))]
    lost = [c for c in (a, b) if any("changed this meanwhile" in t for t in card_texts(c))]
    assert (len(won), len(lost)) == (1, 1), [card_texts(a), card_texts(b)]
    stored = values(await u["lead"].execute("audit.open", {"audit": audit_id, "page": MANAGER_PAGE}))["MA2"]
    other = {"Lead's view (synthetic)", "Manager's view (synthetic)"} - {stored}
    assert values(lost[0])["MA2"] in other  # the later one's typing is in the box...
    assert any(f"\u201c{stored}\u201d" in t for t in card_texts(lost[0]))  # ...beside the stored value
