"""The layered audit's use cases on the in-memory unit of work: a sample previewed then created once,
the month's moderation choice, moderating (a reason wherever a grade differs), and who may see
agreement."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from plf_core import layered, moderating, periods
from plf_core.clock import FixedClock
from plf_core.errors import NotAllowed
from plf_core.moderation import Rules
from plf_core.sampling import Criteria, Method
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import AuditRow, Borough, World
from tests.unit.use_cases.conftest import actor


def returned(world: World, case_id: int, practitioner: int, lead: int, at: datetime, grade: str) -> int:
    """A Practice Learning Conversation submitted at `at`, graded `grade` by practitioner and manager."""
    audit_id = world.next_id()
    row = AuditRow(audit_id, "practice_learning_conversation", case_id, practitioner, lead, at.date())
    row.status, row.submitted_by_id, row.submitted_at, row.final_grade = "submitted", lead, at, grade
    row.pages = {"j": {"A13": grade, "P1": grade}, "m": {"MA1": grade, "MO1": grade}}
    world.audits[audit_id] = row
    return audit_id


async def test_a_sample_is_previewed_then_created_once_and_a_changed_population_shows_the_new_draw(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    qa, today = actor(uow, borough.qa), clock.today()
    async with uow:
        preview = await layered.sample(uow, qa, 1, Method.RANDOM, Criteria(), 42, None, today)
    assert isinstance(preview, layered.SamplePreview)
    assert preview.command == "sample 1 seed 42"
    assert borough.world.audits == {}  # a preview creates nothing
    async with uow:
        done = await layered.sample(uow, qa, 1, Method.RANDOM, Criteria(), 42, preview.fingerprint, today)
    assert isinstance(done, str)
    assert done.startswith("Sample created (draw ")
    assert "1 audit assigned" in done
    [audit] = borough.world.audits.values()
    assert audit.draw_id is not None
    async with uow:
        again = await layered.sample(uow, qa, 1, Method.RANDOM, Criteria(), 42, preview.fingerprint, today)
    assert isinstance(again, str)
    assert "already created" in again
    assert len(borough.world.audits) == 1
    async with uow:
        stale = await layered.sample(uow, qa, 1, Method.RANDOM, Criteria(), 42, "0" * 16, today)
    assert isinstance(stale, layered.SamplePreview)
    assert stale.note is not None


async def test_the_month_s_moderations_go_to_the_head_of_service_for_every_red_and_run_once(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    last_month = periods.month(clock.today()).previous()
    noon = datetime.combine(last_month.starts + timedelta(days=2), time(12), tzinfo=clock.zone)
    red = returned(borough.world, borough.case, borough.worker, borough.lead, noon, "red")
    green = returned(borough.world, borough.second_case, borough.other_worker, borough.lead, noon, "green")
    qa = actor(uow, borough.qa)
    async with uow:
        preview = await layered.choose_moderations(uow, qa, last_month.starts, Rules(), None, clock.today())
    assert isinstance(preview, layered.ModeratePreview)
    assert preview.returned == 2
    async with uow:
        done = await layered.choose_moderations(uow, qa, last_month.starts, Rules(), preview.fingerprint, clock.today())
    assert done == f"{len(preview.selection.requests)} moderation requests sent for {last_month.label}."
    asked = {(m.audit_id, m.moderator_id, m.stream) for m in borough.world.moderations.values()}
    assert (red, borough.head, "head_of_service") in asked
    assert all(m.moderator_id not in (borough.worker, borough.lead) for m in borough.world.moderations.values())
    assert {n.person_id for n in borough.world.notices("moderation_request")} == {m[1] for m in asked}
    async with uow:  # choosing again (the job on another instance) asks nobody twice
        again = await layered.choose_moderations(uow, qa, last_month.starts, Rules(), None, clock.today())
    assert isinstance(again, layered.ModeratePreview)
    assert again.selection.requests == ()
    assert {r.audit_id for r in preview.selection.requests} <= {red, green}


async def test_moderating_needs_a_reason_where_a_grade_differs_and_then_becomes_the_final_grade(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = returned(borough.world, borough.case, borough.worker, borough.lead, clock.now(), "green")
    async with uow:
        await uow.moderations.add(audit_id, borough.head, "head_of_service")
    head = actor(uow, borough.head)
    lower = {"M_compliance_grade": "amber", "M_overall_grade": "amber", "M_actions": "Update the plan\nSee the child"}
    async with uow:
        refused = await moderating.save_moderation(uow, head, audit_id, lower, True, clock.now())
    assert isinstance(refused, moderating.ModerationScreen)
    assert "please give your reason" in refused.errors["M_overall_reason"]
    assert refused.values["M_overall_grade"] == "amber"  # nothing typed is lost
    reasons = {**lower, "M_compliance_reason": "Visits late", "M_overall_reason": "The plan is out of date"}
    async with uow:
        done = await moderating.save_moderation(uow, head, audit_id, reasons, True, clock.now())
    assert isinstance(done, moderating.ModerationDone)
    assert borough.world.audits[audit_id].final_grade == "amber"
    assert borough.world.audits[audit_id].status == "completed"
    assert sorted(a.text for a in borough.world.actions.values()) == ["See the child", "Update the plan"]
    outcome = borough.world.notices("moderation_outcome")
    assert {n.person_id for n in outcome} == {borough.worker, borough.lead}
    assert outcome[0].payload["moderated"] == "amber"


async def test_nobody_moderates_an_audit_they_were_not_asked_to_or_took_part_in(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = returned(borough.world, borough.case, borough.worker, borough.lead, clock.now(), "green")
    with pytest.raises(NotAllowed, match="you have not been asked to moderate"):
        async with uow:
            await moderating.open_moderation(uow, actor(uow, borough.head), audit_id)
    async with uow:
        await uow.moderations.add(audit_id, borough.lead, "practice_learning_reviewer")
    with pytest.raises(NotAllowed, match="you took part in audit"):
        async with uow:
            await moderating.open_moderation(uow, actor(uow, borough.lead), audit_id)


async def test_agreement_is_for_qa_and_slt_over_the_quarter_so_far_by_default(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    with pytest.raises(NotAllowed):
        async with uow:
            await layered.agreement_report(uow, actor(uow, borough.worker), None, None, clock.today())
    async with uow:
        shown = await layered.agreement_report(uow, actor(uow, borough.slt), None, None, clock.today())
    assert shown.period == periods.quarter(clock.today()).label
    assert shown.overall.n == 0
