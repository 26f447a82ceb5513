"""Follow-ups, dip samples and thematic reviews on the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plf_core import dip_actions, dips, follow_ups, reviews
from plf_core.clock import FixedClock
from plf_core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plf_core.framework_config import Framework
from plf_core.working_days import Hours
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import ActionRow, AuditRow, Borough, OutboxRow
from tests.unit.use_cases.conftest import actor


def moderated_with_actions(b: Borough, clock: FixedClock) -> int:
    w = b.world
    audit_id = w.next_id()
    w.audits[audit_id] = AuditRow(audit_id, "practice_learning_conversation", b.case, b.worker, b.lead, None)
    w.audits[audit_id].status = "completed"
    for text in ("Update the plan", "See the child alone"):
        action_id = w.next_id()
        w.actions[action_id] = ActionRow(action_id, text, audit_id=audit_id)
    for person in (b.worker, b.lead):  # the first follow-up, waiting in the digest
        row_id = w.next_id()
        key = f"followup_1:audit-{audit_id}:{person}"
        w.outbox[row_id] = OutboxRow(row_id, key, person, "action_follow_up", {}, clock.now(), "merged")
    return audit_id


async def test_confirming_the_actions_stops_the_follow_ups_and_a_second_confirmation_says_so(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = moderated_with_actions(borough, clock)
    worker = actor(uow, borough.worker)
    async with uow:
        first = await follow_ups.actions_done(uow, worker, audit_id, clock.now(), "a1")
    assert "2 action(s) for case DEMO-000001 are recorded as completed" in first.text
    assert {a.status for a in borough.world.actions.values()} == {"done"}
    assert {r.status for r in borough.world.outbox.values()} == {"cancelled"}
    async with uow:
        again = await follow_ups.actions_done(uow, worker, audit_id, clock.now(), "a2")
    assert "already confirmed" in again.text
    with pytest.raises(NotAllowed):
        async with uow:
            await follow_ups.actions_done(uow, actor(uow, borough.other_worker), audit_id, clock.now(), "a3")


async def test_not_yet_needs_a_reason_and_the_practice_lead_is_told_why(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = moderated_with_actions(borough, clock)
    worker = actor(uow, borough.worker)
    with pytest.raises(ValidationFailed, match="please say what is still to do"):
        async with uow:
            await follow_ups.actions_not_yet(uow, worker, audit_id, "  ", clock.now(), "a1")
    async with uow:
        await follow_ups.actions_not_yet(uow, worker, audit_id, "Waiting for the school", clock.now(), "a2")
    [told] = borough.world.notices("actions_not_yet")
    assert (told.person_id, told.payload["reason"], told.payload["by"]) == (
        borough.lead,
        "Waiting for the school",
        "Wren Worker",
    )


@pytest.mark.parametrize(("days", "weekday"), [(1, None), (3, None), (0, 0)])
async def test_snoozing_waits_a_day_three_days_or_until_monday(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, days: int, weekday: int | None
) -> None:
    async with uow:
        reply = await follow_ups.snooze(uow, actor(uow, borough.worker), days, clock.today())
    until = borough.world.snoozes[borough.worker]
    assert until > clock.today()
    assert until == clock.today() + timedelta(days=days) if weekday is None else until.weekday() == 0
    assert f"{until:%A %d %B}" in reply.text


async def test_the_data_team_marks_a_cycles_data_as_sent_once(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    cycle = next(iter(borough.world.cycles))
    with pytest.raises(NotAllowed):
        async with uow:
            await follow_ups.data_request_sent(uow, actor(uow, borough.worker), cycle, clock.now(), None)
    with pytest.raises(NotFound, match="there is no cycle '1999-Q1'"):
        async with uow:
            await follow_ups.data_request_sent(uow, actor(uow, borough.data), "1999-Q1", clock.now(), None)
    async with uow:
        first = await follow_ups.data_request_sent(uow, actor(uow, borough.data), cycle, clock.now(), None)
    async with uow:
        again = await follow_ups.data_request_sent(uow, actor(uow, borough.qa), cycle, clock.now(), None)
    assert "is marked as sent" in first.text
    assert "already marked as sent by Dee Data" in again.text


async def test_a_dip_sample_goes_from_draft_to_approved_to_sent_to_agreed(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    qa, now = actor(uow, borough.qa), clock.now()
    async with uow:
        screen = await dips.new_dip(uow, qa, "  Voice of   the child ", now)
    [dip_id] = borough.world.dips
    assert borough.world.dips[dip_id].theme == "Voice of the child"
    with pytest.raises(NotAllowed, match="only a QA manager"):
        async with uow:
            await dips.approve(uow, qa, dip_id, now)
    manager = actor(uow, borough.qa_manager)
    with pytest.raises(Conflict, match="Terms of Reference are not submitted yet"):
        async with uow:
            await dips.approve(uow, manager, dip_id, now)
    terms = borough.world.audits[screen.audit.id]
    terms.status = "submitted"
    terms.pages["actions"] = {"AP1": "Share the learning", "AP1_who": "Team managers", "AP1_by": "2027-01-31"}
    async with uow:
        await dips.approve(uow, manager, dip_id, now)
    with pytest.raises(ValidationFailed, match="is not a Head of Service"):
        async with uow:
            await dips.send(uow, qa, dip_id, str(borough.lead), now, clock.today(), (Framework(), Hours()))
    async with uow:
        sent = await dips.send(uow, qa, dip_id, str(borough.head), now, clock.today(), (Framework(), Hours()))
    assert "to agree its 1 actions by" in sent.text
    [notice] = borough.world.notices("dip_sample_actions")
    assert notice.person_id == borough.head
    with pytest.raises(NotAllowed):
        async with uow:
            await dips.agree(uow, actor(uow, borough.manager), dip_id, now)
    async with uow:
        await dips.agree(uow, actor(uow, borough.head), dip_id, now)
    assert [step for step, _, _ in borough.world.dips[dip_id].history] == ["created", "approved", "sent", "agreed"]


async def test_a_thematic_review_is_assigned_by_the_cases_cohort_with_its_moderator(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    qa, due = actor(uow, borough.qa), clock.today() + timedelta(days=30)
    async with uow:
        reply = await reviews.assign_thematic(
            uow, qa, "DEMO-000002", str(borough.qa), due, "Permanence", None, str(borough.qa_manager), clock.today()
        )
    assert "(CLA & Care Leavers) of case DEMO-000002" in reply.text  # the case is a child looked after
    [audit] = borough.world.audits.values()
    assert audit.pages["header"]["T_theme"] == "Permanence"
    assert {n.person_id for n in borough.world.notices("review_assigned")} == {borough.qa, borough.qa_manager}
    with pytest.raises(ValidationFailed, match="has passed"):
        async with uow:
            await reviews.assign_thematic(
                uow, qa, "DEMO-000001", str(borough.qa), clock.today() - timedelta(days=1), "T", None, None,
                clock.today(),
            )  # fmt: skip


async def sent_dip(uow: FakeUnitOfWork, borough: Borough, clock: FixedClock) -> int:
    """A dip sample sent to the borough's Head of Service with two actions."""
    now = clock.now()
    async with uow:
        screen = await dips.new_dip(uow, actor(uow, borough.qa), "Voice of the child", now)
    [dip_id] = borough.world.dips
    terms = borough.world.audits[screen.audit.id]
    terms.status = "submitted"
    terms.pages["actions"] = {
        **{"AP1": "Share the learning", "AP1_who": "Team managers", "AP1_by": "2027-01-31", "AP1_rag": "red"},
        **{"AP2": "Audit five more", "AP2_who": "Sam Manager", "AP2_by": "2027-02-28"},
    }
    async with uow:
        await dips.approve(uow, actor(uow, borough.qa_manager), dip_id, now)
        await dips.send(
            uow, actor(uow, borough.qa), dip_id, str(borough.head), now, clock.today(), (Framework(), Hours())
        )
    return dip_id


