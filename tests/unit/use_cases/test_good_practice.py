"""Good practice collected, on the in-memory unit of work: nominations read from answers already given,
who sees which, Confirm and Decline (once; a second press says whose it was; anyone else refused), the
Head of Service told of a nomination, and what 'good practice ...' understands of busy typing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from plf_core import chat, good_practice, workflow
from plf_core.card_actions import ActionRequest, Verb, act
from plf_core.clock import FixedClock
from plf_core.errors import NotAllowed, ValidationFailed
from plf_core.good_practice_commands import GoodPracticeList, GoodPracticeNominated, nominated_at_submit
from plf_core.notices import parse
from plf_core.periods import quarter
from plf_core.turn import Turn
from plf_core.vocabulary import Role
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import AuditRow, Borough
from tests.unit.use_cases.conftest import actor

SUBMITTED = datetime(2026, 8, 20, 12, tzinfo=UTC)  # 2026 Q3


@pytest.fixture
def settings(clock: FixedClock) -> chat.ChatSettings:
    return chat.ChatSettings(workflow.Settings(), clock.zone)


def returned(b: Borough, form: str, pages: dict[str, dict[str, Any]], saved_by: dict[str, int], **more: Any) -> int:
    w = b.world
    audit_id = w.next_id()
    w.audits[audit_id] = AuditRow(
        audit_id,
        form,
        b.case,
        b.worker,
        more.pop("second", b.lead),
        None,
        status="submitted",
        pages=pages,
        saved_by=saved_by,
        submitted_at=more.pop("at", SUBMITTED),
        final_grade=more.pop("grade", "green"),
    )
    return audit_id


def nominations(b: Borough) -> tuple[int, int, int]:
    """A Practice Learning Conversation its Head of Service nominated (with comments), one nominated with the
    manager's narrative only, one not nominated, and a thematic review's reviewer's and moderator's examples."""
    plc = "practice_learning_conversation"
    hos = returned(
        b,
        plc,
        {"head_of_service": {"HOS2": "The child's voice runs through the plan.", "HOS4": "yes"}},
        {"head_of_service": b.head},
    )
    narrative = returned(
        b,
        plc,
        {"head_of_service": {"HOS4": "yes"}, "manager_overall": {"MO1": "blue", "MO2": "Visits were purposeful."}},
        {"head_of_service": b.head, "manager_overall": b.lead},
        grade="blue",
        at=SUBMITTED - timedelta(days=60),  # 21 June: 2026 Q2
    )
    returned(b, plc, {"head_of_service": {"HOS2": "Fine.", "HOS4": "no"}}, {"head_of_service": b.head})
    thematic = returned(
        b,
        "thematic_cla_care_leavers",
        {
            "header": {"T_theme": "Voice of the child"},
            "moderation": {"G_practice": "Life story work with the young person.", "G_moderator": "Good planning."},
        },
        {"moderation": b.lead},  # the moderator saved the page last; the reviewer wrote G_practice
        second=b.lead,
        at=SUBMITTED + timedelta(days=1),
    )
    return hos, narrative, thematic


async def say(uow: FakeUnitOfWork, person: int, text: str, clock: FixedClock, settings: chat.ChatSettings) -> Any:
    async with uow:
        return await chat.run(uow, actor(uow, person), text, clock.now(), settings, "activity-1")


async def press(
    uow: FakeUnitOfWork, person: int, data: dict[str, Any], clock: FixedClock, settings: chat.ChatSettings
) -> Any:
    request = ActionRequest(Verb.GOOD_PRACTICE_DECIDE, data["audit"], command=data.get("command"), inputs=data)
    async with uow:
        return await act(Turn(uow, actor(uow, person), clock.now(), settings, "activity-2"), request)


async def test_nominations_are_read_from_the_answers_with_their_example_and_who_nominated(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    hos, narrative, thematic = nominations(borough)
    listed = await say(uow, borough.qa, "good practice", clock, settings)
    assert isinstance(listed, GoodPracticeList)
    shown = [(n.audit_id, n.field_id, n.text, n.nominated_by, n.awaiting) for n in listed.found]
    assert shown == [
        (thematic, "G_moderator", "Good planning.", "Pat Lead", True),  # the moderator (the second person)
        (thematic, "G_practice", "Life story work with the young person.", "Wren Worker", True),  # the reviewer
        (hos, "HOS4", "The child's voice runs through the plan.", "Hana Head", True),
        (narrative, "HOS4", "Visits were purposeful.", "Hana Head", True),  # no comments: the manager's narrative
    ]
    assert listed.scope == "the whole service"
    assert listed.decides_all  # QA may confirm any
    assert uow.world.access_log[-1][1] == "good practice"


async def test_busy_typing_names_an_area_a_theme_and_a_period(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    hos, _, thematic = nominations(borough)
    q3 = await say(uow, borough.qa, "good practice north 2026-Q3", clock, settings)
    assert {n.audit_id for n in q3.found} == {hos, thematic}
    assert (q3.scope, q3.period) == ("North", "2026 Q3")
    q2 = await say(uow, borough.qa, "good practice last quarter", clock, settings)  # 20 Nov 2026: Q3
    assert {n.audit_id for n in q2.found} == {hos, thematic}
    voice = await say(uow, borough.qa, "good practice N voice of the child", clock, settings)
    assert {(n.audit_id, n.field_id) for n in voice.found} == {  # in the example, or the review's theme
        (hos, "HOS4"),
        (thematic, "G_practice"),
        (thematic, "G_moderator"),
    }
    assert voice.theme == "voice of the child"
    planning = await say(uow, borough.qa, "good practice plans q3", clock, settings)
    found = [(n.audit_id, n.field_id) for n in planning.found]
    assert found == [(thematic, "G_moderator"), (hos, "HOS4")]  # 'plans': "Good planning.", "... the plan."
    with pytest.raises(ValidationFailed, match="'2026-q9' is not a period"):
        await say(uow, borough.qa, "good practice 2026-Q9", clock, settings)


def test_what_good_practice_understands_of_the_words_typed() -> None:
    areas = [(1, "CNP", "Children in Need & Protection (demo)"), (2, "CLA", "Children Looked After (demo)")]
    today = date(2026, 11, 20)
    asked = good_practice.read_words("children looked after voice of the child this quarter", today, areas)
    assert (asked.area_id, asked.period, asked.theme) == (2, quarter(today), "voice of the child")
    asked = good_practice.read_words("q3 CNP", today, areas)
    assert (asked.area_id, asked.period and asked.period.code, asked.theme) == (1, "2026-Q3", "")
    asked = good_practice.read_words("about neglect in 2026-10", today, areas)
    assert (asked.area_id, asked.period and asked.period.code, asked.theme) == (None, "2026-10", "neglect")


async def test_a_head_of_service_sees_their_area_and_a_practitioner_is_refused_politely(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    nominations(borough)
    other = borough.world.area("S", "South")
    mine = await say(uow, borough.head, "good practice", clock, settings)
    assert mine.scope == "your service area"
    assert len(mine.found) == 4
    assert mine.decides_for == {borough.area}
    managed = await say(uow, borough.manager, "good practice", clock, settings)
    assert len(managed.found) == 4
    assert not any(managed.may_decide(n) for n in managed.found)  # a Service Manager sees, and does not decide
    with pytest.raises(NotAllowed, match="your own service area, not South's"):
        await say(uow, borough.head, "good practice South", clock, settings)
    assert other in borough.world.areas
    with pytest.raises(
        NotAllowed, match=r"only the QA team, SLT, Heads of Service and Service Managers .* 'good practice'"
    ):
        await say(uow, borough.worker, "good practice", clock, settings)
    help_text = await say(uow, borough.head, "help good practice", clock, settings)
    assert isinstance(help_text, workflow.Reply)
    assert help_text.text.startswith("good practice [SERVICE AREA] [THEME] [PERIOD]: examples of good practice")


async def test_confirming_counts_once_and_a_second_press_says_who_already_did(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    hos, _, _ = nominations(borough)
    data = {"audit": hos, "field": "HOS4", "decision": "confirmed", "command": "good practice North"}
    done = await press(uow, borough.head, data, clock, settings)
    assert isinstance(done, GoodPracticeList)
    assert done.note == "You confirmed case DEMO-000001's example of good practice: it now counts as evidence."
    confirmed = next(n for n in done.found if n.audit_id == hos)
    assert (confirmed.decision, confirmed.decided_by, confirmed.decided_on) == ("confirmed", "Hana Head", clock.today())
    assert not done.may_decide(confirmed)
    assert done.found[-1] == confirmed  # the confirmed after those awaiting
    again = await press(uow, borough.qa, {**data, "decision": "declined"}, clock, settings)
    assert again.note == f"Hana Head already confirmed case DEMO-000001's example on {clock.now():%a %d %b %Y}."
    assert borough.world.good_practice[(hos, "HOS4")][0] == "confirmed"
    assert [e[1] for e in borough.world.access_log].count("good practice confirmed") == 1


async def test_declined_leaves_the_list_and_nobody_else_may_decide(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    hos, narrative, _ = nominations(borough)
    declined = await press(
        uow, borough.qa, {"audit": narrative, "field": "HOS4", "decision": "declined"}, clock, settings
    )
    assert narrative not in {n.audit_id for n in declined.found}
    assert declined.declined == 1
    for person in (borough.manager, borough.lead, borough.slt, borough.worker):
        with pytest.raises(NotAllowed) as refused:
            await press(uow, person, {"audit": hos, "field": "HOS4", "decision": "confirmed"}, clock, settings)
        assert refused.value.action == "good_practice_decide"  # the Teams edge logs it as denied
        assert "only a Head of Service of North or the QA team" in str(refused.value)
    with pytest.raises(ValidationFailed):
        await press(uow, borough.qa, {"audit": hos, "field": "A1a", "decision": "confirmed"}, clock, settings)
    assert (hos, "HOS4") not in borough.world.good_practice


async def test_the_head_of_service_is_told_of_a_nomination_they_did_not_make(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock
) -> None:
    hos, _, thematic = nominations(borough)
    async with uow:
        for audit_id in (hos, thematic):
            view = await uow.audits.get(audit_id)
            assert view is not None
            await nominated_at_submit(uow, view)
    told = [r for r in borough.world.outbox.values() if r.kind == "good_practice_nominated"]
    assert [(r.person_id, r.dedupe_key) for r in told] == [
        (borough.head, f"good_practice:{thematic}:G_practice:{borough.head}"),
        (borough.head, f"good_practice:{thematic}:G_moderator:{borough.head}"),
    ]  # not the one the Head of Service nominated themselves
    notice = parse(told[0].kind, told[0].payload)
    assert isinstance(notice, GoodPracticeNominated)
    assert (notice.case, notice.nominated_by, notice.area, notice.grade) == (
        "DEMO-000001",
        "Wren Worker",
        "North",
        "Green — Good",
    )
    assert Role.HEAD_OF_SERVICE in borough.world.people[borough.head].roles


def test_an_area_is_found_by_the_words_people_use_for_it() -> None:
    areas = [(1, "CNP", "Children in Need & Protection (demo)"), (2, "CLA", "Children Looked After (demo)")]
    today = date(2026, 11, 20)
    for typed, area, theme in (
        ("children in need voice", 1, "voice"),
        ("children in need and protection voice q3", 1, "voice"),
        ("Children in Need & Protection planning", 1, "planning"),
        ("looked after voice", 2, "voice"),
    ):
        asked = good_practice.read_words(typed, today, areas)
        assert (asked.area_id, asked.theme) == (area, theme), typed


async def test_an_example_changed_after_it_was_confirmed_waits_for_a_decision_again(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    hos, _, _ = nominations(borough)
    data = {"audit": hos, "field": "HOS4", "decision": "confirmed"}
    await press(uow, borough.qa, data, clock, settings)
    borough.world.audits[hos].pages["head_of_service"]["HOS2"] = "Rewritten after it was confirmed."
    listed = await say(uow, borough.qa, "good practice", clock, settings)
    changed = next(n for n in listed.found if n.audit_id == hos)
    assert (changed.awaiting, changed.changed, changed.decided_by) == (True, True, "Quinn Reviewer")
    again = await press(uow, borough.head, data, clock, settings)
    assert again.note == "You confirmed case DEMO-000001's example of good practice: it now counts as evidence."
    assert next(n for n in again.found if n.audit_id == hos).confirmed


async def test_an_amber_audit_is_not_an_example_of_good_practice(
    uow: FakeUnitOfWork, borough: Borough, clock: FixedClock, settings: chat.ChatSettings
) -> None:
    amber = returned(
        borough,
        "practice_learning_conversation",
        {"head_of_service": {"HOS2": "Kind words.", "HOS4": "yes"}},
        {"head_of_service": borough.head},
        grade="amber",
    )
    listed = await say(uow, borough.qa, "good practice", clock, settings)
    assert amber not in {n.audit_id for n in listed.found}
