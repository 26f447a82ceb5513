"""Every kind of notice is a typed value: it round-trips through its outbox payload, rows written
before the types existed still parse (positional list rows included), every kind has a card, and a
payload that cannot be read is refused by name (the dispatcher dead-letters it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cards.catalogue import CATALOGUE_LINKS, example_notices, example_timetable_notices
from cards.catalogue_feedback_summary import example_feedback_summaries
from cards.notice_cards import BUILDERS, CardContext, notice_card
from plf_core import notices, timetable_notices
from plf_core.notices import NOTICE_TYPES, BadPayload, NoticeData, parse
from plf_core.timetable import CARDS

ROWS = [[9001, "DEMO-900101", "CNP-N", "2026-12-31"], [9002, "DEMO-900102", "CNP-N", "2026-12-31"]]
#: a payload of each kind as the outbox held them on 2 December 2026 (before the types), verbatim
STORED: dict[str, dict[str, Any]] = {
    "audit_assigned": {"audit": 12, "case": "DEMO-900001", "team": "Team CNP-N", "due": "2026-12-31"},
    # new on 4 December 2026 (the hand-off between contributors): as written since
    "audit_ready": {"audit": 12, "case": "DEMO-900001", "done_by": "Rowan Demoford", "sections": "Action plan"},
    "red_alert": {
        "audit": 12,
        "case": "DEMO-900001",
        "team": "Team CNP-N",
        "sources": "practitioner and manager",
        "by": "Rowan Demoford",
        "pim_due": "2026-12-16",
    },
    "pim_request": {
        "audit": 12,
        "case": "DEMO-900001",
        "team": "Team CNP-N",
        "sources": "manager",
        "by": "Rowan Demoford",
        "pim_due": "2026-12-16",
        "pim_audit": 13,
    },
    "outcomes_chart": {"audit": 12, "case": "DEMO-900001"},
    "audit_final": {"audit": 12, "case": "DEMO-900001", "form": "Practice Learning Conversation", "grade": "red"},
    "moderation_request": {
        "audit": 12,
        "case": "DEMO-900001",
        "team": "CNP-N",
        "reason": "you are the Head of Service",
        "due": "2026-12-15",
    },
    "actions_not_yet": {"audit": 12, "case": "DEMO-900001", "reason": "Waiting for the school", "by": "Rowan Demoford"},
    "review_assigned": {
        "audit": 14,
        "form": "thematic_cin_cp",
        "case": "DEMO-900001",
        "theme": "Neglect",
        "due": "2027-01-31",
    },
    "dip_sample_actions": {
        "dip": 3,
        "theme": "Voice of the child",
        "agree_by": "2026-12-09",
        "actions": [["Share the learning", "Team managers", "2027-01-31", "amber"], ["Audit again", "QA", "", ""]],
    },
    "moderation_outcome": {
        "audit": 12,
        "case": "DEMO-900001",
        "original": "green",
        "moderated": "amber",
        "sections": [["Compliance", "green", "amber", "Visits late"], ["Overall grade", "green", "amber", "Plan old"]],
        "actions": ["Update the plan"],
    },
    "delivery_failures": {
        "failures": [{"outbox": 5, "person": "Rowan Demoford", "kind": "audit assigned", "reason": "403"}],
        "unreachable": ["Rowan Demoford"],
    },
    "unknown_sender": {"name": "Newly Joined Worker", "aad": "11111111-2222-4333-8444-555555555555"},
    "data_request": {
        "cycle": "2027-Q1",
        "starts": "2027-01-01",
        "rule": "data_request",
        "due": "2026-12-18",
        "urgent": False,
    },
    "reminder_digest": {
        "items": ROWS,
        "due": "2026-12-01",
        "month": "2026-12",
        "rule": "monthly_reminder",
        "urgent": False,
    },
    "outstanding_list": {
        "cycle": "2026-Q4",
        "items": ROWS,
        "rule": "outstanding_list",
        "due": "2026-12-24",
        "urgent": False,
    },
    "slt_escalation": {
        "cycle": "2026-Q4",
        "items": ROWS,
        "moderations": 4,
        "actions": 2,
        "rule": "slt_outstanding",
        "due": "2027-01-07",
        "urgent": True,
    },
    "action_follow_up": {
        "audit": 12,
        "case": "DEMO-900001",
        "actions": ["Update the plan"],
        "rule": "followup_2",
        "due": "2026-11-05",
        "urgent": False,
    },
    "action_escalation": {
        "audit": 12,
        "case": "DEMO-900001",
        "actions": ["Update the plan"],
        "rule": "followup_escalation",
        "due": "2026-11-19",
        "urgent": True,
    },
    "dip_follow_up": {
        "dip": 3,
        "theme": "Voice of the child",
        "rule": "dip_agree",
        "due": "2026-11-09",
        "urgent": False,
    },
    "dip_escalation": {
        "dip": 3,
        "theme": "Voice of the child",
        "rule": "dip_escalation",
        "due": "2026-12-07",
        "urgent": True,
    },
    "pim_due": {"audit": 12, "case": "DEMO-900001", "rule": "pim_due", "due": "2026-12-29", "urgent": False},
    "action_due": {
        "action": 40,
        "audit": 12,
        "case": "DEMO-900001",
        "owner": "Rowan Demoford",
        "deadline": "2026-12-10",
        "rule": "action_overdue",
        "due": "2026-12-11",
        "urgent": False,
    },
    "actions_assigned": {
        "audit": 12,
        "case": "DEMO-900001",
        "page": "action_plan",
        "items": [{"action": 40, "row": 1, "deadline": "2026-12-10"}],
    },
}
STORED["review_due"] = {
    "audit": 12,
    "form": "Thematic Practice Review",
    "case": "DEMO-900001",
    "deadline": "2026-12-10",
    "due": "2026-12-03",
    "rule": "review_reminder",
}
STORED["supervision_due"] = {"cycle": "2027-Q1", "supervisors": ["Pat Lead"], "total": 1}
STORED["dip_findings"] = {"dip": 7, "theme": "Voice of the child", "findings": "Plans", "actions": 5, "to_update": 1}
STORED["dip_planned"] = {"theme": "Threshold", "starts": "2027-02-01", "data_request": True, "month": "February 2027"}
STORED["highlight_report"] = {
    "period": "2026-11",
    "area": 2,
    "scope": "Children in Need (demo)",
    "reader": 41,
    "headline": [["Audits returned", "37 of 48"]],
    "empty": False,
}
STORED["quota_proposal"] = {
    "cycle": "2027-Q1",
    "command": "sample quota seed 202701 confirm 0123456789abcdef",
    "per_lead": 3,
    "matching": 2612,
    "chosen": [["DEMO-900101", "CNP-N", "Juniper Samplewell"]],
    "problems": [],
}
# new on 4 December 2026 (immediate concerns): as written since
STORED["immediate_concern"] = {
    "concern": 3,
    "audit": 12,
    "case": "DEMO-900001",
    "team": "Team CNP-N",
    "raised_by": "Rowan Demoford",
    "raised_at": "Thu 03 Dec 2026, 22:00",
    "where": "Practice Learning Conversation / Self-Audit (audit 12), page 3 of 14",
    "at_risk": "yes",
    "level": 1,
    "reason": "nobody has said they have it after 60 minutes",
}
STORED["concern_not_reached"] = {
    "concern": 3,
    "case": "DEMO-900001",
    "raised": "raised 22:00 on Thu 03 Dec from Practice Learning Conversation / Self-Audit (audit 12), page 3 of 14",
}
STORED["concern_acknowledged"] = {
    "concern": 3,
    "case": "DEMO-900001",
    "by": "Sam Manager (Service Manager)",
    "at": "22:40 on Thu 03 Dec",
}
STORED["daily_digest"] = {
    "day": "2026-12-01",
    "items": [
        {"kind": "reminder_digest", "data": STORED["reminder_digest"], "key": "monthly_reminder:2026-12:7"},
        {"kind": "action_follow_up", "data": STORED["action_follow_up"], "key": "followup_1:audit-12:7"},
    ],
}
STORED["good_practice_nominated"] = {  # new with issue 18: as written since
    "audit": 12,
    "case": "DEMO-900001",
    "team": "Team CNP-N",
    "form_title": "Thematic Practice Review (CLA & Care Leavers)",
    "grade": "Green — Good",
    "nominated_by": "Rowan Demoford",
    "area": "Children in Need (demo)",
}
STORED["feedback_at_closure"] = {  # new with issue 20: as written since
    "case": "DEMO-900001",
    "closed_on": "2026-12-03",
    "team": "Team CNP-N",
}
STORED["feedback_summary"] = {  # new with issue 20 (the quarter's feedback for a performance meeting)
    "quarter": "2026-Q4",
    "area": 2,
    "area_name": "Children in Need (demo)",
    "reader": 7,
    "received": 6,
    "figures": [["Parents and carers", "6"], ["Satisfied with our help (4 or 5 of 5)", "83% of 6 who answered"]],
    "cohorts": [["Child in Need (CiN)", "6", "83%"]],
    "themes": [["Being listened to", "5", "0"], ["Other", "0", "1*"]],
    "due": "2027-01-08",
    "rule": "feedback_summary",
    "urgent": False,
}
STORED["feedback_answered"] = {"case": "DEMO-900001", "who": "a parent or carer", "received": "Thu 03 Dec 2026"}
CONTEXT = CardContext(date(2026, 12, 2), CATALOGUE_LINKS)


def test_every_kind_has_a_stored_example_and_a_card() -> None:
    assert set(STORED) == set(NOTICE_TYPES)
    assert set(BUILDERS) == set(NOTICE_TYPES.values())
    assert {k for k, cls in NOTICE_TYPES.items() if cls.TIMETABLE} == CARDS  # what a timetable rule may name


@pytest.mark.parametrize("kind", sorted(STORED))
def test_a_payload_stored_before_the_types_still_parses_renders_and_round_trips(kind: str) -> None:
    notice = parse(kind, STORED[kind])
    assert kind == notice.KIND
    assert parse(kind, notice.to_payload()) == notice
    assert notice_card(notice, CONTEXT)["type"] == "AdaptiveCard"


@pytest.mark.parametrize(
    "notice",
    [n for _, n in example_notices()] + example_timetable_notices() + [n for _, n in example_feedback_summaries()],
    ids=lambda n: n.KIND,
)
def test_every_notice_in_the_card_catalogue_round_trips(notice: NoticeData) -> None:
    assert parse(notice.KIND, notice.to_payload()) == notice


def test_old_positional_rows_read_as_named_ones() -> None:
    digest = parse("reminder_digest", STORED["reminder_digest"])
    assert isinstance(digest, timetable_notices.ReminderDigest)
    assert digest.items[0] == notices.DueRow(9001, "DEMO-900101", "CNP-N", date(2026, 12, 31))
    assert digest.to_payload()["items"][0] == {
        "audit": 9001,
        "case": "DEMO-900101",
        "team": "CNP-N",
        "due": "2026-12-31",
    }


@pytest.mark.parametrize(
    ("kind", "payload", "reason"),
    [
        ("no_such_kind", {}, "no notice of kind 'no_such_kind'"),
        ("audit_assigned", {"case": "DEMO-1"}, "'audit' should be a whole number"),
        ("red_alert", {"audit": "12a", "pim_due": "2026-12-01"}, "'audit' should be a whole number"),
        ("pim_request", {"audit": 1, "pim_audit": 2, "pim_due": "soon"}, "'soon' is not a date"),
        ("reminder_digest", {"items": "DEMO-1"}, "'items' should be a list"),
        ("reminder_digest", {"items": [[1, "DEMO-1"]]}, "a row of reviews should be a mapping"),
    ],
)
def test_a_payload_that_cannot_be_read_is_refused_by_name(kind: str, payload: dict[str, Any], reason: str) -> None:
    with pytest.raises(BadPayload, match=reason):
        parse(kind, payload)
