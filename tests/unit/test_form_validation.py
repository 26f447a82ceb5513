"""Server-side validation from the definitions: every rule, in the user's words."""

from __future__ import annotations

from datetime import date

import pytest

from plf_core.forms.model import Contributor as C
from plf_core.forms.registry import get_form
from plf_core.forms.validation import check_page, check_submission

PLC = get_form("practice_learning_conversation")
THEMATIC = get_form("thematic_cin_cp")
PRACTICE = frozenset({C.PRACTITIONER})


@pytest.mark.parametrize(
    ("page", "field", "value", "expected"),
    [
        (
            "part_b_health_relationships",
            "B3a",
            11,
            "B3a — health and development scale must be between 1 and 10",
        ),
        (
            "part_b_health_relationships",
            "B3a",
            0,
            "B3a — health and development scale must be between 1 and 10",
        ),
        (
            "part_b_health_relationships",
            "B3a",
            "seven",
            "B3a — health and development scale must be a whole number",
        ),
        (
            "part_b_health_relationships",
            "B3a",
            True,
            "B3a — health and development scale must be a whole number",
        ),
        (
            "part_b_health_relationships",
            "B3a",
            7.5,
            "B3a — health and development scale must be a whole number",
        ),
        (
            "part_b_health_relationships",
            "B3b",
            "x" * 2001,
            "B3b — evidence for the health and development scale must be at most 2,000 characters (it has 2,001)",
        ),
        (
            "part_b_health_relationships",
            "B3b",
            ["nested"],
            "B3b — evidence for the health and development scale must be text, not list",
        ),
        (
            "part_b_health_relationships",
            "B3b",
            "a\x00b",
            "B3b — evidence for the health and development scale contains control characters that cannot be stored",
        ),
        (
            "part_a_judgement",
            "A13",
            "purple",
            "A13 — BRAG rating for compliance must be one of Red, Amber, Green or Blue",
        ),
        (
            "part_a_assessment",
            "A1a",
            "maybe",
            "A1a — record up to date must be one of: yes, no (got 'maybe')",
        ),
        (
            "header",
            "H_date",
            "31/12/2026",
            "Date the audit was completed must be a date written as YYYY-MM-DD (got '31/12/2026')",
        ),
        (
            "header",
            "H_date",
            "1890-01-01",
            "Date the audit was completed must be a date between 1990 and 2100",
        ),
        (
            "header",
            "H_azeus",
            "DEMO-1",
            "Azeus number is filled in from the case record and cannot be typed",
        ),
        (
            "manager_overall",
            "MO1",
            "red",
            "MO1 — manager's overall grade can only be completed by the manager",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(page: str, field: str, value: object, expected: str) -> None:
    checked = check_page(PLC, page, {field: value}, PRACTICE)
    assert checked.errors == {field: expected}
    assert checked.values == {}


def test_a_scale_of_five_is_checked_too() -> None:
    form = get_form("supervisee_evaluation")
    checked = check_page(form, "statements_1_8", {"SE1": "6", "SE2": "5"}, frozenset({C.SUPERVISEE}))
    assert checked.errors == {"SE1": "SE1 — statement 1 must be between 1 and 5"}
    assert checked.values == {"SE2": 5}


def test_an_unknown_field_is_named_and_the_valid_values_are_kept() -> None:
    checked = check_page(
        PLC,
        "part_a_assessment",
        {"A1a": "Yes", "A1b": "Seen on file.  ", "A99": "x", "B1a": 3},
        PRACTICE,
    )
    assert checked.values == {"A1a": "yes", "A1b": "Seen on file."}
    assert checked.errors == {
        "A99": "'A99' is not a field of this page",
        "B1a": "'B1a' is not a field of this page",
    }


def test_a_draft_may_be_incomplete() -> None:
    checked = check_page(PLC, "part_a_assessment", {"A1a": "no", "A1b": "", "A2a": None}, PRACTICE)
    assert checked.ok
    assert checked.values == {"A1a": "no"}


def test_grades_and_choices_are_read_whatever_their_case() -> None:
    checked = check_page(PLC, "practitioner_overall", {"P1": "RED"}, PRACTICE)
    assert checked.values == {"P1": "red"}


def complete_plc() -> dict[str, object]:
    answers: dict[str, object] = {}
    for f in PLC.fields.values():
        if f.prefilled_from or not f.required:
            continue
        answers[f.id] = {
            "yes_no": "yes",
            "grade": "green",
            "scale_10": 7,
            "date": "2026-11-20",
            "choice": f.choices[0].value if f.choices else "",
        }.get(f.kind.value, "Written answer.")
    return answers | {"H_how": "self", "EHCP1": "no"}


def test_submit_needs_every_required_answer_and_names_the_page() -> None:
    answers = complete_plc()
    assert check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER}).ok
    del answers["B3a"]
    checked = check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER})
    assert checked.errors == {
        "B3a": "B3a — health and development scale is required (page: Part B — 4 Outcomes: health, relationships)"
    }


