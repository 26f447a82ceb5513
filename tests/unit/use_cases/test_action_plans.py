"""An action plan becomes tracked actions at submission: each owner is sent theirs with Done, Done
records who and when and stops its reminders, and 'done' says the truth when nothing was recorded."""

from __future__ import annotations

import pytest

from plf_core import action_plans, follow_ups, workflow
from plf_core.clock import FixedClock
from plf_core.errors import NotAllowed
from plf_core.workflow import SubmittedScreen
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import Borough
from tests.unit.use_cases.conftest import actor
from tests.unit.use_cases.test_workflow import SETTINGS, assigned, filled


async def submitted_with_plan(uow: FakeUnitOfWork, b: Borough, clock: FixedClock) -> int:
    audit_id = await assigned(uow, b, clock)
    version = await filled(uow, b, audit_id, "green")
    lead = actor(uow, b.lead)
    plan = {
        "AP1": "Update the chronology",
        "AP1_who": b.world.people[b.lead].name.upper(),  # a name as typed: the Practice Lead
        "AP1_by": "2026-12-04",
        "AP2": "Visit the child at school",
        "AP2_who": "The allocated social worker",  # nobody of that name: the practitioner
        "AP2_by": "2026-12-11",
        **{f"AP{n}{part}": "" for n in (3, 4, 5) for part in ("", "_who", "_by")},  # the other rows emptied
    }
    async with uow:
        await workflow.save_page(uow, lead, audit_id, version, "action_plan", plan, 0)
    async with uow:
        done = await workflow.submit(uow, lead, audit_id, version + 1, clock.today(), clock.now(), SETTINGS)
    assert isinstance(done, SubmittedScreen)
    assert done.actions == 2
    return audit_id


async def test_each_owner_is_sent_their_actions_and_done_stops_the_reminders(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await submitted_with_plan(uow, borough, clock)
    actions = {a.text: a for a in borough.world.actions.values() if a.audit_id == audit_id}
    assert actions["Update the chronology"].owner_id == borough.lead
    assert actions["Visit the child at school"].owner_id == borough.worker
    sent = {n.person_id: n.payload for n in borough.world.notices("actions_assigned")}
    assert [i["row"] for i in sent[borough.worker]["items"]] == [2]  # by its place in the plan, not its text
    assert "Visit the child" not in str(sent)
    assert [i["deadline"] for i in sent[borough.lead]["items"]] == ["2026-12-04"]

    visit = actions["Visit the child at school"].id
    async with uow:
        with_it = await action_plans.action_done(uow, actor(uow, borough.worker), visit, clock.now(), None)
    assert with_it.startswith("Thank you: the action due Fri 11 Dec 2026 (case DEMO-000001) is done.")
    assert "1 action(s) of this audit are still open" in with_it
    assert borough.world.actions[visit].status == "done"
    async with uow:
        again = await action_plans.action_done(uow, actor(uow, borough.lead), visit, clock.now(), None)
    assert "was already marked done by" in again
    with pytest.raises(NotAllowed, match="not yours"):
        async with uow:
            await action_plans.action_done(uow, actor(uow, borough.other_worker), visit, clock.now(), None)


async def test_done_says_the_truth_when_no_action_was_recorded(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    async with uow:
        reply = await follow_ups.actions_done(uow, actor(uow, borough.lead), audit_id, clock.now(), None)
    assert (
        reply.text
        == f"No actions were recorded for case DEMO-000001 (audit {audit_id}), so there is nothing to confirm."
    )