async def test_the_service_manager_updates_a_dip_samples_actions_and_marking_them_all_done_stops_the_follow_ups(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    dip_id, now = await sent_dip(uow, borough, clock), clock.now()
    manager = actor(uow, borough.manager)  # the Service Manager of the Head of Service's team
    pending = OutboxRow(999, f"dip_escalation:dip-{dip_id}:{borough.slt}", borough.slt, "dip_escalation", {}, now)
    borough.world.outbox[999] = pending
    async with uow:
        screen = await dip_actions.open_actions(uow, manager, dip_id)
    assert screen.can_write
    first, second = (a.action_id for a in screen.actions)
    for outsider in (borough.lead, borough.qa):  # a Practice Lead, and QA (who may look but not write)
        with pytest.raises(NotAllowed, match="nothing was changed"):
            async with uow:
                await dip_actions.save_actions(uow, actor(uow, outsider), dip_id, {f"done_{first}": "true"}, now, "a")
    assert not (await dip_actions.open_actions(uow, actor(uow, borough.qa), dip_id)).can_write
    too_long = {f"progress_{first}": "x" * 1001, f"progress_{second}": "Kept as typed"}
    async with uow:
        refused = await dip_actions.save_actions(uow, manager, dip_id, too_long, now, "b")
    assert refused.errors == {f"progress_{first}": "at most 1000 characters"}
    assert refused.actions[1].progress == "Kept as typed"  # nothing lost
    assert borough.world.actions[second].progress == ""  # nothing saved
    inputs = {f"progress_{first}": "Shared at the team meeting", f"done_{first}": "true", f"done_{second}": "false"}
    async with uow:
        saved = await dip_actions.save_actions(uow, manager, dip_id, inputs, now, "c")
    assert saved.note == "Thank you: 1 update saved and 1 action marked done."
    assert [a.status for a in saved.actions] == ["done", "open"]
    assert borough.world.outbox[999].status == "pending"  # one action still open: the escalation still stands
    async with uow:
        twice = await dip_actions.save_actions(uow, manager, dip_id, {f"done_{first}": "true"}, now, "d")
    assert twice.note == "Action 1 was already marked done by Sam Manager: unchanged."
    async with uow:
        last = await dip_actions.save_actions(
            uow, actor(uow, borough.head), dip_id, {f"done_{second}": "true"}, now, "e"
        )
    assert last.all_done
    assert "the follow-ups and the escalation to the Director of Operations stop" in (last.note or "")
    assert borough.world.outbox[999].status == "cancelled"
    with pytest.raises(NotFound):
        async with uow:
            await dip_actions.open_actions(uow, manager, 4040)


async def test_a_dip_sample_is_moderated_by_a_reviewer_or_the_ad_qa_other_than_its_author(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    now = clock.now()
    async with uow:
        screen = await dips.new_dip(uow, actor(uow, borough.qa), "Permanence", now)
    [dip_id] = borough.world.dips
    with pytest.raises(Conflict, match="not submitted yet"):
        async with uow:
            await dip_actions.open_moderation(uow, actor(uow, borough.qa_manager), dip_id)
    borough.world.audits[screen.audit.id].status = "submitted"
    with pytest.raises(NotAllowed, match="you wrote dip sample"):
        async with uow:
            await dip_actions.open_moderation(uow, actor(uow, borough.qa), dip_id)
    with pytest.raises(NotAllowed, match="Practice Learning Reviewers and the QA managers"):
        async with uow:
            await dip_actions.open_moderation(uow, actor(uow, borough.manager), dip_id)
    ad_qa = actor(uow, borough.qa_manager)
    async with uow:
        long = await dip_actions.save_moderation(uow, ad_qa, dip_id, {"TOR_moderators": "x" * 4001}, "a")
    assert (long.note, long.comments) == ("Nothing was saved.", "x" * 4001)  # nothing lost
    async with uow:
        saved = await dip_actions.save_moderation(uow, ad_qa, dip_id, {"TOR_moderators": "Well evidenced."}, "b")
    assert saved.note == "Thank you: your comments are saved in its Terms of Reference."
    async with uow:
        again = await dip_actions.open_moderation(uow, ad_qa, dip_id)
    assert again.comments == "Well evidenced."
