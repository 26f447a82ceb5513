"""Immediate concerns on the in-memory unit of work: raised from a page, acknowledged, escalated."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from plf_core import concern_commands, concern_escalation, concerns, dips
from plf_core.clock import FixedClock
from plf_core.concern_notices import ConcernAcknowledged, ImmediateConcern
from plf_core.errors import NotAllowed
from plf_core.framework_config import Framework
from plf_core.notices import parse
from plf_core.vocabulary import Role
from plf_core.workflow import ReviewScreen
from plf_core.working_days import Hours
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import AuditRow, Borough
from tests.instants import LONDON
from tests.unit.use_cases.conftest import PLC, actor

PAGE = PLC.pages[2].id  # page 3
TIMING = Framework(), Hours()
LATE = datetime(2026, 12, 3, 22, 0, tzinfo=LONDON)  # a Thursday night


def draft_on_page_3(b: Borough) -> int:
    w = b.world
    audit_id = w.next_id()
    w.audits[audit_id] = AuditRow(audit_id, PLC.id, b.case, b.worker, b.lead, None, status="in_progress")
    w.audits[audit_id].pages[PAGE] = {PLC.pages[2].fields[0].id: "What the practitioner saved earlier"}
    w.audits[audit_id].version = 4
    return audit_id


def notices(b: Borough, kind: str) -> dict[int, Any]:
    """Each person's latest notice of this kind, read back as its type."""
    found = {}
    for row in sorted(b.world.outbox.values(), key=lambda r: r.id):
        if row.kind == kind:
            found[row.person_id] = parse(row.kind, row.payload)
    return found


async def raise_one(uow: FakeUnitOfWork, b: Borough, audit_id: int, now: datetime, **typed: object) -> Any:
    inputs = {concerns.TEXT: "Bruising on the visit notes, not followed up", concerns.AT_RISK: "false", **typed}
    async with uow:
        return await concerns.raise_from_page(uow, actor(uow, b.worker), audit_id, PAGE, inputs, now, TIMING, "t1")


