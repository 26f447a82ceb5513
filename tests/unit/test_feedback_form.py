"""The family feedback form as data, the answers a family sends, the worrying phrases in them, who a
link is for as people type it, and the day a case closed as spreadsheets write it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from composition import FEEDBACK_FORM, load_feedback_form
from plf_core.directory_columns import closing_day
from plf_core.errors import ConfigurationError
from plf_core.feedback.answers import MAX_ANSWER, check_answers, worded, worrying
from plf_core.feedback.closure import newly_closed, not_asked
from plf_core.feedback.commands import _audience
from plf_core.feedback.form import Audience, parse_feedback_form
from plf_core.feedback.links import LinkState, LinkTimes, new_token, state_of, token_hash, well_formed

FORM = load_feedback_form()
PARENT = FORM.version(Audience.PARENT)


def shipped() -> dict[str, Any]:
    return yaml.safe_load(FEEDBACK_FORM.read_text("utf-8"))  # type: ignore[no-any-return]


def test_the_shipped_form_has_two_versions_each_asking_the_six_questions_of_the_issue() -> None:
    for audience in Audience:
        ids = [q.id for q in FORM.version(audience).questions]
        assert ids == ["useful", "listened", "changed", "helped", "in_the_way", "anything_else"]
    assert FORM.satisfaction == "useful"
    assert "call 999" in FORM.contacts["danger"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["audiences"].pop("child"), "audiences must include child"),
        (lambda d: d["scales"]["parent"].pop(), "scales.parent must have 5 words"),
        (lambda d: d.update(satisfaction="helped"), "satisfaction 'helped' must be a rating question"),
        (lambda d: d["audiences"]["child"]["questions"][0].update(kind="slider"), "kind must be one of"),
        (lambda d: d["audiences"]["child"]["questions"][1].update(id="useful"), "a question id is used twice"),
        (lambda d: d["contacts"].pop("danger"), "contacts.danger must be words"),
    ],
)
def test_a_broken_form_stops_start_up_naming_what_is_wrong(change: Any, named: str) -> None:
    document = shipped()
    change(document)
    with pytest.raises(ConfigurationError, match=named):
        parse_feedback_form(document)


def test_every_answer_is_optional_and_a_refused_one_keeps_what_was_typed() -> None:
    assert check_answers(PARENT, {}).empty
    long = "x" * (MAX_ANSWER + 1)
    checked = check_answers(PARENT, {"useful": "6", "helped": long, "listened": "5", "evil": "ignored"})
    assert checked.answers == {"listened": 5}
    assert set(checked.problems) == {"useful", "helped"}
    assert checked.typed["helped"] == long
    assert worded(PARENT, {"useful": 4, "helped": "Time"}) == [
        ("Was our help useful to your family?", "4 of 5: Mostly"),
        ("What helped?", "Time"),
    ]


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("My dad HITS me, when he's drunk", ["hits"]),
        ("his dad punched me and kicks the kids when hes drunk. we are frightened of him",
         ["punch*", "kick*", "frightened"]),
        ("I don’t feel safe at home", ["dont feel safe"]),  # a curly apostrophe, as phones type it
        ("I want to die.", ["want to die"]),
        ("He kept changing the subject; I felt unsafe!", ["unsafe"]),
        ("The domestic abuse course was brilliant", ["abus*"]),  # wide on purpose: a manager reads it
        ("The worker was white-hot on time", []),  # 'hit' inside another word is not 'hit'
        ("Nothing worrying at all", []),
    ],
)  # fmt: skip
def test_worrying_phrases_are_whole_words_whatever_the_capitals_and_punctuation(words: str, found: list[str]) -> None:
    assert worrying(FORM, {"anything_else": words, "useful": 5}) == found


def test_a_link_is_a_random_token_kept_only_as_its_hash_and_works_once_until_it_expires() -> None:
    from datetime import UTC, datetime, timedelta

    token = new_token()
    assert well_formed(token)
    assert not well_formed(token[:-1])
    assert not well_formed("../../etc/passwd" + "a" * 27)
    assert token_hash(token) != token_hash(new_token())
    now = datetime(2026, 12, 3, tzinfo=UTC)
    assert state_of(LinkTimes(now + timedelta(days=1), None), now) is LinkState.OPEN
    assert state_of(LinkTimes(now, None), now) is LinkState.EXPIRED
    assert state_of(LinkTimes(now + timedelta(days=1), now), now) is LinkState.USED
    assert state_of(None, now) is LinkState.UNKNOWN


@pytest.mark.parametrize(
    ("typed", "audience"),
    [("parent", "parent"), ("Mum", "parent"), ("the carer", "parent"), ("young person", "child"),
     ("YP", "child"), ("a child", "child"), ("teacher", None), (None, None)],
)  # fmt: skip
def test_who_a_link_is_for_is_read_as_people_type_it(typed: str | None, audience: str | None) -> None:
    found = _audience(typed)
    assert (found.value if found else None) == audience


def test_the_day_a_case_closed_is_read_as_iso_or_as_uk_spreadsheets_write_it() -> None:
    reasons: list[str] = []
    assert closing_day("2026-12-03", reasons) == date(2026, 12, 3)
    assert closing_day("3/12/2026", reasons) == date(2026, 12, 3)
    assert closing_day("", reasons) is None
    assert reasons == []
    assert closing_day("31/02/2026", reasons) is None
    assert reasons == ["closed_on '31/02/2026' is not a date: write it as 2026-12-03 or 03/12/2026"]


def test_only_a_recent_closing_of_an_open_case_asks_its_worker() -> None:
    today = date(2026, 12, 3)
    assert newly_closed(None, date(2026, 12, 1), today)
    assert not newly_closed(date(2026, 11, 1), date(2026, 12, 1), today)  # already closed
    assert not newly_closed(None, date(2026, 10, 1), today)  # an old closing, imported late
    assert not newly_closed(None, None, today)


def test_an_import_names_the_closed_cases_whose_workers_were_not_asked() -> None:
    today = date(2026, 12, 3)
    changes = [
        ("DEMO-1", None, date(2026, 12, 1)),  # asked
        ("DEMO-2", None, date(2026, 9, 1)),  # closed long ago
        ("DEMO-3", None, date(2027, 1, 10)),  # a day still to come
        ("DEMO-4", date(2026, 11, 1), date(2026, 12, 1)),  # already closed: not new
        ("DEMO-5", None, None),  # still open
    ]
    assert not_asked(changes, today) == ["DEMO-2", "DEMO-3"]
    assert not newly_closed(None, date(2027, 1, 10), today)
