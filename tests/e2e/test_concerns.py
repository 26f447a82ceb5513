"""An immediate concern over real HTTP (SQLite and PostgreSQL): a practitioner raises one from page 3 of a
Practice Learning Conversation at 22:00; the Practice Lead and Service Manager have it within seconds;
nobody acknowledges, so the Head of Service gets it once the configured time has passed (the escalation
job run at that later time); the Service Manager acknowledges and the practitioner is told who has it; the
page's draft is as it was; a forged acknowledgement from another area is refused and logged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plf_core.clock import FixedClock
from plf_core.concerns import TEXT
from plf_core.forms.registry import get_form
from plf_core.framework_config import Framework
from plf_core.working_days import Hours
from scheduler.jobs import escalate_concerns
from tests.e2e.running_app import serving
from tests.e2e.teams import card_texts, find_action, input_ids
from tests.e2e.test_audit_workflow import _query, access_log, assigned, cards_to, users, wait_for_card
from tests.fakes.connector import running_connector
from tests.instants import LONDON, JumpingClock

PLC = get_form("practice_learning_conversation")
NIGHT = datetime(2026, 12, 3, 22, 0, tzinfo=LONDON)  # a Thursday, 22:00
CONCERN = "Visit notes mention bruising to the child's arm; no strategy discussion is recorded."


def values_of(card: dict[str, Any]) -> dict[str, Any]:
    from tests.card_tree import walk

    return {n["id"]: n.get("value") for n in walk(card) if str(n.get("type", "")).startswith("Input.")}


async def escalate_at(database_url: str, at: datetime) -> int:
    """The escalation job (what the running bot does every minute), run at a later time."""
    from store.database import create_engine
    from store.unit_of_work import unit_of_work_factory

    engine = create_engine(database_url)
    try:
        clock = FixedClock(at, LONDON)
        return await escalate_concerns(unit_of_work_factory(engine, clock), Framework(), Hours(), clock)
    finally:
        await engine.dispose()


async def test_a_concern_raised_at_night_reaches_the_managers_climbs_and_is_acknowledged(database_url: str) -> None:
    clock = JumpingClock(NIGHT, LONDON)
    async with (
        running_connector() as connector,
        serving(database_url, clock=clock, DISPATCH_INTERVAL_SECONDS="1", SWEEP_INTERVAL_SECONDS="2") as app,
    ):
        u = users(app.url, connector)
        for user in u.values():
            await user.install()
        audit_id = await assigned(u, connector)
        page3 = PLC.pages[2]
        field = next(f.id for f in page3.fields if f.kind.value == "long_text")
        card = await u["worker"].execute("page.open", {"audit": audit_id, "page": page3.id})
        card = await u["worker"].press(card, "Save", {field: "Saved before the concern."})
        assert TEXT in input_ids(card)

        empty = await u["worker"].press(card, "Raise the concern", {field: "Typed, not saved", TEXT: "  "})
        assert any("Say what the concern is" in t for t in card_texts(empty))
        assert values_of(empty)[field] == "Typed, not saved"  # nothing lost

        raised = await u["worker"].press(card, "Raise the concern", {field: "Typed, not saved", TEXT: CONCERN})
        note = " ".join(card_texts(raised))
        assert f"{u['lead'].name} (Practice Lead) and {u['manager'].name} (Service Manager)" in note
        assert values_of(raised)[field] == "Typed, not saved"
        for who in ("lead", "manager"):  # at 22:00, within seconds
            urgent = await wait_for_card(connector, u[who], "Immediate concern: case")
            assert CONCERN in card_texts(urgent)
            assert any(f"Raised by {u['worker'].name} at Thu 03 Dec 2026, 22:00" in t for t in card_texts(urgent))
        assert not [c for c in cards_to(connector, u["head"]) if "Immediate concern" in str(c)]

        assert (
            await escalate_at(database_url, datetime(2026, 12, 4, 9, 59, tzinfo=LONDON)) == 0
        )  # not an hour's work yet
        clock.jump_to(datetime(2026, 12, 4, 10, 1, tzinfo=LONDON))  # the bot's own job (every 5 s here) sends it
        climbed = await wait_for_card(connector, u["head"], "Immediate concern: case", timeout=30)
        assert any("nobody has said they have it after 60 minutes" in t for t in card_texts(climbed))

        stranger = await u["stranger"].execute("concern.ack", {"concern": 1})
        assert any("outside your service area" in t for t in card_texts(stranger))
        assert ("concern.ack", "denied") in {(row[1], row[5]) for row in await access_log(database_url)}

        manager_card = next(c for c in cards_to(connector, u["manager"]) if "Immediate concern" in str(c))
        held = await u["manager"].press(manager_card, "I'm dealing with this")
        assert any("You have this concern" in t for t in card_texts(held))
        told = await wait_for_card(connector, u["worker"], "is being dealt with")
        assert any(t.startswith(f"{u['manager'].name} (Service Manager) has it") for t in card_texts(told))
        lead_card = next(c for c in cards_to(connector, u["lead"]) if "Immediate" in str(c))
        again = await u["lead"].press(lead_card, "I'm dealing with this")
        assert any(f"{u['manager'].name} has had this concern since" in t for t in card_texts(again))

        reopened = await u["worker"].execute("page.open", {"audit": audit_id, "page": page3.id})
        assert values_of(reopened)[field] == "Saved before the concern."  # the draft, as saved
        rows = await _query(database_url, "SELECT level, acknowledged_by_id IS NOT NULL FROM concerns")
        assert [(int(a), bool(b)) for a, b in rows] == [(1, True)]
        assert await escalate_at(database_url, datetime(2026, 12, 7, 12, 0, tzinfo=LONDON)) == 0  # acknowledged

        assert await u["manager"].say("concerns") == 202
        listing = await wait_for_card(connector, u["manager"], "Immediate concerns: your service area")
        assert any("acknowledged after" in t for t in card_texts(listing))
        assert await u["worker"].say("concerns") == 202
        await wait_for_card(connector, u["worker"], "Practice Leads (for their own teams)")
        assert find_action(held, "Open the audit (read-only)")["data"]["audit"] == audit_id
