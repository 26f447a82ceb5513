"""The audit workflow's use cases on the in-memory unit of work: assign, save a page, submit (with
its Red alerts and Practice Improvement Meeting), mark uploaded; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plf_core import assigning, workflow
from plf_core.clock import FixedClock
from plf_core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plf_core.forms.model import Contributor
from plf_core.workflow import PageScreen, ReviewScreen, SubmittedScreen
from plf_core.working_days import add_working_days
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import Borough
from tests.unit.use_cases.conftest import PLC, actor, answers_for

SETTINGS = workflow.Settings(pim_working_days=10)


async def assigned(uow: FakeUnitOfWork, b: Borough, clock: FixedClock) -> int:
    async with uow:
        reply = await assigning.assign(
            uow, actor(uow, b.qa), "demo-000001", "wren.worker@demo.invalid", str(b.lead), clock.today()
        )
    return int(reply.text.split()[1])


async def test_qa_assigns_a_case_and_both_people_get_the_start_card(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    row = borough.world.audits[audit_id]
    assert (row.practitioner_id, row.second_person_id, row.status) == (borough.worker, borough.lead, "assigned")
    assert row.due_on == max(due for starts, due in borough.world.cycles.values() if starts <= clock.today())
    starts = {(n.person_id, n.kind) for n in borough.world.notices("audit_assigned")}
    assert starts == {(borough.worker, "audit_assigned"), (borough.lead, "audit_assigned")}
    assert uow.notices_added == 2  # the dispatcher is woken after the commit
    assert (borough.qa, "create", audit_id, "ok") in borough.world.access_log


async def test_assigning_is_refused_by_name_and_changes_nothing(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    today = clock.today()
    with pytest.raises(NotAllowed):
        async with uow:
            await assigning.assign(uow, actor(uow, borough.worker), "DEMO-000001", str(borough.worker), None, today)
    with pytest.raises(NotFound, match="there is no case 'DEMO-9'"):
        async with uow:
            await assigning.assign(uow, actor(uow, borough.qa), "DEMO-9", str(borough.worker), None, today)
    qa = actor(uow, borough.qa)
    with pytest.raises(ValidationFailed, match="someone other than the practitioner"):
        async with uow:
            await assigning.assign(uow, qa, "DEMO-000001", str(borough.worker), str(borough.worker), today)
    assert borough.world.audits == {}
    assert borough.world.outbox == {}
    await assigned(uow, borough, clock)
    with pytest.raises(Conflict, match="already assigned to Wren Worker"):
        await assigned(uow, borough, clock)
    assert len(borough.world.audits) == 1  # the refused second one rolled back


async def test_a_page_keeps_its_valid_answers_and_shows_the_wrong_ones_with_what_was_typed(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    worker = actor(uow, borough.worker)
    async with uow:
        screen = await workflow.save_page(
            uow, worker, audit_id, 1, "header", {"H_how": "self", "H_date": "19/11/2026"}, 1
        )
    assert isinstance(screen, PageScreen)
    assert screen.page_id == "header"  # stays on the page with the error
    assert "YYYY-MM-DD" in screen.errors["H_date"]
    assert screen.values["H_date"] == "19/11/2026"  # what was typed comes back
    row = borough.world.audits[audit_id]
    assert (row.version, row.pages["header"].get("H_how"), row.status) == (2, "self", "in_progress")


async def test_a_save_that_changes_nothing_writes_nothing_and_a_double_click_does_no_harm(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    worker = actor(uow, borough.worker)
    values = {"H_how": "self", "H_date": "2026-11-19"}
    async with uow:
        await workflow.save_page(uow, worker, audit_id, 1, "header", values, 0)
    assert borough.world.audits[audit_id].version == 2
    async with uow:
        again = await workflow.save_page(uow, worker, audit_id, 1, "header", values, 0)  # the same click twice
    async with uow:
        onwards = await workflow.save_page(uow, worker, audit_id, 2, "header", values, 1)  # Next, nothing changed
    assert isinstance(again, PageScreen)
    assert not again.errors
    assert isinstance(onwards, PageScreen)
    assert onwards.page_id != "header"
    assert borough.world.audits[audit_id].version == 2  # nothing written, nothing bumped


async def test_save_and_review_stores_the_page_and_goes_straight_back_to_the_review(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    worker = actor(uow, borough.worker)
    async with uow:
        back = await workflow.save_page(
            uow, worker, audit_id, 1, "part_a_judgement", {"A13": "green"}, workflow.TO_REVIEW
        )
    assert isinstance(back, ReviewScreen)
    assert borough.world.audits[audit_id].pages["part_a_judgement"] == {"A13": "green"}


async def test_two_people_on_different_pages_or_fields_both_keep_their_answers(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    worker, lead = actor(uow, borough.worker), actor(uow, borough.lead)
    async with uow:  # both opened their cards at version 1
        await workflow.save_page(uow, worker, audit_id, 1, "header", {"H_how": "self", "H_date": "2026-11-19"}, 0)
    async with uow:
        done = await workflow.save_page(uow, lead, audit_id, 1, "manager_judgement", {"MA2": "Visits are recorded"}, 0)
    assert isinstance(done, PageScreen)
    assert not done.errors
    assert borough.world.audits[audit_id].pages["header"] == {"H_how": "self", "H_date": "2026-11-19"}
    assert borough.world.audits[audit_id].pages["manager_judgement"] == {"MA2": "Visits are recorded"}


async def test_the_same_field_changed_by_two_shows_the_later_person_both_values_and_keeps_their_typing(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    lead, manager = actor(uow, borough.lead), actor(uow, borough.manager)  # both write the manager's part
    page = "manager_judgement"
    async with uow:
        await workflow.save_page(uow, lead, audit_id, 1, page, {"MA1": "green", "MA2": "Visits on time"}, 0)
    async with uow:
        raced = await workflow.save_page(uow, manager, audit_id, 1, page, {"MA1": "green", "MA2": "Visits late"}, 1)
    assert isinstance(raced, PageScreen)
    assert raced.page_id == page  # it stays, to choose
    assert raced.values["MA2"] == "Visits late"  # what the later person typed is in the box
    assert "changed this meanwhile to \u201cVisits on time\u201d" in raced.errors["MA2"]
    assert borough.world.audits[audit_id].pages[page]["MA2"] == "Visits on time"  # nothing overwritten unseen
    assert (borough.manager, "write", audit_id, "conflict") in borough.world.access_log
    async with uow:  # pressing Save keeps theirs
        kept = await workflow.save_page(uow, manager, audit_id, 3, page, {"MA1": "green", "MA2": "Visits late"}, 0)
    assert isinstance(kept, PageScreen)
    assert not kept.errors
    assert borough.world.audits[audit_id].pages[page]["MA2"] == "Visits late"


async def test_a_stale_submit_says_nothing_was_submitted(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    version = await filled(uow, borough, audit_id, "green")
    async with uow:
        stale = await workflow.submit(
            uow, actor(uow, borough.lead), audit_id, version - 1, clock.today(), clock.now(), SETTINGS
        )
    assert isinstance(stale, workflow.ReviewScreen)
    assert stale.note == workflow.STALE_SUBMIT_NOTE
    assert borough.world.audits[audit_id].submitted_by_id is None


async def filled(uow: FakeUnitOfWork, b: Borough, audit_id: int, grade: str) -> int:
    """Every page the practitioner writes, by them, then the manager's, by the Practice Lead; returns the version."""
    by = {Contributor.PRACTITIONER: actor(uow, b.worker), Contributor.MANAGER: actor(uow, b.lead)}
    version = b.world.audits[audit_id].version
    for page in PLC.pages:
        if page.editor not in by:
            continue
        values = answers_for(page.id, {page.editor}, grade)
        async with uow:
            await workflow.save_page(uow, by[page.editor], audit_id, version, page.id, values, 0)
        version += 1
    return version