async def test_a_concern_raised_at_night_reaches_the_practice_lead_and_service_manager_at_once_and_the_draft_is_untouched(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    audit_id = draft_on_page_3(borough)
    field = PLC.pages[2].fields[0].id
    screen = await raise_one(uow, borough, audit_id, LATE, **{field: "typed but not saved yet"})
    sent = notices(borough, "immediate_concern")
    assert set(sent) == {borough.lead, borough.manager}
    notice = sent[borough.lead]
    assert isinstance(notice, ImmediateConcern)
    assert (notice.case, notice.raised_by, notice.level) == ("DEMO-000001", "Wren Worker", 0)
    assert not notice.description  # the outbox holds no words about a child: the card reads them from the concern
    assert "Bruising" not in str([r.payload for r in borough.world.outbox.values()])
    assert [c["description"] for c in borough.world.concerns.values()] == [
        "Bruising on the visit notes, not followed up"
    ]
    assert "page 3 of" in notice.where
    assert notice.raised_at == "Thu 03 Dec 2026, 22:00"
    assert all(r.status == "pending" for r in borough.world.outbox.values())  # at once: not held for a digest
    audit = borough.world.audits[audit_id]
    assert audit.version == 4
    assert audit.pages[PAGE] == {field: "What the practitioner saved earlier"}
    assert screen.page_id == PAGE
    assert screen.values[field] == "typed but not saved yet"
    assert "Pat Lead (Practice Lead) and Sam Manager (Service Manager)" in screen.note
    assert "Nothing on this page was saved" in screen.note
    assert "10:00 on Fri 04 Dec" in screen.note  # one working hour after 22:00 is the next morning's 10:00
    assert (borough.worker, "concern.raise", audit_id, "ok") in borough.world.access_log


async def test_an_empty_concern_is_refused_with_what_was_typed_kept(uow: FakeUnitOfWork, borough: Borough) -> None:
    audit_id = draft_on_page_3(borough)
    field = PLC.pages[2].fields[0].id
    screen = await raise_one(
        uow, borough, audit_id, LATE, **{concerns.TEXT: "   ", concerns.AT_RISK: "true", field: "x"}
    )
    assert screen.concern is not None
    assert screen.concern.at_risk is True
    assert "Say what the concern is" in str(screen.concern.error)
    assert screen.values[field] == "x"
    assert not borough.world.concerns
    assert not borough.world.outbox


async def test_a_case_with_no_practice_lead_or_service_manager_goes_to_the_head_of_service_and_qa_and_says_so(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    team = borough.world.teams[borough.team]
    team.practice_lead_id = team.service_manager_id = None
    screen = await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    sent = notices(borough, "immediate_concern")
    assert set(sent) == {borough.head, borough.qa, borough.qa_manager}
    assert "no Practice Lead or Service Manager" in sent[borough.head].reason
    assert "Hana Head" in screen.note
    assert "no Practice Lead or Service Manager" in screen.note


async def test_nobody_acknowledges_so_it_climbs_to_the_head_of_service_then_the_director(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    director = borough.world.person("Dora Director", Role.DIRECTOR_OF_OPERATIONS)
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    framework, hours = TIMING
    for at, expected in ((LATE + timedelta(hours=11), 0), (datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), 1)):
        async with uow:
            assert await concern_escalation.escalate_due(uow, framework, at, hours) == expected
    assert notices(borough, "immediate_concern")[borough.head].level == 1
    assert "after 60 minutes" in notices(borough, "immediate_concern")[borough.head].reason
    async with uow:
        assert (
            await concern_escalation.escalate_due(uow, framework, datetime(2026, 12, 4, 11, 0, tzinfo=LONDON), hours)
            == 1
        )
    assert notices(borough, "immediate_concern")[director].level == 2
    async with uow:  # the top: nothing further, ever
        assert (
            await concern_escalation.escalate_due(uow, framework, datetime(2026, 12, 9, 11, 0, tzinfo=LONDON), hours)
            == 0
        )


async def test_a_child_at_risk_now_does_not_wait_for_the_morning(uow: FakeUnitOfWork, borough: Borough) -> None:
    await raise_one(uow, borough, draft_on_page_3(borough), LATE, **{concerns.AT_RISK: "true"})
    async with uow:
        assert await concern_escalation.escalate_due(uow, *TIMING[:1], LATE + timedelta(minutes=61), TIMING[1]) == 1
    assert notices(borough, "immediate_concern")[borough.head].at_risk == "yes"


async def test_acknowledging_records_who_and_when_tells_the_raiser_and_stops_the_climb(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    [concern_id] = borough.world.concerns
    at = LATE + timedelta(minutes=35)
    async with uow:
        screen = await concerns.acknowledge(uow, actor(uow, borough.manager), concern_id, at, LONDON, "a1")
    assert screen.mine
    assert screen.concern.acknowledged_by_name == "Sam Manager"
    assert borough.world.concerns[concern_id]["acknowledged_at"] == at
    told = notices(borough, "concern_acknowledged")[borough.worker]
    assert isinstance(told, ConcernAcknowledged)
    assert told.by == "Sam Manager (Service Manager)"
    async with uow:
        again = await concerns.acknowledge(uow, actor(uow, borough.lead), concern_id, at, LONDON, "a2")
    assert not again.mine
    assert "Sam Manager has had this concern since 22:35" in again.note
    async with uow:
        assert await concern_escalation.escalate_due(uow, *TIMING[:1], LATE + timedelta(days=3), TIMING[1]) == 0


async def test_an_acknowledgement_from_outside_the_service_area_is_refused_and_logged(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    w = borough.world
    elsewhere = w.area("S", "South")
    stranger = w.person("Far Manager", Role.SERVICE_MANAGER)
    w.team("CIN-S", elsewhere, lead=None, manager=stranger, head=None)
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    [concern_id] = w.concerns
    with pytest.raises(NotAllowed, match="outside your service area") as refused:
        async with uow:
            await concerns.acknowledge(uow, actor(uow, stranger), concern_id, LATE, LONDON, "forged")
    assert w.concerns[concern_id]["acknowledged_by_id"] is None
    assert (refused.value.action, refused.value.audit_id) == ("concern.ack", w.concerns[concern_id]["audit_id"])


async def test_concerns_lists_for_managers_of_the_area_and_refuses_practitioners(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    async with uow:
        listed = await concern_commands.list_concerns(
            uow, actor(uow, borough.manager), LATE + timedelta(hours=1), LONDON
        )
    assert [r.case_ref for r in listed.rows] == ["DEMO-000001"]
    assert listed.scope == "your service area"
    with pytest.raises(NotAllowed, match="listed for QA"):
        async with uow:
            await concern_commands.list_concerns(uow, actor(uow, borough.worker), LATE, LONDON)


def test_working_minutes_skip_the_night_and_the_weekend() -> None:
    hours = Hours()
    friday = datetime(2026, 12, 4, 16, 30, tzinfo=LONDON)
    assert hours.add_working_minutes(friday, 60) == datetime(2026, 12, 7, 9, 30, tzinfo=LONDON)
    assert hours.add_working_minutes(friday, 20) == datetime(2026, 12, 4, 16, 50, tzinfo=LONDON)
    assert hours.add_working_minutes(LATE, 60) == datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)


async def test_a_dip_samples_red_action_goes_to_its_service_managers_as_an_immediate_concern_once(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    qa, now = actor(uow, borough.qa), clock.now()
    async with uow:
        screen = await dips.new_dip(uow, qa, "Voice of the child", now)
    [dip_id] = borough.world.dips
    terms = borough.world.audits[screen.audit.id]
    terms.status = "submitted"
    terms.pages["actions"] = {
        "AP1": "Share the learning", "AP1_who": "Team managers", "AP1_rag": "green",
        "AP2": "Visit the three children not seen for 12 weeks", "AP2_who": "Sam Manager", "AP2_rag": "red",
    }  # fmt: skip
    async with uow:
        await dips.approve(uow, actor(uow, borough.qa_manager), dip_id, now)
    async with uow:
        sent = await dips.send(uow, qa, dip_id, str(borough.head), now, clock.today(), TIMING)
    assert "Its 1 action rated Red went to them at once as immediate concerns" in sent.text
    concern = notices(borough, "immediate_concern")
    assert set(concern) == {borough.manager}
    [stored] = borough.world.concerns.values()
    assert stored["description"].startswith("Action 2 of dip sample")
    assert concern[borough.manager].where == f"dip sample {dip_id}: an action rated Red"
    [row] = borough.world.concerns.values()
    assert (row["dip_sample_id"], row["area_id"]) == (dip_id, borough.area)
    async with uow:  # the Head of Service it was sent to may take it on, as the area's managers may
        held = await concerns.acknowledge(uow, actor(uow, borough.head), row_id(borough), now, LONDON, "a1")
    assert held.concern.acknowledged_by_name == "Hana Head"


def row_id(b: Borough) -> int:
    [concern_id] = b.world.concerns
    return concern_id


async def test_a_concern_from_the_review_before_submitting_comes_back_to_the_review(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    audit_id = draft_on_page_3(borough)
    inputs = {concerns.TEXT: "The plan names no one to see the child", concerns.AT_RISK: "false"}
    async with uow:
        screen = await concerns.raise_from_page(
            uow, actor(uow, borough.worker), audit_id, "review", inputs, LATE, TIMING, "t1"
        )
    assert isinstance(screen, ReviewScreen)
    assert screen.note is not None
    assert "Pat Lead (Practice Lead) and Sam Manager (Service Manager)" in screen.note
    assert notices(borough, "immediate_concern")[borough.lead].where.endswith("its review before submitting")
    async with uow:
        empty = await concerns.raise_from_page(
            uow, actor(uow, borough.worker), audit_id, "review", {}, LATE, TIMING, "t2"
        )
    assert isinstance(empty, ReviewScreen)
    assert empty.concern is not None
    assert empty.concern.error == "Say what the concern is: nothing was sent."


async def test_whoever_raises_it_is_not_sent_it_and_cannot_take_it_on_themselves(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    audit_id = draft_on_page_3(borough)
    inputs = {concerns.TEXT: "Seen on my team's case", "view": "read"}
    async with uow:
        screen = await concerns.raise_from_page(
            uow, actor(uow, borough.lead), audit_id, PAGE, inputs, LATE, TIMING, "t"
        )
    assert screen.read_only  # raised from the read-only view: it comes back read-only
    assert set(notices(borough, "immediate_concern")) == {borough.manager}
    [concern_id] = borough.world.concerns
    async with uow:
        own = await concerns.acknowledge(uow, actor(uow, borough.lead), concern_id, LATE, LONDON, "a")
    assert "You raised this concern" in own.note
    assert borough.world.concerns[concern_id]["acknowledged_by_id"] is None


async def test_when_nobody_can_be_reached_it_goes_to_qa_and_the_raiser_is_told(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    director = borough.world.person("Dora Director", Role.DIRECTOR_OF_OPERATIONS)
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    framework, hours = TIMING
    for step in range(1, 4):  # each level's cards fail at once (nobody has the bot): the next goes at once
        for row in borough.world.outbox.values():
            if row.kind == "immediate_concern":
                row.status = "failed"
        async with uow:
            await concern_escalation.escalate_due(uow, framework, LATE + timedelta(minutes=step), hours)
    sent = notices(borough, "immediate_concern")
    assert sent[borough.head].reason.startswith("it could not be delivered to Pat Lead (Practice Lead) and Sam")
    assert sent[director].level == 2
    assert sent[borough.qa].level == 3
    assert "could be reached in Teams" in sent[borough.qa].reason
    assert set(notices(borough, "concern_not_reached")) == {borough.worker}


async def test_the_head_of_service_is_told_who_had_it_first(uow: FakeUnitOfWork, borough: Borough) -> None:
    await raise_one(uow, borough, draft_on_page_3(borough), LATE, **{concerns.AT_RISK: "true"})
    async with uow:
        await concern_escalation.escalate_due(uow, TIMING[0], LATE + timedelta(minutes=61), TIMING[1])
    reason = notices(borough, "immediate_concern")[borough.head].reason
    assert reason == (
        "nobody has said they have it after 60 minutes (it went to Pat Lead (Practice Lead) and "
        "Sam Manager (Service Manager))"
    )


async def test_a_practice_lead_lists_their_teams_concerns_and_one_case_can_be_asked_for(
    uow: FakeUnitOfWork, borough: Borough
) -> None:
    await raise_one(uow, borough, draft_on_page_3(borough), LATE)
    async with uow:
        mine = await concern_commands.list_concerns(uow, actor(uow, borough.lead), LATE, LONDON)
        one = await concern_commands.list_concerns(uow, actor(uow, borough.qa), LATE, LONDON, "demo-000001")
        none = await concern_commands.list_concerns(uow, actor(uow, borough.qa), LATE, LONDON, "DEMO-000002")
    assert (mine.scope, len(mine.rows)) == ("your team's cases", 1)
    assert (one.scope, len(one.rows), len(none.rows)) == ("case DEMO-000001", 1, 0)
