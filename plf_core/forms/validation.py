"""Checking answers against a form definition: the same rules the card declares.

A draft page may be incomplete but never structurally invalid: `check_page` keeps every
valid value and names every invalid one. `check_submission` needs the whole form valid.
A client can send anything, so nothing here trusts the card to have checked first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from plf_core.forms.model import (
    Contributor,
    DateRule,
    Field,
    FieldKind,
    Form,
    Page,
    RequiredWhenDiffers,
    RequiredWhenEquals,
    RequiredWhenFilled,
)
from plf_core.periods import staff_date

Value = str | int
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
FORBIDDEN_CHARACTERS = frozenset(chr(c) for c in range(32) if chr(c) not in "\n\r\t")


@dataclass(frozen=True)
class Checked:
    """The valid values (to keep) and an error per field id (in the user's words)."""

    values: dict[str, Value]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _digits(text: str) -> bool:
    """0-9 only: "²".isdigit() is true, but int("²") raises."""
    return text.isascii() and text.isdigit()


def message(f: Field, problem: str) -> str:
    """'B3a — health and development scale must be between 1 and 10'."""
    if f.ref:
        return f"{f.ref} — {f.short} {problem}"
    return f"{f.short[0].upper()}{f.short[1:]} {problem}"


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_value(f: Field, raw: object) -> Value:
    """The stored form of one answer, or ValueError saying what is wrong (after the field's name)."""
    if f.kind in (FieldKind.SCALE_10, FieldKind.SCALE_5, FieldKind.NUMBER):
        return _whole_number(f, raw)
    if not isinstance(raw, str):
        raise ValueError(f"must be text, not {type(raw).__name__}")
    if f.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        if FORBIDDEN_CHARACTERS & set(raw):
            raise ValueError("contains control characters that cannot be stored")
        limit = f.text_limit() or 0
        if len(raw) > limit:
            raise ValueError(f"must be at most {limit:,} characters (it has {len(raw):,})")
        return raw.rstrip()
    if f.kind is FieldKind.DATE:
        try:
            day = date.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError(f"must be a date written as YYYY-MM-DD (got '{raw[:20]}')") from None
        if not EARLIEST <= day <= LATEST:
            raise ValueError(f"must be a date between {EARLIEST.year} and {LATEST.year}")
        return day.isoformat()
    allowed = {c.value for c in f.choices}
    value = raw.strip().lower() if f.kind in (FieldKind.GRADE, FieldKind.RAG, FieldKind.YES_NO) else raw.strip()
    if value not in allowed:
        if f.kind is FieldKind.GRADE:
            raise ValueError("must be one of Red, Amber, Green or Blue")
        shown = ", ".join(c.value for c in f.choices)
        raise ValueError(f"must be one of: {shown} (got '{raw[:40]}')")
    return value


def _whole_number(f: Field, raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueError("must be a whole number")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str) and _digits(raw.strip().lstrip("-")) and len(raw.strip()) <= 6:
        number = int(raw.strip())
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    else:
        raise ValueError("must be a whole number")
    low, high = f.minimum, f.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"must be between {low} and {high}")
    return number


def check_page(
    form: Form,
    page_id: str,
    submitted: Mapping[str, object],
    editors: Collection[Contributor] | None = None,
    today: date | None = None,
    stored: Mapping[str, object] | None = None,
) -> Checked:
    """A draft of one page: types and ranges, not completeness.

    `editors` are the contributions the person may make; a value for a field they may not
    edit is refused (the card shows such fields read-only). With `today`, a date that records
    something done may not be in the future and a deadline may not be in the past, when it
    is set or changed (a deadline that has passed since it was set stays as it was)."""
    page = form.page(page_id)
    by_id = {f.id: f for f in page.fields}
    values: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for key, raw in submitted.items():
        f = by_id.get(key)
        if f is None:
            errors[key] = f"'{key[:60]}' is not a field of this page"
            continue
        if f.prefilled_from is not None:
            errors[key] = message(f, "is filled in from the case record and cannot be typed")
            continue
        if editors is not None and page.editor_of(f) not in editors:
            errors[key] = message(f, f"can only be completed by the {page.editor_of(f).value.replace('_', ' ')}")
            continue
        if is_blank(raw):
            continue
        try:
            values[key] = clean_value(f, raw)
            if today is not None and values[key] != (stored or {}).get(key):
                _check_side_of_today(f, values[key], today)
        except ValueError as exc:
            values.pop(key, None)
            errors[key] = message(f, str(exc))
    return Checked(values, errors)


def _check_side_of_today(f: Field, value: Value, today: date) -> None:
    if f.dated is None:
        return
    day = date.fromisoformat(str(value))
    shown = staff_date(today)
    if f.dated is DateRule.DONE and day > today:
        raise ValueError(f"cannot be in the future (today is {shown})")
    if f.dated is DateRule.DUE and day < today:
        raise ValueError(f"cannot be in the past (today is {shown})")


def required_now(f: Field, answers: Mapping[str, object]) -> bool:
    condition = f.required_when
    if f.required:
        return True
    if isinstance(condition, RequiredWhenDiffers):
        first, second = answers.get(condition.first), answers.get(condition.second)
        return not is_blank(first) and not is_blank(second) and first != second
    if isinstance(condition, RequiredWhenEquals):
        return answers.get(condition.other) == condition.value
    if isinstance(condition, RequiredWhenFilled):
        return not is_blank(answers.get(condition.other))
    return False


def missing_message(f: Field, page: Page) -> str:
    return message(f, f"is required (page: {page.part})")


def check_submission(form: Form, answers: Mapping[str, object], editors: Collection[Contributor]) -> Checked:
    """Submit: every answer valid, and every field these contributors own answered if required."""
    values: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for page in form.pages:
        for f in page.fields:
            raw = answers.get(f.id)
            if f.prefilled_from is not None:
                continue
            if is_blank(raw):
                if page.editor_of(f) in editors and required_now(f, answers):
                    errors[f.id] = missing_message(f, page)
                continue
            try:
                values[f.id] = clean_value(f, raw)
            except ValueError as exc:
                errors[f.id] = message(f, str(exc))
    return Checked(values, errors)
