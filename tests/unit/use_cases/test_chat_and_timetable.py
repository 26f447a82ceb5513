"""QA's chat commands on the in-memory unit of work: help by role, the timetable preview, reminders
and escalations (a dry run sends nothing), status, reports' rights, and a delivery's outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plf_core import chat, command_hints, report_command, timetable_commands, workflow
from plf_core.clock import FixedClock
from plf_core.delivery import Claimed, Decision, Outcome, record_delivery, summarise_failures
from plf_core.errors import NotAllowed, NotFound, ValidationFailed
from plf_core.moderation import Rules
from plf_core.notices import AuditAssigned, RedAlert
from plf_core.ports import Notice
from plf_core.timetable import Hours
from plf_core.vocabulary import OutboxStatus, Role
from scheduler.timetable_file import load_timetable
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import Borough
from tests.instants import at_instants
from tests.unit.use_cases.conftest import actor


@pytest.fixture
def settings(clock: FixedClock) -> chat.ChatSettings:
    return chat.ChatSettings(workflow.Settings(), clock.zone, Rules(), load_timetable(), Hours(zone=clock.zone))


async def say(uow: FakeUnitOfWork, person: int, text: str, clock: FixedClock, settings: chat.ChatSettings) -> object:
    async with uow:
        return await chat.run(uow, actor(uow, person), text, clock.now(), settings, "activity-1")


async def open_audit(uow: FakeUnitOfWork, b: Borough, clock: FixedClock, settings: chat.ChatSettings) -> int:
    reply = await say(uow, b.qa, f"assign DEMO-000001 to {b.worker} with {b.lead}", clock, settings)
    assert isinstance(reply, workflow.Reply)
    return int(reply.text.split()[1])


async def test_help_lists_what_each_person_may_type_and_a_practitioner_cannot_use_qas_commands(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    mine = await say(uow, borough.worker, "help", clock, settings)
    theirs = await say(uow, borough.qa, "HELP", clock, settings)
    assert isinstance(mine, command_hints.HelpMenu)
    assert isinstance(theirs, command_hints.HelpMenu)
    examples = {e.example.split()[0] for _, entries in mine.groups for e in entries}
    assert examples == {"help", "my", "open", "done", "team", "feedback"}
    assert "remind" in {e.example.split()[0] for _, entries in theirs.groups for e in entries}
    assert [b.label for b in mine.buttons] == ["My audits"]
    with pytest.raises(NotAllowed, match="only the QA team can use 'remind'"):
        await say(uow, borough.worker, "remind", clock, settings)
    with pytest.raises(NotAllowed, match="only the QA team can use 'timetable'"):
        await say(uow, borough.worker, "timetable 400", clock, settings)  # who may, before what is wrong
    unknown = await say(uow, borough.worker, "sing", clock, settings)
    assert isinstance(unknown, command_hints.Choice)
    assert "I don't know the command 'sing'" in unknown.text
    guessed = await say(uow, borough.worker, "my audtis", clock, settings)
    assert isinstance(guessed, command_hints.Choice)
    assert guessed.options[0].command == "my audits"
    not_theirs = await say(uow, borough.worker, "stauts", clock, settings)  # status is not theirs to guess
    assert isinstance(not_theirs, command_hints.Choice)
    assert [o.command for o in not_theirs.options] == ["help"]


async def test_assign_takes_a_name_asks_which_of_two_and_about_another_teams_case(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    w = borough.world
    twin = w.person("Wren Worker", Role.PRACTITIONER, team_id=borough.team)
    w.people[twin].email = "wren.worker.2@demo.invalid"  # emails are unique, names need not be
    other_team = w.team("CLA-S", borough.area, lead=None, manager=borough.manager, head=borough.head)
    elsewhere = w.person("Eli Elsewhere", Role.PRACTITIONER, team_id=other_team)
    which = await say(uow, borough.qa, "assign DEMO-000001 to wren  WORKER", clock, settings)
    assert isinstance(which, command_hints.Choice)
    assert which.title == "Which Wren Worker?"
    assert [o.detail for o in which.options] == ["Team CIN-N · Practitioner (social worker)"] * 2
    assert [o.command for o in which.options] == [
        "assign DEMO-000001 to wren.worker@demo.invalid",
        "assign DEMO-000001 to wren.worker.2@demo.invalid",
    ]
    assert w.audits == {}  # nothing happens until one is chosen
    assert w.outbox == {}
    typo = await say(uow, borough.qa, "assign DEMO-000001 to Ola Othr", clock, settings)
    assert isinstance(typo, command_hints.Choice)
    assert [o.command for o in typo.options] == ["assign DEMO-000001 to ola.other@demo.invalid"]
    assert [o.detail for o in typo.options] == ["Team CIN-N · Practitioner (social worker)"]
    asked = await say(uow, borough.qa, "assign DEMO-000001 to Eli Elsewhere", clock, settings)
    assert isinstance(asked, command_hints.Choice)
    assert "held by Team CIN-N, and Eli Elsewhere works in Team CLA-S" in asked.text
    assert [o.command for o in asked.options] == ["assign DEMO-000001 to Eli Elsewhere anyway"]
    assert w.audits == {}
    done = await say(uow, borough.qa, which.options[0].command, clock, settings)
    assert isinstance(done, workflow.Reply)
    audit = next(iter(w.audits.values()))
    assert (audit.practitioner_id, audit.second_person_id) == (borough.worker, borough.lead)  # their Practice Lead
    assert "assigned to Wren Worker, with Pat Lead as second person (their Practice Lead), due " in done.text
    assert done.text.endswith("The start card is on its way to Wren Worker and Pat Lead.")
    anyway = await say(uow, borough.qa, asked.options[0].command, clock, settings)
    assert isinstance(anyway, workflow.Reply)
    assert "assigned to Eli Elsewhere" in anyway.text
    assert {a.practitioner_id for a in w.audits.values()} == {borough.worker, elsewhere}


async def test_open_takes_a_case_and_opens_its_open_audit_the_reader_may_see(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    await open_audit(uow, borough, clock, settings)
    page = await say(uow, borough.worker, "open demo-000001", clock, settings)
    assert isinstance(page, workflow.PageScreen)
    with pytest.raises(NotFound, match="case DEMO-000002 has no open audit you can open"):
        await say(uow, borough.worker, "open DEMO-000002", clock, settings)
    with pytest.raises(NotFound, match="there is no case or audit 'DEMO-404'"):
        await say(uow, borough.worker, "open DEMO-404", clock, settings)


@at_instants
async def test_the_timetable_preview_shows_the_monthly_reminder_only_for_reviews_due_from_that_month(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    await open_audit(uow, borough, clock, settings)
    [audit] = borough.world.audits.values()
    preview = await say(uow, borough.qa, "timetable 40", clock, settings)
    assert isinstance(preview, timetable_commands.TimetablePreview)
    reminders = [line for line in preview.lines if line[1] == "monthly_reminder"]
    assert audit.due_on is not None
    for day, _, _, people, _ in reminders:
        assert day.replace(day=1) <= audit.due_on  # never a reminder about reviews already due
        assert people == 2  # the practitioner and their Practice Lead
    first_of_next = (clock.today().replace(day=28) + timedelta(days=4)).replace(day=1)
    assert bool(reminders) == (first_of_next <= audit.due_on)


async def test_a_dry_run_names_who_would_be_reminded_and_sends_nothing_then_remind_sends_once_a_day(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    await open_audit(uow, borough, clock, settings)
    before = len(borough.world.outbox)
    dry = await say(uow, borough.qa, "remind CIN-N --dry-run", clock, settings)
    assert isinstance(dry, workflow.Reply)
    assert "Dry run, nothing sent: 2 people in CIN-N would get a reminder" in dry.text
    assert len(borough.world.outbox) == before
    with pytest.raises(ValidationFailed, match="there is no team or service area 'CIN-X'; did you mean CIN-N"):
        await say(uow, borough.qa, "remind CIN-X", clock, settings)
    sent = await say(uow, borough.qa, "remind CIN-N", clock, settings)
    again = await say(uow, borough.qa, "remind CIN-N", clock, settings)
    assert isinstance(sent, workflow.Reply)
    assert isinstance(again, workflow.Reply)
    assert sent.text.startswith("Sent a reminder to 2 people in CIN-N")
    assert "already sent today" in again.text
    assert len(borough.world.notices("reminder_digest")) == 2


async def test_escalation_goes_to_slt_only_when_something_is_overdue(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    audit_id = await open_audit(uow, borough, clock, settings)
    nothing = await say(uow, borough.qa, "escalate --dry-run", clock, settings)
    assert isinstance(nothing, workflow.Reply)
    assert nothing.text == "Nothing is overdue, so there is nothing to escalate."
    borough.world.audits[audit_id].due_on = clock.today() - timedelta(days=1)
    sent = await say(uow, borough.qa, "escalate", clock, settings)
    assert isinstance(sent, workflow.Reply)
    assert [n.person_id for n in borough.world.notices("slt_escalation")] == [borough.slt]


async def test_status_counts_the_cycle_for_a_team_and_names_the_data_request(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    await open_audit(uow, borough, clock, settings)
    figures = await say(uow, borough.slt, "status CIN-N", clock, settings)
    assert isinstance(figures, timetable_commands.StatusFigures)
    assert (figures.assigned, figures.returned, figures.outstanding) == (1, 0, 1)
    assert figures.data_sent == "not yet marked as sent"
    with pytest.raises(NotAllowed):
        await say(uow, borough.lead, "status", clock, settings)


async def test_a_head_of_service_reads_their_own_areas_report_and_a_practitioner_none(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    async with uow:
        own = await report_command.report(uow, actor(uow, borough.head), "quarter", None, clock.today())
    assert (own.area_id, own.scope) == (borough.area, "North")
    with pytest.raises(NotAllowed, match="you can see the report of your own service area"):
        async with uow:
            await report_command.report(uow, actor(uow, borough.worker), None, None, clock.today())


async def test_failures_reach_qa_in_one_summary_a_working_day_by_person_urgent_first_never_to_the_unreachable(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    w, hours = borough.world, Hours()
    async with uow:
        await uow.conversations.remember(
            aad_object_id=w.people[borough.qa].aad,
            person_id=borough.qa,
            tenant_id=None,
            service_url="http://connector.invalid",
            conversation_id="a:qa",
            reference={"conversation": {"id": "a:qa"}},
        )  # the QA officer has the bot; the QA manager has not: nothing is sent where it cannot arrive
    sent = [
        (borough.worker, AuditAssigned(1, "DEMO-000001", "CIN-N", None), Outcome.UNREACHABLE),
        (borough.lead, RedAlert(1, "DEMO-000001", "CIN-N", "Wren Worker", "A13", None), Outcome.DEAD),
        (borough.lead, AuditAssigned(2, "DEMO-000002", "CIN-N", None), Outcome.DEAD),
        (borough.manager, RedAlert(1, "DEMO-000001", "CIN-N", "Wren Worker", "A13", None), Outcome.DEAD),
        (borough.head, AuditAssigned(3, "DEMO-000001", "CIN-N", None), Outcome.DEAD),
    ]
    for n, (person, data, outcome) in enumerate(sent):
        async with uow:
            await uow.outbox.add(Notice(f"m:{n}", person, data))
        row = max(w.outbox)
        message = Claimed(row, person, data.KIND, {}, 0, f"m:{n}", clock.now())
        async with uow:
            await record_delivery(
                uow, message, Decision(outcome, reason="403 refused"), clock.today(), had_conversation=True
            )
    assert w.notices("delivery_failures") == []  # no card per failure
    assert not w.people[borough.worker].reachable
    opening = hours.next_opening(clock.now())
    async with uow:
        assert await summarise_failures(uow, opening, hours) == 1
    [summary] = w.notices("delivery_failures")
    assert summary.person_id == borough.qa
    rows = summary.payload["failures"]
    assert [(r["person"], r["urgent"]) for r in rows] == [
        ("Pat Lead", True),
        ("Sam Manager", True),
        ("Hana Head", False),
        ("Pat Lead", False),
        ("Wren Worker", False),
    ]
    assert summary.payload["unreachable"] == ["Wren Worker"]
    async with uow:  # the same day again: nothing more, even with a new failure
        await uow.outbox.add(Notice("m:late", borough.other_worker, AuditAssigned(4, "DEMO-000002", "CIN-N", None)))
    late = max(w.outbox)
    async with uow:
        await uow.outbox.mark_failed(late, "400 bad", OutboxStatus.DEAD)
        assert await summarise_failures(uow, opening + timedelta(hours=2), hours) == 0
    tomorrow = hours.next_opening(opening.replace(hour=23))
    async with uow:
        assert await summarise_failures(uow, tomorrow, hours) == 1
    assert [r["person"] for r in w.notices("delivery_failures")[-1].payload["failures"]] == ["Ola Other"]
    async with uow:  # an entry is gone once its message is delivered
        listing = await timetable_commands.failed(uow, actor(uow, borough.qa))
        assert listing.total == 6
        assert [m.kind for m in listing.messages[:2]] == ["red_alert", "red_alert"]
        await timetable_commands.retry(uow, actor(uow, borough.qa), [listing.messages[0].outbox_id])
        await uow.outbox.mark_sent(listing.messages[0].outbox_id)
        assert (await timetable_commands.failed(uow, actor(uow, borough.qa))).total == 5


async def test_help_on_one_command_says_how_it_is_typed_with_an_example(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    on = await say(uow, borough.worker, "help team report", clock, settings)
    assert isinstance(on, workflow.Reply)
    assert on.text.startswith("team report [PERIOD]: your own team's highlight report")
    assert "For example: team report 20" in on.text
    q3 = await say(uow, borough.worker, "team report q3", clock, settings)  # a quarter as people say it
    assert isinstance(q3, report_command.ReportSummary)
    assert q3.period.code.endswith("-Q3")
    menu = await say(uow, borough.worker, "help me", clock, settings)
    assert isinstance(menu, command_hints.HelpMenu)
    not_theirs = await say(uow, borough.worker, "help remind", clock, settings)  # QA's: not offered
    assert isinstance(not_theirs, command_hints.Choice)
    typo = await say(uow, borough.qa, "help dip actoins", clock, settings)
    assert isinstance(typo, command_hints.Choice)
    assert "Did you mean 'dip actions'?" in typo.text
    dip = await say(uow, borough.qa, "help dip", clock, settings)  # every 'dip' command
    assert isinstance(dip, workflow.Reply)
    assert "dip actions DIP: a sent dip sample's actions" in dip.text