async def test_a_red_submission_alerts_the_service_manager_and_head_of_service_and_asks_for_a_pim(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    version = await filled(uow, borough, audit_id, "red")
    lead = actor(uow, borough.lead)
    async with uow:
        done = await workflow.submit(uow, lead, audit_id, version, clock.today(), clock.now(), SETTINGS)
    assert isinstance(done, SubmittedScreen)
    assert done.pim_due_on == add_working_days(clock.today(), 10)
    alerts = borough.world.notices("red_alert")
    assert {n.person_id for n in alerts} == {borough.manager, borough.head}
    assert all(n.payload["case"] == "DEMO-000001" for n in alerts)
    [pim] = [a for a in borough.world.audits.values() if a.form_id == "practice_improvement_meeting"]
    assert (pim.practitioner_id, pim.parent_audit_id, pim.due_on) == (borough.head, audit_id, done.pim_due_on)
    assert [n.person_id for n in borough.world.notices("pim_request")] == [borough.head]
    assert {n.person_id for n in borough.world.notices("audit_final")} == {borough.worker, borough.lead}
    assert borough.world.audits[audit_id].final_grade == "red"
    assert borough.world.scores[audit_id]["grades"]  # kept for the reports

    async with uow:  # pressing Submit again (a retry) changes nothing
        again = await workflow.submit(uow, lead, audit_id, version, clock.today(), clock.now(), SETTINGS)
    assert isinstance(again, SubmittedScreen)
    assert again.repeated
    assert len(borough.world.notices("red_alert")) == 2


async def test_a_red_alert_names_the_person_who_gave_the_red_not_the_practitioner(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    """The practitioner grades Green, their Practice Lead Red: the alert names the Practice Lead."""
    audit_id = await assigned(uow, borough, clock)
    version = borough.world.audits[audit_id].version
    for page in PLC.pages:
        who, grade = {
            Contributor.PRACTITIONER: (borough.worker, "green"),
            Contributor.MANAGER: (borough.lead, "red"),
        }.get(page.editor, (None, ""))
        if who is None:
            continue
        async with uow:
            await workflow.save_page(
                uow, actor(uow, who), audit_id, version, page.id, answers_for(page.id, {page.editor}, grade), 0
            )
        version += 1
    async with uow:
        await workflow.submit(uow, actor(uow, borough.lead), audit_id, version, clock.today(), clock.now(), SETTINGS)
    lead = borough.world.people[borough.lead].name
    assert {n.payload["graders"] for n in borough.world.notices("red_alert")} == {f"the manager's judgement ({lead})"}


async def test_an_incomplete_audit_comes_back_to_review_naming_what_is_missing(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    async with uow:
        review = await workflow.submit(uow, actor(uow, borough.lead), audit_id, 1, clock.today(), clock.now(), SETTINGS)
    assert isinstance(review, ReviewScreen)
    assert review.problems  # each field still to answer, by id
    assert borough.world.audits[audit_id].status == "assigned"
    assert borough.world.notices("red_alert") == []


async def test_qa_marks_a_submitted_audit_uploaded_once(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    qa = actor(uow, borough.qa)
    with pytest.raises(Conflict, match="has not been submitted yet"):
        async with uow:
            await workflow.mark_uploaded(uow, qa, audit_id, clock.now())
    version = await filled(uow, borough, audit_id, "green")
    async with uow:
        await workflow.submit(uow, actor(uow, borough.lead), audit_id, version, clock.today(), clock.now(), SETTINGS)
    clock.advance(timedelta(days=3))
    async with uow:
        first = await workflow.mark_uploaded(uow, qa, audit_id, clock.now())
    async with uow:
        second = await workflow.mark_uploaded(uow, qa, audit_id, clock.now())
    assert "is recorded as uploaded to Azeus" in first.text
    assert "was already recorded" in second.text
    assert borough.world.audits[audit_id].uploaded_at == clock.now()


async def test_my_audits_lists_the_practitioners_and_the_leads_open_audits(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    audit_id = await assigned(uow, borough, clock)
    async with uow:
        mine = await workflow.my_audits(uow, actor(uow, borough.worker))
        lead = await workflow.my_audits(uow, actor(uow, borough.lead))
        other = await workflow.my_audits(uow, actor(uow, borough.other_worker))
    assert [a.id for a in mine.audits] == [audit_id]
    assert mine.role_in(mine.audits[0]) == "practitioner"
    assert [a.id for a in lead.audits] == [audit_id]
    assert other.audits == ()


def test_my_audits_names_each_role_as_the_reader_holds_it() -> None:
    from dataclasses import replace as changed

    from plf_core.audits import AuditView
    from plf_core.vocabulary import AuditStatus

    plc = AuditView(1, "practice_learning_conversation", None, 10, 20, AuditStatus.ASSIGNED, 1)
    pim = changed(plc, form_id="practice_improvement_meeting", practitioner_id=30, second_person_id=None)
    assert workflow.AuditList((plc,), viewer_id=10).role_in(plc) == "practitioner"
    assert workflow.AuditList((plc,), viewer_id=20).role_in(plc) == "Practice Lead"
    assert workflow.AuditList((pim,), viewer_id=30).role_in(pim) == "chair of the Practice Improvement Meeting"
    # a Service Manager sees the PIM record in their area but writes nothing on it; a PLC's manager part is theirs
    assert workflow.AuditList((pim,), viewer_id=40).role_in(pim) == "team's manager, reading it"
    assert workflow.AuditList((plc,), viewer_id=40).role_in(plc) == "manager"
