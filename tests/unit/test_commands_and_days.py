from __future__ import annotations

from datetime import date

import pytest

from plf_core import command_hints
from plf_core.chat_commands import (
    Assign,
    Help,
    ListUnknown,
    MarkUploaded,
    MyAudits,
    OpenAudit,
    OpenCase,
    Status,
    TimetableCmd,
)
from plf_core.commands import ROUTES, BadArguments, Unrecognised, commands_for, parse
from plf_core.errors import ValidationFailed
from plf_core.people import Actor
from plf_core.vocabulary import Role
from plf_core.working_days import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("help", Help()),
        ("Help!", Help()),
        ("hi", Help("hello")),
        ("Good morning :)", Help("hello")),
        ("Thanks!", Help("thanks")),
        ("thank you very much", Help("thanks")),
        ("My  Audits", MyAudits()),
        ("plf my audit", MyAudits()),
        ("assign DEMO-900001 to Rowan@Example.org", Assign("DEMO-900001", "Rowan@Example.org")),
        ("plf assign X1 to 12 with hazel@example.org", Assign("X1", "12", "hazel@example.org")),
        ("assign DEMO-900100 to Juniper  Samplewell", Assign("DEMO-900100", "Juniper Samplewell")),
        (
            "assign D1 to Hazel Dummyfield with Ember Fictionby anyway",
            Assign("D1", "Hazel Dummyfield", "Ember Fictionby", True),
        ),
        ("uploaded #42", MarkUploaded(42)),
        ("open 7", OpenAudit(7)),
        ("open demo-900100", OpenCase("demo-900100")),
        ("timetable 90", TimetableCmd(90)),
        ("status 2026-Q3 FDA-N", Status("FDA-N", "2026-Q3")),
        ("status Front Door", Status("Front Door", None)),
        ("unknown people", ListUnknown()),
    ],
)
def test_commands_are_read_keeping_the_spelling_of_ids(text: str, command: object) -> None:
    assert parse(text)[0] == command


def test_a_sentence_that_merely_starts_with_a_greeting_is_not_taken_for_one() -> None:
    with pytest.raises(ValidationFailed, match="I don't know the command"):
        parse("hi can you delete audit 4")


def test_an_unknown_command_says_what_to_type() -> None:
    with pytest.raises(ValidationFailed, match="Type 'help'"):
        parse("delete everything")


def test_help_lists_only_what_the_person_may_use() -> None:
    worker = Actor(1, "a", "A", frozenset({Role.PRACTITIONER}))
    qa = Actor(2, "b", "B", frozenset({Role.QA_MANAGER}))
    assert [r.usage for r in commands_for(worker)] == [
        "help",
        "my audits",
        "open AUDIT or CASE",
        "done AUDIT",
        "team report [PERIOD]",
        "feedback answers CASE",
        "feedback CASE [child or parent]",
    ]
    assert "uploaded AUDIT" in [r.usage for r in commands_for(qa)]


def test_every_example_in_help_is_a_real_command_of_its_own_route_and_nothing_has_angle_brackets() -> None:
    today = date(2026, 12, 3)
    for route in ROUTES:
        example = command_hints.example(route, today)
        assert parse(example)[1] is route, example
        assert not set("<>") & set(route.usage + route.what + example), route.usage
    menu = command_hints.help_menu(ROUTES, "", today)
    assert [task for task, _ in menu.groups] == list(command_hints.TASKS)
    assert [b.command for b in menu.buttons] == ["my audits", "status", "timetable", "report"]
    assert "moderate 2026-11" in [e.example for _, entries in menu.groups for e in entries]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("smaple 10", "sample 10"),
        ("asign DEMO-1 to Hazel", "assign DEMO-1 to Hazel"),
        ("stauts", "status"),
        ("my audtis", "my audits"),
        ("dip nwe Permanence", "dip new Permanence"),
        ("reprot 2026-Q3", "report 2026-Q3"),
    ],
)
def test_a_misspelt_command_gets_did_you_mean_with_a_button_that_runs_it(typed: str, meant: str) -> None:
    with pytest.raises(Unrecognised) as raised:
        parse(typed)
    assert raised.value.route is None
    choice = command_hints.did_you_mean(raised.value.words, ROUTES)
    assert f"Did you mean '{meant}'?" in choice.text
    assert choice.options[0].command == meant


def test_nonsense_gets_the_help_button_not_a_guess() -> None:
    with pytest.raises(Unrecognised) as raised:
        parse("delete everything")
    choice = command_hints.did_you_mean(raised.value.words, ROUTES)
    assert [o.command for o in choice.options] == ["help"]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("timetable 400", "'timetable' looks 1 to 120 days ahead, not '400'"),
        ("timetable soon", "'timetable' looks 1 to 120 days ahead, not 'soon'"),
        ("sample lots", "not a number of cases"),
    ],
)
def test_arguments_out_of_range_say_the_range(typed: str, says: str) -> None:
    with pytest.raises(BadArguments, match=says):
        parse(typed)


def test_a_command_typed_with_the_wrong_words_is_recognised_to_say_how_it_is_typed() -> None:
    with pytest.raises(Unrecognised) as raised:
        parse("assign DEMO-900100")
    assert raised.value.route is not None
    said = command_hints.how_to_type(raised.value.route, date(2026, 12, 3))
    assert "Type: assign CASE to PERSON [with SECOND PERSON]" in said
    assert "For example: assign DEMO-900100 to Juniper Samplewell" in said


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (substitute)
    assert not is_working_day(date(2026, 12, 26))  # a Saturday
    # Wed 23 Dec 2026 + 10 working days: 24, 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11 Jan
    assert add_working_days(date(2026, 12, 23), 10) == date(2027, 1, 11)
    assert add_working_days(date(2027, 1, 11), -10) == date(2026, 12, 23)


@pytest.mark.parametrize(
    ("typed", "case"),
    [("concerns", None), ("Concern", None), ("concerns please", None),
     ("concerns DEMO-900274", "DEMO-900274"), ("concerns for demo-900274", "demo-900274")],
)  # fmt: skip
def test_concerns_is_understood_as_people_type_it(typed: str, case: str | None) -> None:
    from plf_core.concern_commands import ListConcerns

    command, _ = parse(typed)
    assert command == ListConcerns(case)


@pytest.mark.parametrize("typed", ["evidence last quarter", "evidence this quarter", "evidence q3", "evidence"])
def test_evidence_is_understood_with_the_quarter_as_people_say_it(typed: str) -> None:
    command, _ = parse(typed)
    assert type(command).__name__ == "Evidence"
