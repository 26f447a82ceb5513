"""Asking for feedback as people type it, on the in-memory unit of work: typos, a name instead of a case
id, who it is for left out, another team's case, and a QA officer's."""

from __future__ import annotations

import pytest

from plf_core import chat, command_hints, workflow
from plf_core.clock import FixedClock
from plf_core.errors import NotAllowed
from plf_core.feedback.asking import FeedbackLink
from plf_core.feedback.form import Audience
from plf_core.moderation import Rules
from plf_core.timetable import Hours
from scheduler.timetable_file import load_timetable
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import Borough
from tests.unit.use_cases.conftest import actor


@pytest.fixture
def settings(clock: FixedClock) -> chat.ChatSettings:
    return chat.ChatSettings(workflow.Settings(), clock.zone, Rules(), load_timetable(), Hours(zone=clock.zone))


async def say(uow: FakeUnitOfWork, person: int, text: str, clock: FixedClock, settings: chat.ChatSettings) -> object:
    async with uow:
        return await chat.run(uow, actor(uow, person), text, clock.now(), settings, "activity-1")


async def test_a_worker_gets_a_link_for_their_case_however_they_type_it(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    for typed in ("feedback DEMO-000001 parent", "Feedback for demo-000001 mum please", "feedback link DEMO-000001 yp"):
        link = await say(uow, borough.worker, typed, clock, settings)
        assert isinstance(link, FeedbackLink), (typed, link)
    assert [r["audience"] for r in uow.world.feedback_requests.values()] == [
        Audience.PARENT, Audience.PARENT, Audience.CHILD
    ]  # fmt: skip
    assert link.expires_on is not None
    assert (link.expires_on - clock.today()).days == 28


async def test_left_out_or_mistyped_it_is_asked_not_guessed(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    who = await say(uow, borough.worker, "feedback DEMO-000001", clock, settings)
    assert isinstance(who, command_hints.Choice)
    assert [o.command for o in who.options] == ["feedback DEMO-000001 child", "feedback DEMO-000001 parent"]
    odd = await say(uow, borough.worker, "feedback DEMO-000001 teacher", clock, settings)
    assert isinstance(odd, command_hints.Choice)
    assert "'teacher' is not one I know" in odd.text
    typo = await say(uow, borough.worker, "feedbak DEMO-000001 parent", clock, settings)
    assert "feedback" in str(typo)  # did you mean
    assert uow.world.feedback_requests == {}


async def test_a_name_instead_of_a_case_id_offers_the_workers_own_cases(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    named = await say(uow, borough.worker, "feedback Amelia parent", clock, settings)
    assert isinstance(named, command_hints.Choice)
    assert "not by anyone's name" in named.text
    assert named.options
    assert all(o.command.startswith("feedback DEMO-") and o.command.endswith(" parent") for o in named.options)


async def test_someone_outside_the_case_is_refused_and_qa_may_ask_for_any_case(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    with pytest.raises(NotAllowed, match="is not one of yours"):
        async with uow:
            await chat.run(
                uow, actor(uow, borough.other_worker), "feedback DEMO-000001 child", clock.now(), settings, "a"
            )
    assert isinstance(await say(uow, borough.qa, "feedback DEMO-000001 child", clock, settings), FeedbackLink)


@pytest.mark.parametrize(
    "typed",
    [
        "feedback parent DEMO-000001",
        "feedback DEMO-000001, mum",
        "feedback demo 000001 parent",
        "Feedback DEMO000001 Parent",
        "feedback 000001 parent",  # the number of one of their own cases
        "can i get a feedback link for DEMO-000001 dad",
        "feedback DEMO-000001 grandma please",
    ],
)
async def test_busy_typing_still_makes_the_link(
    typed: str, uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    link = await say(uow, borough.worker, typed, clock, settings)
    assert isinstance(link, FeedbackLink), (typed, link)
    assert (link.case, link.audience) == ("DEMO-000001", Audience.PARENT)


async def test_a_name_with_the_audience_is_replaced_whole_and_both_audiences_are_asked_about(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    named = await say(uow, borough.worker, "feedback Jayden Smith parent", clock, settings)
    assert isinstance(named, command_hints.Choice)
    assert named.options[0].command == "feedback DEMO-000001 parent"  # one press makes the link
    bare = await say(uow, borough.worker, "feedback", clock, settings)
    assert isinstance(bare, command_hints.Choice)
    assert bare.options[0].command == "feedback DEMO-000001"
    both = await say(uow, borough.worker, "feedback DEMO-000001 child parent", clock, settings)
    assert isinstance(both, command_hints.Choice)
    assert [o.command for o in both.options] == ["feedback DEMO-000001 child", "feedback DEMO-000001 parent"]


async def test_the_answers_are_read_however_the_case_is_typed_and_refused_to_others_at_once(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    from plf_core.feedback.answered import FamilyAnswers

    for typed in ("feedback answers DEMO-000001", "feedback answers demo000001", "feedback answers 000001",
                  "what did the family say on DEMO-000001?"):  # fmt: skip
        read = await say(uow, borough.worker, typed, clock, settings)
        assert isinstance(read, FamilyAnswers), (typed, read)
        assert (read.case, read.answers, read.more) == ("DEMO-000001", (), False)
    bare = await say(uow, borough.worker, "feedback answers", clock, settings)
    assert isinstance(bare, command_hints.Choice)
    assert bare.options[0].command == "feedback answers DEMO-000001"
    for typed in ("feedback DEMO-000001", "feedback answers DEMO-000001"):  # refused before 'who is it for?'
        with pytest.raises(NotAllowed, match="is not one of yours"):
            async with uow:
                await chat.run(uow, actor(uow, borough.other_worker), typed, clock.now(), settings, "a")
    unknown = await say(uow, borough.worker, "feedback DEMO-999999 parent", clock, settings)
    assert isinstance(unknown, command_hints.Choice)
    assert unknown.text.startswith("There is no case DEMO-999999: check the number.")
