from __future__ import annotations

from datetime import date

import pytest

from plf_core.chat_commands import Assign, Help, ListUnknown, MarkUploaded, MyAudits, OpenAudit
from plf_core.commands import commands_for, parse
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
        ("uploaded #42", MarkUploaded(42)),
        ("open 7", OpenAudit(7)),
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
    assert [r.usage for r in commands_for(worker)] == ["help", "my audits", "open <audit>", "done <audit>"]
    assert "uploaded <audit>" in [r.usage for r in commands_for(qa)]


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (substitute)
    assert not is_working_day(date(2026, 12, 26))  # a Saturday
    # Wed 23 Dec 2026 + 10 working days: 24, 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11 Jan
    assert add_working_days(date(2026, 12, 23), 10) == date(2027, 1, 11)
    assert add_working_days(date(2027, 1, 11), -10) == date(2026, 12, 23)
