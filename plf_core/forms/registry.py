"""Loading the form definitions (one module each) and checking them at start-up."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from plf_core.errors import ConfigurationError
from plf_core.forms.model import (
    Field,
    FieldKind,
    Form,
    RequiredWhenDiffers,
    RequiredWhenEquals,
    RequiredWhenFilled,
)

DEFINITIONS = (
    "practice_learning_conversation",
    "thematic_cin_cp",
    "thematic_cla_care_leavers",
    "practice_improvement_meeting",
    "supervision_review",
    "supervisee_evaluation",
    "dip_sample_terms",
)
CHOICE_KINDS = frozenset(
    {
        FieldKind.YES_NO,
        FieldKind.CHOICE,
        FieldKind.GRADE,
        FieldKind.RAG,
        FieldKind.SCALE_10,
        FieldKind.SCALE_5,
    }
)
ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def check_form(form: Form) -> list[str]:
    """Everything structurally wrong with one definition, in words."""
    problems: list[str] = []
    if not form.pages:
        problems.append("has no pages")
    page_ids = [p.id for p in form.pages]
    problems += [f"page id '{i}' is used twice" for i in sorted({i for i in page_ids if page_ids.count(i) > 1})]
    seen: set[str] = set()
    all_ids = {f.id for p in form.pages for f in p.fields}
    for page in form.pages:
        if not page.fields:
            problems.append(f"page '{page.id}' has no fields")
        for f in page.fields:
            where = f"field '{f.id}' on page '{page.id}'"
            if f.id in seen:
                problems.append(f"{where} is defined twice")
            seen.add(f.id)
            problems += [f"{where} {problem}" for problem in _field_problems(f, all_ids)]
    for who, field_id in form.overall_grades.items():
        grade_field = form.fields.get(field_id)
        if grade_field is None or grade_field.kind is not FieldKind.GRADE:
            problems.append(f"overall grade of '{who}' names '{field_id}', which is not a grade field")
    return problems


def _field_problems(f: Field, all_ids: set[str]) -> list[str]:
    """What is wrong with one field's definition, each said after the field's name."""
    problems: list[str] = []
    if not f.id or not set(f.id) <= ID_CHARACTERS:
        problems.append("has an id with characters other than letters, digits and _")
    if f.kind in CHOICE_KINDS and not f.choices:
        problems.append(f"is a {f.kind} without choices")
    if f.kind not in CHOICE_KINDS and f.choices:
        problems.append(f"is a {f.kind} with choices")
    if f.max_length is not None and f.max_length <= 0:
        problems.append(f"has a maximum length of {f.max_length}")
    if not f.label or not f.short:
        problems.append("needs a label and a short name")
    condition = f.required_when
    others: tuple[str, ...] = ()
    if isinstance(condition, RequiredWhenDiffers):
        others = (condition.first, condition.second)
    elif isinstance(condition, (RequiredWhenEquals, RequiredWhenFilled)):
        others = (condition.other,)
    problems += [f"depends on unknown field '{o}'" for o in others if o not in all_ids]
    if f.required and condition is not None:
        problems.append("is always required and also conditionally required")
    return problems


@cache
def load_forms() -> dict[str, Form]:
    """Every form, by id; ConfigurationError naming each problem if any definition is broken."""
    forms: dict[str, Form] = {}
    problems: list[str] = []
    for module_name in DEFINITIONS:
        form: Form = import_module(f"plf_core.forms.definitions.{module_name}").FORM
        if form.id in forms:
            problems.append(f"form id '{form.id}' is used by two definitions")
        problems += [f"form '{form.id}': {p}" for p in check_form(form)]
        forms[form.id] = form
    if problems:
        raise ConfigurationError("form definitions are broken: " + "; ".join(problems))
    return forms


def get_form(form_id: str) -> Form:
    try:
        return load_forms()[form_id]
    except KeyError:
        raise ConfigurationError(f"unknown form '{form_id}'") from None
