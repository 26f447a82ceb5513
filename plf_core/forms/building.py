"""Small builders for the shapes the framework's forms repeat."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.model import (
    Choice,
    Contributor,
    DateRule,
    Field,
    FieldKind,
    RequiredWhenDiffers,
    RequiredWhenFilled,
)
from plf_core.vocabulary import GRADE_LABELS, GRADE_ORDER, Rag

YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))
GRADE_CHOICES = tuple(Choice(g.value, GRADE_LABELS[g]) for g in GRADE_ORDER)
RAG_CHOICES = tuple(Choice(r.value, wording.RAG_MEANING[r.value]) for r in Rag)
SCALE_10_CHOICES = tuple(Choice(str(n), f"{n} — {sentence}") for n, sentence in enumerate(wording.OUTCOME_SCALE, 1))
CHILD_SCALE_CHOICES = tuple(
    Choice(str(n), {1: "1 — Bad", 5: "5 — Okay", 10: "10 — Good"}.get(n, str(n))) for n in range(1, 11)
)
SCALE_5_CHOICES = tuple(
    Choice(str(n), f"{n} — {label}") for n, label in enumerate(wording.SUPERVISION_AGREEMENT_SCALE, 1)
)


def yes_no(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(id_, label, FieldKind.YES_NO, short, choices=YES_NO, **kw)  # type: ignore[arg-type]


def evidence(id_: str, short: str, label: str = "Evidence to support your judgement.") -> Field:
    return Field(id_, label, FieldKind.LONG_TEXT, short)


def yes_no_with_evidence(number: int, question: str, short: str) -> tuple[Field, Field]:
    """A Part A standard: `A{n}a` Yes/No and `A{n}b` the evidence for it."""
    return (
        yes_no(f"A{number}a", f"A{number}a: {question}", short),
        evidence(
            f"A{number}b",
            f"evidence for {short}",
            f"A{number}b: Evidence to support your judgement.",
        ),
    )


def long_text(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(id_, label, FieldKind.LONG_TEXT, short, **kw)  # type: ignore[arg-type]


def text(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(id_, label, FieldKind.TEXT, short, **kw)  # type: ignore[arg-type]


def date(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(id_, label, FieldKind.DATE, short, **kw)  # type: ignore[arg-type]


def done_date(id_: str, label: str, short: str, **kw: object) -> Field:
    """The date something was done (completed, held, sent): never in the future."""
    return date(id_, label, short, dated=DateRule.DONE, **kw)


def due_date(id_: str, label: str, short: str, **kw: object) -> Field:
    """The date something is due (a deadline, a review): never in the past when it is set."""
    return date(id_, label, short, dated=DateRule.DUE, **kw)


def grade(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(id_, label, FieldKind.GRADE, short, choices=GRADE_CHOICES, **kw)  # type: ignore[arg-type]


def scale_10(id_: str, label: str, short: str, **kw: object) -> Field:
    return Field(
        id_,
        label,
        FieldKind.SCALE_10,
        short,
        choices=SCALE_10_CHOICES,
        minimum=1,
        maximum=10,
        **kw,  # type: ignore[arg-type]
    )


def child_rating(id_: str, label: str, short: str, area: str) -> Field:
    return Field(
        id_,
        label,
        FieldKind.SCALE_10,
        short,
        choices=CHILD_SCALE_CHOICES,
        minimum=1,
        maximum=10,
        meaning=f"child:{area}",
    )


def scale_5(id_: str, label: str, short: str) -> Field:
    return Field(id_, label, FieldKind.SCALE_5, short, choices=SCALE_5_CHOICES, minimum=1, maximum=5)


def prefilled(id_: str, label: str, short: str, source: str) -> Field:
    return Field(id_, label, FieldKind.TEXT, short, required=False, prefilled_from=source)


def action_rows(
    rows: int,
    *,
    who_label: str = "Who is responsible?",
    when_label: str = "Deadline",
    impact: bool = False,
    update_and_rag: bool = False,
    required_rows: int = 1,
) -> tuple[Field, ...]:
    """An action plan: `AP{n}` (the action), `AP{n}_who`, `AP{n}_by` and optional columns.

    The first `required_rows` rows must be filled; a later row needs its columns only if
    the action itself is written (checked by the validation)."""
    fields: list[Field] = []
    for n in range(1, rows + 1):
        required = n <= required_rows
        when = None if required else RequiredWhenFilled(f"AP{n}")
        fields += [
            Field(
                f"AP{n}",
                f"Action {n}",
                FieldKind.LONG_TEXT,
                f"action {n}",
                required=required,
                max_length=1000,
                meaning="action:text",
            ),
            Field(
                f"AP{n}_who",
                f"Action {n}: {who_label}",
                FieldKind.TEXT,
                f"who is responsible for action {n}",
                required=required,
                required_when=when,
                meaning="action:who",
            ),
            Field(
                f"AP{n}_by",
                f"Action {n}: {when_label}",
                FieldKind.DATE,
                f"deadline of action {n}",
                required=required,
                required_when=when,
                meaning="action:deadline",
                dated=DateRule.DUE,
            ),
        ]
        if impact:
            fields.append(
                Field(
                    f"AP{n}_impact",
                    f"Action {n}: Impact on the child",
                    FieldKind.LONG_TEXT,
                    f"impact on the child of action {n}",
                    required=False,
                    max_length=1000,
                    meaning="action:impact",
                )
            )
        if update_and_rag:
            fields += [
                Field(
                    f"AP{n}_update",
                    f"Action {n}: Update and whether actions have been implemented (to be updated by relevant Service Manager)",
                    FieldKind.LONG_TEXT,
                    f"update on action {n}",
                    required=False,
                    max_length=1000,
                    meaning="action:update",
                ),
                Field(
                    f"AP{n}_rag",
                    f"Action {n}: RAG rating",
                    FieldKind.RAG,
                    f"RAG rating of action {n}",
                    required=False,
                    choices=RAG_CHOICES,
                    meaning="action:rag",
                ),
            ]
    return tuple(fields)


def thematic_section(number: str, title: str, help_text: str | None, rated: bool = True) -> tuple[Field, ...]:
    """A thematic review section: analysis, reviewer rating, moderator rating and reasons."""
    key = number.replace(".", "_")
    fields = [long_text(f"S{key}", f"{number} {title}", f"analysis of section {number}", help=help_text)]
    if rated:
        fields += [
            grade(
                f"S{key}_rating",
                f"{number} Practice Reviewer (Auditor) rating",
                f"reviewer rating of section {number}",
                meaning="grade:reviewer",
            ),
            grade(
                f"S{key}_moderator",
                f"{number} Moderator rating",
                f"moderator rating of section {number}",
                required=False,
                editor=Contributor.MODERATOR,
                meaning="grade:moderator",
            ),
            long_text(
                f"S{key}_reasons",
                f"{number} Moderator reasons, if judgement differs from Practice Reviewer",
                f"moderator reasons for section {number}",
                required=False,
                editor=Contributor.MODERATOR,
                required_when=RequiredWhenDiffers(f"S{key}_rating", f"S{key}_moderator"),
            ),
        ]
    return tuple(fields)
