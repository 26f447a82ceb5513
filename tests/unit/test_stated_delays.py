"""A card never states a delay the timetable's configuration contradicts: SLT's escalation, the actions'
escalation to SLT and the dip sample's to the Director of Operations say what the configured rules say,
and follow them when the configuration changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cards.base import delay
from cards.notice_cards import notice_card
from cards.registry import CardContext
from plf_core.notices import parse
from plf_core.stated_delays import slt_delay
from plf_core.timetable import ModeratedAudit, SentDip, State, due_notices
from scheduler.timetable_file import load_timetable
from tests.card_tree import texts
from tests.unit.test_timetable import HOURS, LEAD, MANAGER, WORKER, at, state

SHIPPED = (Path(__file__).parents[2] / "scheduler" / "timetable.yaml").read_text()
MODERATED = ModeratedAudit(13, "AZ13", date(2026, 10, 1), False, WORKER, LEAD, MANAGER)
SENT = SentDip(5, "Voice of the child", date(2026, 11, 2), agreed=False, confirmed=False, head_of_service_id=4)


def said(text: str, tmp_path: Path, rule: str, day: date, s: State) -> str:
    """What the card of `rule`'s notice due on `day` says, under the timetable `text`."""
    path = tmp_path / "timetable.yaml"
    path.write_text(text)
    notices = [n for n in due_notices(load_timetable(path), s, at(day), HOURS) if n.rule == rule]
    assert notices, rule
    return " ".join(texts(notice_card(notices[0].data, CardContext(day))))


def test_the_shipped_configuration_is_what_the_cards_say(tmp_path: Path) -> None:
    slt = said(SHIPPED, tmp_path, "slt_outstanding", date(2027, 1, 7), state(moderations_outstanding=1))
    assert "SLT to be told one week after reviews are due" in slt
    actions = said(SHIPPED, tmp_path, "followup_escalation", date(2026, 11, 19), state(moderated=[MODERATED]))
    assert "moderation four weeks after the first follow-up" in actions  # 49 - 21 days
    dip = said(SHIPPED, tmp_path, "dip_escalation", date(2026, 12, 7), state(dips=[SENT]))
    assert "followed up, four weeks after the first follow-up" in dip  # 35 - 7 days (dip_agree)


def test_a_changed_configuration_changes_what_the_cards_say(tmp_path: Path) -> None:
    text = SHIPPED
    for old, new in (
        ("offset: 7\n    to: slt\n    card: slt_escalation", "offset: 10\n    to: slt\n    card: slt_escalation"),
        ("offset: 49\n", "offset: 63\n"),  # followup_escalation
        ("offset: 35\n    to: director_of_operations", "offset: 42\n    to: director_of_operations"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    slt = said(text, tmp_path, "slt_outstanding", date(2027, 1, 11), state(moderations_outstanding=1))
    assert "SLT to be told 10 days after reviews are due" in slt
    actions = said(text, tmp_path, "followup_escalation", date(2026, 12, 3), state(moderated=[MODERATED]))
    assert "moderation six weeks after the first follow-up" in actions
    dip = said(text, tmp_path, "dip_escalation", date(2026, 12, 14), state(dips=[SENT]))
    assert "followed up, five weeks after the first follow-up" in dip
    path = tmp_path / "timetable.yaml"
    assert slt_delay(load_timetable(path)) == {"after": 10, "after_unit": "days"}  # what QA's `escalate` states


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("slt_escalation", {"cycle": "2026-Q4", "items": [], "rule": "slt_outstanding", "due": "2027-01-07"}),
        ("action_escalation", {"audit": 12, "case": "AZ12", "actions": ["a"], "rule": "followup_escalation"}),
        ("dip_escalation", {"dip": 3, "theme": "Voice of the child", "rule": "dip_escalation"}),
    ],
)
def test_a_notice_written_before_it_carried_the_delay_states_no_number(kind: str, payload: dict[str, object]) -> None:
    words = " ".join(texts(notice_card(parse(kind, payload), CardContext(date(2027, 1, 7)))))
    assert not any(f" {n} week" in words for n in ("one", "two", "four")), words


def test_a_delay_in_words() -> None:
    assert [delay(7), delay(28), delay(10), delay(1), delay(5, "working_days"), delay(0), delay(14 * 7)] == [
        "one week",
        "four weeks",
        "10 days",
        "1 day",
        "5 working days",
        "",
        "14 weeks",
    ]
