"""The card catalogue's moderation cards: the moderation form at its fullest, its errors and its outcome."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cards import layered
from cards.base import CardDict
from plf_core.forms.registry import load_forms
from plf_core.vocabulary import Grade

SENTENCE = (
    "Synthetic demo answer: the worker visited on schedule, the plan was reviewed with the family and "
    "the network, and the record shows what changed for the child since the last review. "
)
PREFILLED = {
    "case.azeus_number": "DEMO-900123",
    "case.gender": "female",
    "case.team": "Children in Need & Protection North (demo)",
    "case.team_and_area": "CNP-N · Children in Need & Protection (demo)",
    "case.age": "14",
    "audit.practitioner": "Rowan Demoford",
    "audit.manager": "Hazel Testbury",
}
DAY = date(2026, 12, 18)


def moderation_cards() -> Iterator[tuple[str, CardDict]]:
    guidance = load_forms()["practice_learning_conversation"].grade_guidance
    """The moderation form (empty, full, with errors) and its outcome, at their largest."""
    sections = [
        layered.ModerationSection("compliance", "Compliance", Grade.AMBER),
        layered.ModerationSection("overall", "Overall grade", Grade.GREEN),
    ]
    reason = (SENTENCE * 20)[:2000]
    full = {
        "M_compliance_grade": "red",
        "M_compliance_reason": reason,
        "M_overall_grade": "blue",
        "M_overall_reason": reason,
        "M_actions": "\n".join(("Action: " + SENTENCE)[:500] for _ in range(20)),
    }
    subtitle = "Practice Learning Conversation · Team CNP-N · due 2026-12-31 · submitted"
    yield (
        "layered/moderation-empty",
        layered.moderation_form(9001, "DEMO-900123", subtitle, sections, {}, {}, None, guidance),
    )
    yield (
        "layered/moderation-full",
        layered.moderation_form(9001, "DEMO-900123", subtitle, sections, full, {}, "Saved.", guidance),
    )
    errors = {
        "M_compliance_reason": "Your grade differs from Amber — Requires Improvement: please give your reason.",
        "M_overall_grade": "Please grade overall grade.",
        "M_actions": "Please give at most 20 actions, one per line, each within 500 characters.",
    }
    yield (
        "layered/moderation-errors",
        layered.moderation_form(
            9001,
            "DEMO-900123",
            subtitle,
            sections,
            full,
            errors,
            "Your answers are saved; please see the messages in red.",
            guidance,
        ),
    )
    outcome_rows = [["Compliance", "amber", "red", reason], ["Overall grade", "green", "blue", reason]]
    actions = [("Action: " + SENTENCE)[:500]] * 20
    yield (
        "layered/moderation-outcome",
        layered.moderation_outcome(9001, "DEMO-900123", "green", "blue", outcome_rows, actions),
    )
