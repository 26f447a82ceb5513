"""The timetable engine with a controllable clock: every rule, working days and hours, bank
holidays, the clock change, and a whole quarter swept hour by hour."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plf_core.errors import ValidationFailed
from plf_core.notices import DueRow
from plf_core.timetable import (
    CycleState,
    Hours,
    ModeratedAudit,
    OpenAudit,
    OpenReview,
    PimDue,
    Recipient,
    SentDip,
    State,
    TrackedAction,
    due_notices,
)
from plf_core.timetable_notices import SltEscalation
from scheduler.timetable_file import load_timetable

LONDON = ZoneInfo("Europe/London")
HOURS = Hours()
RULES = load_timetable()
DATA, SLT, DIRECTOR = 70, 80, 90
WORKER, LEAD, MANAGER, HEAD = 1, 2, 3, 4


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def state(**more: object) -> State:
    base: dict[str, object] = {
        "cycles": [
            CycleState("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
            CycleState("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        ],
        "people_by_role": {
            Recipient.DATA_AND_IMPACT: [DATA],
            Recipient.SLT: [SLT],
            Recipient.DIRECTOR_OF_OPERATIONS: [DIRECTOR],
        },
    }
    return State(**{**base, **more})  # type: ignore[arg-type]


OPEN = OpenAudit(11, "AZ000011", "T1", date(2026, 12, 31), WORKER, LEAD, LEAD, MANAGER, HEAD)


def keys(now: datetime, s: State) -> set[str]:
    return {n.dedupe_key for n in due_notices(RULES, s, now, HOURS)}


def test_the_shipped_timetable_covers_the_framework() -> None:
    assert [r.id for r in RULES] == [
        "data_request",
        "monthly_reminder",
        "outstanding_list",
        "slt_outstanding",
        "followup_1",
        "followup_2",
        "followup_escalation",
        "dip_agree",
        "dip_followup_2",
        "dip_escalation",
        "pim_due",
        "pim_reminder",
        "pim_escalation",
        "review_reminder",
        "review_outstanding",
        "review_escalation",
        "action_reminder",
        "action_overdue",
        "action_overdue_sm",
        "feedback_summary",
    ]


def test_the_data_request_goes_14_days_before_a_cycle_at_opening_time() -> None:
    s = state()
    due = date(2026, 12, 18)  # 2027-Q1 starts on 1 January
    assert "data_request:2027-Q1:70" not in keys(at(due, 8, 59), s)
    assert "data_request:2027-Q1:70" in keys(at(due, 9, 0), s)
    assert "data_request:2027-Q1:70" in keys(at(due + timedelta(days=3), 16), s)  # still due: the sweep catches up


def test_follow_ups_stop_once_the_actions_are_confirmed_and_escalate_otherwise() -> None:
    moderated = ModeratedAudit(12, "AZ000012", date(2026, 10, 1), False, WORKER, LEAD, MANAGER, ("Update the plan",))
    s = state(moderated=[moderated])
    assert keys(at(date(2026, 10, 22)), s) >= {"followup_1:audit-12:1", "followup_1:audit-12:2"}  # + 21 days
    second = keys(at(date(2026, 11, 5)), s)  # + 35 days, now with the Service Manager
    assert {"followup_2:audit-12:1", "followup_2:audit-12:2", "followup_2:audit-12:3"} <= second
    notices = due_notices(RULES, s, at(date(2026, 11, 19)), HOURS)  # + 49 days: SLT, at once
    escalation = [n for n in notices if n.rule == "followup_escalation"]
    assert [(n.person_id, n.urgent) for n in escalation] == [(SLT, True)]
    confirmed = state(moderated=[ModeratedAudit(12, "AZ000012", date(2026, 10, 1), True, WORKER, LEAD, MANAGER)])
    assert not {k for k in keys(at(date(2026, 11, 19)), confirmed) if k.startswith("followup")}


def test_an_action_is_reminded_before_its_deadline_then_overdue_to_the_lead_then_the_manager_until_done() -> None:
    def action(done: bool) -> TrackedAction:
        return TrackedAction(40, 12, "AZ000012", "Sam", date(2026, 11, 20), done, WORKER, LEAD, MANAGER)

    s = state(actions=[action(False)])
    assert {k for k in keys(at(date(2026, 11, 17)), s) if k.startswith("action")} == {"action_reminder:action-40:1"}
    overdue = due_notices(RULES, s, at(date(2026, 11, 21)), HOURS)  # a Saturday: at Monday's opening
    assert not [n for n in overdue if n.rule == "action_overdue"]
    monday = {n.dedupe_key for n in due_notices(RULES, s, at(date(2026, 11, 23)), HOURS) if n.rule == "action_overdue"}
    assert monday == {"action_overdue:action-40:1", "action_overdue:action-40:2"}
    week = {k for k in keys(at(date(2026, 11, 30)), s) if k.startswith("action_overdue_sm")}
    assert week == {"action_overdue_sm:action-40:3"}
    done = state(actions=[action(True)])
    assert not {k for k in keys(at(date(2026, 11, 30)), done) if k.startswith("action")}


def test_a_notice_due_at_a_weekend_or_on_a_bank_holiday_goes_at_the_next_opening() -> None:
    # moderated on Friday 4 December 2026: + 21 days is Christmas Day; Boxing Day's holiday is Monday 28th
    s = state(moderated=[ModeratedAudit(13, "AZ13", date(2026, 12, 4), False, WORKER, LEAD, MANAGER)])
    assert not keys(at(date(2026, 12, 25), 10), s) & {"followup_1:audit-13:1"}
    assert not keys(at(date(2026, 12, 28), 10), s) & {"followup_1:audit-13:1"}
    assert "followup_1:audit-13:1" in keys(at(date(2026, 12, 29), 9), s)
    assert HOURS.next_opening(at(date(2026, 11, 27), 17, 30)) == at(date(2026, 11, 30), 9)  # Friday evening → Monday
    assert HOURS.next_opening(at(date(2026, 11, 26), 12)) == at(date(2026, 11, 26), 12)


def test_opening_time_follows_the_clock_change() -> None:
    before = HOURS.send_time(date(2026, 10, 23)).astimezone(UTC)  # BST: 09:00 is 08:00 UTC
    after = HOURS.send_time(date(2026, 10, 26)).astimezone(UTC)  # GMT: 09:00 is 09:00 UTC
    assert (before.hour, after.hour) == (8, 9)


def test_dip_samples_pims_and_outstanding_lists() -> None:
    dip = SentDip(5, "Voice of the child", date(2026, 11, 2), agreed=False, confirmed=False, head_of_service_id=HEAD)
    pim = PimDue(14, "AZ14", date(2026, 11, 16), held=False, head_of_service_id=HEAD)
    s = state(dips=[dip], pims=[pim], open_audits=[OPEN])
    assert "dip_agree:dip-5:4" in keys(at(date(2026, 11, 9)), s)
    agreed = state(dips=[SentDip(5, "V", date(2026, 11, 2), True, False, HEAD)])
    assert "dip_agree:dip-5:4" not in keys(at(date(2026, 11, 9)), agreed)
    assert "dip_escalation:dip-5:90" in keys(at(date(2026, 12, 7)), s)  # + 35 days, Director of Operations
    assert "pim_due:pim-14:4" in keys(at(date(2026, 11, 16)), s)
    held = state(pims=[PimDue(14, "AZ14", date(2026, 11, 16), True, HEAD)])
    assert "pim_due:pim-14:4" not in keys(at(date(2026, 11, 16)), held)
    outstanding = {k for k in keys(at(date(2026, 12, 24)), s) if k.startswith("outstanding_list")}
    assert outstanding == {"outstanding_list:2026-Q4:2", "outstanding_list:2026-Q4:3", "outstanding_list:2026-Q4:4"}
    late = due_notices(
        RULES, state(open_audits=[OPEN], moderations_outstanding=4, actions_unconfirmed=2), at(date(2027, 1, 7)), HOURS
    )
    escalations = [n.data for n in late if n.rule == "slt_outstanding"]
    assert [n.person_id for n in late if n.rule == "slt_outstanding"] == [SLT]
    assert [(e.items, e.moderations, e.actions) for e in escalations if isinstance(e, SltEscalation)] == [
        ((DueRow(11, "AZ000011", "T1", date(2026, 12, 31)),), 4, 2)
    ]


def test_slt_hears_of_outstanding_moderations_or_a_cycle_with_no_audits_drawn_even_when_every_audit_is_in() -> None:
    week_after = at(date(2027, 1, 7))
    assert not [n for n in due_notices(RULES, state(), week_after, HOURS) if n.rule == "slt_outstanding"]
    for quiet_otherwise in (state(moderations_outstanding=3), state(quota_missing="2027-Q1")):
        told = [n for n in due_notices(RULES, quiet_otherwise, week_after, HOURS) if n.rule == "slt_outstanding"]
        assert [n.person_id for n in told] == [SLT]
        data = told[0].data
        assert isinstance(data, SltEscalation)
        assert data.items == ()
        assert (data.moderations, data.quota_missing) == (
            quiet_otherwise.moderations_outstanding,
            quiet_otherwise.quota_missing,
        )
        assert SltEscalation.from_payload(data.to_payload()) == data


def test_reviews_and_pims_are_reminded_then_outstanding_then_escalated() -> None:
    review = OpenReview(21, "Thematic Practice Review", "AZ21", date(2026, 12, 10), WORKER, LEAD, MANAGER, HEAD)
    pim = PimDue(14, "AZ14", date(2026, 12, 10), held=False, head_of_service_id=HEAD)  # a Thursday
    s = state(reviews=[review], pims=[pim], people_by_role={Recipient.SLT: [SLT]})
    on = {day: keys(at(date(2026, 12, day)), s) for day in (3, 7, 10, 11, 17)}
    assert {"review_reminder:review-21:1", "review_reminder:review-21:2"} <= on[3]  # a week before
    assert "pim_reminder:pim-14:4" in on[7]  # 3 working days before: Mon 7
    assert "pim_due:pim-14:4" in on[10]
    assert {"review_outstanding:review-21:1", "review_outstanding:review-21:3"} <= on[11]  # the day after
    assert f"pim_escalation:pim-14:{SLT}" in on[17]  # 5 working days after: Thu 17, to SLT
    assert f"review_escalation:review-21:{SLT}" in on[17]  # a week after
    held = state(pims=[PimDue(14, "AZ14", date(2026, 12, 10), True, HEAD)], people_by_role={Recipient.SLT: [SLT]})
    assert not {k for k in keys(at(date(2026, 12, 17)), held) if k.startswith("pim")}


def test_a_quarter_swept_every_hour_sends_every_expected_notice_once_and_nothing_else() -> None:
    s = state(
        open_audits=[OPEN],
        moderated=[ModeratedAudit(12, "AZ12", date(2026, 10, 1), False, WORKER, LEAD, MANAGER)],
        dips=[SentDip(5, "Voice of the child", date(2026, 11, 2), True, False, HEAD)],
        pims=[PimDue(14, "AZ14", date(2026, 11, 16), False, HEAD)],
    )
    sent: dict[str, datetime] = {}
    now = at(date(2026, 9, 16), 0)  # the bot has been running since mid-September
    while now < at(date(2027, 1, 1), 0):
        for notice in due_notices(RULES, s, now, HOURS):
            sent.setdefault(notice.dedupe_key, notice.send_at)  # the outbox keeps the first of each key
        now += timedelta(hours=1)
    expected = {
        "monthly_reminder:2026-10:1": at(date(2026, 10, 1)),
        "monthly_reminder:2026-10:2": at(date(2026, 10, 1)),
        "monthly_reminder:2026-11:1": at(date(2026, 11, 2)),  # 1 November is a Sunday
        "monthly_reminder:2026-11:2": at(date(2026, 11, 2)),
        "monthly_reminder:2026-12:1": at(date(2026, 12, 1)),
        "monthly_reminder:2026-12:2": at(date(2026, 12, 1)),
        "followup_1:audit-12:1": at(date(2026, 10, 22)),
        "followup_1:audit-12:2": at(date(2026, 10, 22)),
        "followup_2:audit-12:1": at(date(2026, 11, 5)),
        "followup_2:audit-12:2": at(date(2026, 11, 5)),
        "followup_2:audit-12:3": at(date(2026, 11, 5)),
        "followup_escalation:audit-12:80": at(date(2026, 11, 19)),
        "dip_followup_2:dip-5:4": at(date(2026, 11, 23)),
        "dip_escalation:dip-5:90": at(date(2026, 12, 7)),
        "pim_due:pim-14:4": at(date(2026, 11, 16)),
        "pim_reminder:pim-14:4": at(date(2026, 11, 11)),  # 3 working days before
        "pim_escalation:pim-14:80": at(date(2026, 11, 23)),  # 5 working days after, to SLT
        "outstanding_list:2026-Q4:2": at(date(2026, 12, 24)),
        "outstanding_list:2026-Q4:3": at(date(2026, 12, 24)),
        "outstanding_list:2026-Q4:4": at(date(2026, 12, 24)),
        "data_request:2027-Q1:70": at(date(2026, 12, 18)),
        "data_request:2026-Q4:70": at(date(2026, 9, 17)),
    }
    assert sent == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("card: pim_due", "card: pim_overdue"), "line {pim_due}: rule 11 ('pim_due'): unknown card 'pim_overdue'"),
        (
            ("to: director_of_operations", "to: janitor"),
            "line {dip_escalation}: rule 10 ('dip_escalation'): unknown recipient 'janitor'",
        ),
        (
            ("offset: 21\n", "offset: -21\n"),
            "rule 5 ('followup_1'): a 'moderated' rule cannot be due before its trigger",
        ),
        (
            ("offset: -14", "offset: -1400"),
            "line {data_request}: rule 1 ('data_request'): 'offset' must be a whole number",
        ),
        (("trigger: pim_due", "trigger: full_moon"), "rule 11 ('pim_due'): unknown trigger 'full_moon'"),
        (
            ("to: slt\n    card: slt_escalation", "to: data_and_impact\n    card: slt_escalation"),
            "cannot receive a 'cycle_due' notice",
        ),
        (("id: followup_2", "id: followup_1"), "rule 6 ('followup_1'): the id is used twice"),
        (("    unless: held", "    unless: held\n    colour: red"), "unknown key 'colour'"),
        (("rules:", "rules: [\n"), "not valid YAML at line"),
        (
            ("audits_per_practice_lead: 3", "audits_per_practice_lead: 0"),
            "line {audits_per_practice_lead}: framework 'audits_per_practice_lead': must be a whole number from 1 to 50",
        ),
        (("cycle: quarter", "cycle: fortnight"), "line {cycle}: framework 'cycle': must be quarter or month"),
        (('theme: "Threshold"', 'theme: "Thresholds"'), "line {dip_plan_1}: dip_plan 1: unknown theme 'Thresholds'"),
        (("  cycles_ahead: 2", "  cycles_ahed: 2"), "framework 'cycles_ahed': unknown"),
        (
            ("dip_agree_days: 7", "dip_agree_days: 10"),
            "line {dip_agree}: rule 8 ('dip_agree'): offset 7 contradicts framework 'dip_agree_days' (10)",
        ),
    ],
)
def test_a_bad_timetable_stops_start_up_naming_the_rule_and_the_problem(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = (Path(__file__).parents[2] / "scheduler" / "timetable.yaml").read_text()
    assert change[0] in text
    bad = tmp_path / "timetable.yaml"
    bad.write_text(text.replace(change[0], change[1], 1))
    lines = text.splitlines()
    where = {  # the line each rule, or each framework number, starts on (1-based)
        line.split(":")[-2 if "- id:" in line else 0].strip(" -"): n
        for n, line in enumerate(lines, 1)
        if re.match(r"  (- id: \w+|\w+:)", line)
    }
    where |= {line.split("id: ")[1].strip(): n for n, line in enumerate(lines, 1) if line.startswith("  - id: ")}
    where["dip_plan_1"] = next(n for n, line in enumerate(lines, 1) if line.startswith("  - {month: 2,"))
    message = message.format(**where)
    with pytest.raises(ValidationFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_timetable(bad)
