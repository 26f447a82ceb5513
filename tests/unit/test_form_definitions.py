"""The seven forms load, are well-formed, and carry every question of the seed."""

from __future__ import annotations

import pytest

from plf_core.errors import ConfigurationError
from plf_core.forms import wording
from plf_core.forms.model import Contributor as C
from plf_core.forms.model import Field, FieldKind, Form, Page, RequiredWhenDiffers
from plf_core.forms.registry import check_form, get_form, load_forms

SEED_IDS: dict[str, list[str]] = {
    "practice_learning_conversation": [
        "H_azeus",
        "H_gender",
        "H_auditor",
        "H_team",
        "H_how",
        "H_second",
        "H_date",
        *[f"A{n}{x}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11) for x in "ab"],
        "A3",
        "A12",
        "EHCP1",
        "EHCP2",
        "EHCP3",
        "A13",
        "A14",
        *[f"B{n}{x}" for n in range(1, 7) for x in "abc"],
        "B7",
        "B8",
        *[f"C{n}" for n in range(1, 7)],
        "P1",
        "P2",
        "M_name",
        "MA1",
        "MA2",
        "MB1",
        "MB2",
        "MB3",
        "MO1",
        "MO2",
        *[f"AP{n}{c}" for n in range(1, 6) for c in ("", "_who", "_by")],
        "HOS1",
        "HOS2",
        "HOS3",
        "HOS4",
        "HOS5",
    ],
    "practice_improvement_meeting": [
        "PIM_date",
        "PIM_case",
        "PIM_sw_tm",
        "PIM_team",
        "PIM_chair",
        "PIM_held",
        "PIM_attendees",
        "PIM_A",
        *[f"AP{n}{c}" for n in range(1, 7) for c in ("", "_who", "_by")],
        "PIM_sent_to",
        "PIM_sent_on",
        "PIM_grade",
        "PIM_narrative",
        "PIM_hos",
    ],
    "supervision_review": [
        "SR_staff",
        "SR_reviewer",
        "SR_date",
        *[f"SR{n}{c}" for n in range(1, 16) for c in ("", "_comments")],
        *[f"AP{n}{c}" for n in range(1, 7) for c in ("", "_who", "_by")],
    ],
    "supervisee_evaluation": [
        "SE_staff",
        "SE_reviewer",
        "SE_date",
        *[f"SE{n}" for n in range(1, 16)],
        *[f"SEQ{n}" for n in range(1, 6)],
    ],
    "dip_sample_terms": [
        "TOR_title",
        "TOR_by",
        "TOR_started",
        "TOR_completed",
        "TOR_previous",
        "TOR_previous_when",
        "TOR_context",
        "TOR_hypothesis",
        "TOR_recommendations",
        *[f"AP{n}{c}" for n in range(1, 6) for c in ("", "_who", "_by", "_update", "_rag")],
        "TOR_sharing",
        "TOR_review",
        "TOR_moderators",
    ],
}
THEMATIC_IDS = [
    "T_keyworker",
    "T_team",
    "T_azeus",
    "T_reviewer",
    "T_age",
    "T_date",
    "T_deadline",
    "T_theme",
    "T_focus",
    *[f"S1_{n}{c}" for n in range(1, 8) for c in ("", "_rating", "_moderator", "_reasons")],
    "S1_8",
    "O_analysis",
    "O_rating",
    "O_moderator",
    "O_reasons",
    "X_experience",
    "X_rating",
    "X_moderator",
    "X_reasons",
    "G_practice",
    "G_pim",
    "MOD_analysis",
    "MOD_grade",
    "MOD_reason",
    *[f"AP{n}{c}" for n in range(1, 6) for c in ("", "_who", "_by", "_impact")],
    "SO_sent",
    "SO_pl_signed",
    "SO_hos_comment",
    "SO_sm_date",
    "SO_hos_date",
    "SO_review",
    "SO_hos_signed",
    "SO_further",
]
SEED_IDS["thematic_cin_cp"] = THEMATIC_IDS
SEED_IDS["thematic_cla_care_leavers"] = [*THEMATIC_IDS, "G_moderator"]


def test_all_seven_forms_load_and_check_clean() -> None:
    forms = load_forms()
    assert sorted(forms) == sorted(SEED_IDS)
    assert all(check_form(form) == [] for form in forms.values())


@pytest.mark.parametrize("form_id", sorted(SEED_IDS))
def test_every_question_of_the_seed_form_is_present(form_id: str) -> None:
    fields = get_form(form_id).fields
    assert [i for i in SEED_IDS[form_id] if i not in fields] == []
    assert set(fields) == set(SEED_IDS[form_id])


def test_the_self_audit_has_its_structure() -> None:
    form = get_form("practice_learning_conversation")
    fields = form.fields
    assert len(fields) > 60
    assert fields["A1a"].kind is FieldKind.YES_NO
    assert fields["A1b"].kind is FieldKind.LONG_TEXT
    assert fields["A13"].kind is FieldKind.GRADE
    assert form.grade_guidance["blue"].startswith("Recording is consistently clear")  # beside each option
    assert next(c.title for c in fields["B3a"].choices) == "1 — " + wording.OUTCOME_SCALE[0]
    assert len(fields["B3a"].choices) == 10
    assert form.page_of("MA1").editor is C.MANAGER
    assert form.page_of("HOS2").editor is C.HEAD_OF_SERVICE
    assert form.overall_grades == {"practitioner": "P1", "manager": "MO1"}


def test_thematic_moderator_columns_belong_to_the_moderator_and_need_reasons_when_they_differ() -> None:
    form = get_form("thematic_cin_cp")
    page = form.page_of("S1_3_moderator")
    assert page.editor is C.REVIEWER
    assert page.editor_of(form.fields["S1_3_moderator"]) is C.MODERATOR
    assert form.fields["S1_3_reasons"].required_when == RequiredWhenDiffers("S1_3_rating", "S1_3_moderator")
    assert "Professionals identify children" in (form.fields["S1_1"].help or "")


def test_the_seed_corrections_are_made_and_noted() -> None:
    scale = [c.title for c in get_form("supervisee_evaluation").fields["SE1"].choices]
    assert scale[0] == "1 — Strongly Disagree"
    assert scale[4] == "5 — Strongly Agree"
    pim = get_form("practice_improvement_meeting")
    assert not any("name" in f.label.lower() and "child" in f.label.lower() for f in pim.fields.values())
    assert any("Child/YP's name" in c for c in pim.corrections)
    assert all(form.corrections for form in load_forms().values())


def test_a_broken_definition_is_named_in_its_problems() -> None:
    f = Field("X1", "X", FieldKind.GRADE, "x")  # a grade with no choices
    twice = Field(
        "X2",
        "Y",
        FieldKind.TEXT,
        "y",
        required=False,
        required_when=RequiredWhenDiffers("X1", "NOPE"),
    )
    form = Form(
        "broken",
        "Broken",
        "test",
        (Page("p", "P", C.QA, (f, twice, twice)), Page("p", "Q", C.QA, ())),
        overall_grades={"qa": "X2"},
    )
    assert check_form(form) == [
        "page id 'p' is used twice",
        "field 'X1' on page 'p' is a grade without choices",
        "field 'X2' on page 'p' depends on unknown field 'NOPE'",
        "field 'X2' on page 'p' is defined twice",
        "field 'X2' on page 'p' depends on unknown field 'NOPE'",
        "page 'p' has no fields",
        "overall grade of 'qa' names 'X2', which is not a grade field",
    ]


def test_an_unknown_form_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown form 'nope'"):
        get_form("nope")