def test_submit_checks_conditional_requirements() -> None:
    answers = complete_plc()
    answers.update(H_how="plc", EHCP1="yes", AP2="A second action")
    errors = check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER}).errors
    assert set(errors) == {"H_second", "EHCP2", "EHCP3", "AP2_who", "AP2_by"}
    answers.update(H_how="self", EHCP1="no", AP2="")
    assert check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER}).ok


def test_a_moderator_who_changes_a_grade_must_give_a_reason() -> None:
    answers = {"S1_1_rating": "green", "S1_1_moderator": "amber"}
    errors = check_submission(THEMATIC, answers, {C.MODERATOR}).errors
    assert errors == {
        "S1_1_reasons": "Moderator reasons for section 1.1 is required (page: 1 The experiences and progress of children — 1.1, 1.2)"
    }
    answers["S1_1_moderator"] = "green"
    assert check_submission(THEMATIC, answers, {C.MODERATOR}).ok


def test_submit_refuses_invalid_stored_answers_too() -> None:
    answers = complete_plc() | {"B1a": 12}
    assert check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER}).errors == {
        "B1a": "B1a — living arrangements scale must be between 1 and 10"
    }


def test_fields_for_others_are_not_required_of_this_submitter() -> None:
    answers = {k: v for k, v in complete_plc().items() if PLC.page_of(k).editor_of(PLC.fields[k]) is C.PRACTITIONER}
    assert check_submission(PLC, answers, {C.PRACTITIONER}).ok
    assert "MO1" in check_submission(PLC, answers, {C.PRACTITIONER, C.MANAGER}).errors


def test_a_completion_date_in_the_future_and_a_deadline_in_the_past_are_refused_by_name() -> None:
    plc = get_form("practice_learning_conversation")
    today = date(2026, 11, 20)
    header = check_page(plc, "header", {"H_how": "self", "H_date": "2026-11-21"}, today=today)
    assert header.errors == {
        "H_date": "Date the audit was completed cannot be in the future (today is Fri 20 Nov 2026)"
    }
    assert header.values == {"H_how": "self"}  # the valid answer is kept
    plan = check_page(plc, "action_plan", {"AP1": "Visit", "AP1_who": "SW", "AP1_by": "2026-11-19"}, today=today)
    assert plan.errors == {"AP1_by": "Deadline of action 1 cannot be in the past (today is Fri 20 Nov 2026)"}
    # today itself is fine both ways, and a deadline that has passed since it was set stays as it was
    assert check_page(plc, "header", {"H_date": "2026-11-20"}, today=today).ok
    assert check_page(plc, "action_plan", {"AP1_by": "2026-11-20"}, today=today).ok
    assert check_page(plc, "action_plan", {"AP1_by": "2026-11-02"}, today=today, stored={"AP1_by": "2026-11-02"}).ok
