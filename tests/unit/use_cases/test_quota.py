"""The cycle's audits proposed at its start (plf_core.quota): to each QA officer once, in working
hours, as a preview whose Create creates exactly that draw, due at the cycle's end; nothing when the
quota was drawn already."""

from __future__ import annotations

from datetime import date, datetime, time

from plf_core import chat, quota, supervision_due, workflow
from plf_core.clock import FixedClock
from plf_core.framework_config import Framework
from plf_core.moderation import Rules
from plf_core.timetable import Hours
from plf_core.timetable_notices import QuotaProposal, SupervisionDue
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import small_borough
from tests.unit.use_cases.conftest import actor


def at(clock: FixedClock, year: int, month: int, day: int, hour: int) -> FixedClock:
    return FixedClock(datetime.combine(date(year, month, day), time(hour), tzinfo=clock.zone))


async def propose(uow: FakeUnitOfWork, clock: FixedClock, framework: Framework | None = None) -> int:
    async with uow:
        return await quota.propose(uow, framework or Framework(), clock.now(), Hours(zone=clock.zone))


async def test_qa_gets_the_cycles_quota_as_a_preview_once_and_create_makes_exactly_it(clock: FixedClock) -> None:
    opening = at(clock, 2027, 1, 4, 10)  # the first working day of 2027 Q1 (1 January: a bank holiday)
    borough = small_borough(opening.today())
    uow = FakeUnitOfWork(borough.world, opening)
    assert await propose(uow, at(clock, 2027, 1, 4, 7)) == 0  # before opening time: not yet
    assert await propose(uow, opening) == 2  # the Practice Learning Reviewer and the QA manager
    assert await propose(uow, opening) == 0  # once per cycle
    sent = [r for r in borough.world.outbox.values() if r.kind == "quota_proposal"]
    assert sorted(r.person_id for r in sent) == [borough.qa, borough.qa_manager]
    proposal = QuotaProposal.from_payload(sent[0].payload)
    assert (proposal.cycle, proposal.per_lead) == ("2027-Q1", 3)
    assert proposal.command.startswith("sample quota seed 202701 confirm ")
    assert {case for case, _, _ in proposal.chosen} == {"DEMO-000001", "DEMO-000002"}  # one per worker

    settings = chat.ChatSettings(workflow.Settings(), opening.zone, Rules(), (), Hours(zone=opening.zone))
    async with uow:
        created = await chat.run(uow, actor(uow, borough.qa), proposal.command, opening.now(), settings, "a")
    assert isinstance(created, workflow.Reply)
    assert "2 audits assigned" in created.text
    dues = {a.due_on for a in borough.world.audits.values()}
    assert dues == {date(2027, 3, 31)}  # the cycle's end
    async with uow:  # the second QA officer presses Create on their copy
        again = await chat.run(uow, actor(uow, borough.qa_manager), proposal.command, opening.now(), settings, "b")
    assert isinstance(again, workflow.Reply)
    assert "already created" in again.text
    assert len(borough.world.audits) == 2


async def test_no_proposal_when_the_quota_was_drawn_or_the_cycle_is_weeks_old(clock: FixedClock) -> None:
    opening = at(clock, 2027, 1, 4, 10)
    borough = small_borough(opening.today())
    uow = FakeUnitOfWork(borough.world, opening)
    settings = chat.ChatSettings(workflow.Settings(), opening.zone, Rules(), (), Hours(zone=opening.zone))
    drawn_in_december = at(clock, 2026, 12, 21, 11)
    async with uow:
        preview = await chat.run(uow, actor(uow, borough.qa), "sample quota", drawn_in_december.now(), settings, "a")
        confirm = f"{preview.command} confirm {preview.fingerprint}"  # type: ignore[attr-defined]
        await chat.run(uow, actor(uow, borough.qa), confirm, drawn_in_december.now(), settings, "b")
    assert await propose(uow, opening) == 0
    later = small_borough(opening.today())
    assert await propose(FakeUnitOfWork(later.world, opening), at(clock, 2027, 1, 25, 10)) == 0
    monthly = small_borough(opening.today())
    month_start = at(clock, 2027, 2, 1, 10)
    assert await propose(FakeUnitOfWork(monthly.world, month_start), month_start, Framework(cycle="month")) == 2


async def test_qa_is_told_each_cycle_which_supervisors_are_due_their_yearly_supervision_review(
    clock: FixedClock,
) -> None:
    opening = at(clock, 2027, 1, 4, 10)
    borough = small_borough(opening.today())
    uow = FakeUnitOfWork(borough.world, opening)
    hours = Hours(zone=opening.zone)
    async with uow:
        assert await supervision_due.propose(uow, Framework(), opening.now(), hours) == 2
        assert await supervision_due.propose(uow, Framework(), opening.now(), hours) == 0  # once a cycle
    [told, *_] = [r for r in borough.world.outbox.values() if r.kind == "supervision_due"]
    assert SupervisionDue.from_payload(told.payload).supervisors == ("Pat Lead",)
    settings = chat.ChatSettings(workflow.Settings(), opening.zone, Rules(), (), Hours(zone=opening.zone))
    async with uow:
        done = await chat.run(
            uow, actor(uow, borough.qa), "supervision pat lead to Ada Qamanager", opening.now(), settings, "a"
        )
    assert isinstance(done, workflow.Reply)
    assert "Supervision review" in done.text
    spring = at(clock, 2027, 4, 1, 10)
    async with FakeUnitOfWork(borough.world, spring) as later:
        assert await supervision_due.propose(later, Framework(), spring.now(), hours) == 0  # reviewed this year
