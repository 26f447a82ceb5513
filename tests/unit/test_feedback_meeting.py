"""The quarter's feedback for the Service Managers' performance meeting (plf_core.feedback.meeting): the
timetable's quarter_start rule tells each service area's Service Managers on the fifth working day of the
next quarter, once each, with their area's figures and no family's words; its card shows them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cards.catalogue import CATALOGUE_LINKS
from cards.notice_cards import CardContext, notice_card
from composition import load_feedback_form
from plf_core.errors import ValidationFailed
from plf_core.feedback.figures import feedback_figures
from plf_core.feedback.form import Audience
from plf_core.feedback.meeting import AreaFeedback, FeedbackSummary
from plf_core.feedback.ports import FeedbackRecord
from plf_core.timetable import Hours, State, due_notices, parse_rules
from scheduler.timetable_file import load_timetable

LONDON = ZoneInfo("Europe/London")
RULES = [r for r in load_timetable() if r.id == "feedback_summary"]
FORM = load_feedback_form()
WORDS = "The social worker listened and explained everything to my son"
RECORDS = [
    FeedbackRecord(
        "North", "N1", "cp", Audience.PARENT, datetime(2026, 11, 2, tzinfo=UTC), {"useful": 5, "helped": WORDS}
    ),
    FeedbackRecord(
        "North", "N1", "cin", Audience.CHILD, datetime(2026, 11, 9, tzinfo=UTC), {"useful": 2, "listened": 4}
    ),
]


def north(managers: tuple[int, ...] = (3, 5)) -> AreaFeedback:
    return AreaFeedback("2026-Q4", date(2027, 1, 1), 2, "North", managers, (4,), feedback_figures(FORM, RECORDS))


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def test_each_service_manager_gets_their_areas_quarter_on_the_fifth_working_day_after_it() -> None:
    state = State(feedback=[north()])
    # 1 January 2027 is a bank holiday: 4, 5, 6, 7 and 8 January are the five working days after it
    assert due_notices(RULES, state, at(date(2027, 1, 7), 16), Hours()) == []
    due = due_notices(RULES, state, at(date(2027, 1, 8)), Hours())
    assert [(n.dedupe_key, n.person_id, n.urgent) for n in due] == [
        ("feedback_summary:2026-Q4:2:3", 3, False),  # in the day's digest, like the timetable's other notices
        ("feedback_summary:2026-Q4:2:5", 5, False),
    ]
    summary = due[0].data
    assert isinstance(summary, FeedbackSummary)
    assert (summary.quarter, summary.area, summary.reader, summary.received) == ("2026-Q4", "North", 3, 2)
    assert ("Satisfied with our help (4 or 5 of 5)", "50%* of 2* who answered") in summary.figures
    assert summary.cohorts == (("Child Protection (CP)", "1*", "100%*"), ("Child in Need (CiN)", "1*", "0%*"))
    assert summary.themes[:2] == (("Being listened to", "1*", "0"), ("Being kept informed", "1*", "0"))
    assert WORDS not in json.dumps(summary.to_payload())
    # the sweep catches up for two weeks, then the quarter is past
    assert len(due_notices(RULES, state, at(date(2027, 1, 21)), Hours())) == 2
    assert due_notices(RULES, state, at(date(2027, 1, 22)), Hours()) == []


def test_a_rule_may_send_it_to_heads_of_service_but_not_to_practitioners() -> None:
    rule = {"id": "f", "trigger": "quarter_start", "offset": 5, "unit": "working_days", "card": "feedback_summary"}
    heads = parse_rules({"rules": [{**rule, "to": "head_of_service"}]})
    assert [n.person_id for n in due_notices(heads, State(feedback=[north()]), at(date(2027, 1, 8)), Hours())] == [4]
    with pytest.raises(ValidationFailed, match="'practitioner' cannot receive a 'quarter_start' notice"):
        parse_rules({"rules": [{**rule, "to": "practitioner"}]})


def test_the_card_gives_the_figures_the_themes_and_the_reports_link_for_the_reader() -> None:
    summary = due_notices(RULES, State(feedback=[north()]), at(date(2027, 1, 8)), Hours())[0].data
    card = notice_card(summary, CardContext(date(2027, 1, 8), CATALOGUE_LINKS))
    text = json.dumps(card)
    assert "Children and families' feedback: North, 2026 Q4" in text
    assert "What helped" in text
    assert "Being listened to" in text
    assert "What got in the way" not in text  # nobody said what got in the way
    assert card["actions"][0]["url"] == CATALOGUE_LINKS.report_url(3, "2026-Q4", 2)
    assert WORDS not in text


def test_a_quarter_nobody_answered_says_so_and_how_to_ask() -> None:
    empty = AreaFeedback("2026-Q4", date(2027, 1, 1), 2, "North", (3,), (), feedback_figures(FORM, []))
    summary = due_notices(RULES, State(feedback=[empty]), at(date(2027, 1, 8)), Hours())[0].data
    text = json.dumps(notice_card(summary, CardContext(date(2027, 1, 8) + timedelta(days=1), CATALOGUE_LINKS)))
    assert "Nobody answered a feedback link in 2026 Q4" in text
    assert "type feedback followed by the case id" in text
