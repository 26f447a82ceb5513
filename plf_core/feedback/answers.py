"""What a family sent on the page: each answer checked against its question, every one optional,
and the worrying phrases any of their own words hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from plf_core.feedback.form import SCALE_POINTS, FeedbackForm, Kind, Version, holds, normalised

MAX_ANSWER = 2000  # characters in one answer: about a page of writing
Answers = dict[str, int | str]


@dataclass(frozen=True)
class Checked:
    """The answers kept (question id -> 1-5 or text), what is wrong with any (question id -> why, in the
    family's words) and what was typed, so that a refused page comes back with nothing lost."""

    answers: Answers
    problems: Mapping[str, str] = field(default_factory=dict)
    typed: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.answers


def check_answers(version: Version, form: Mapping[str, str]) -> Checked:
    """Only the version's questions are read; anything else sent is ignored."""
    answers: Answers = {}
    problems: dict[str, str] = {}
    typed: dict[str, str] = {}
    for question in version.questions:
        raw = form.get(question.id, "")
        value = raw.strip()
        typed[question.id] = raw[: MAX_ANSWER * 2]  # what comes back is bounded too
        if not value:
            continue
        if question.kind is Kind.RATING:
            if value.isascii() and value.isdigit() and 1 <= int(value) <= SCALE_POINTS:
                answers[question.id] = int(value)
            else:
                problems[question.id] = "Please choose one of the answers."
        elif len(value) > MAX_ANSWER:
            problems[question.id] = (
                f"This answer is {len(value):,} characters long. Please make it shorter than {MAX_ANSWER:,} "
                "characters: your words are still in the box."
            )
        else:
            answers[question.id] = value
    return Checked(answers, problems, typed)


def worrying(form: FeedbackForm, answers: Mapping[str, int | str]) -> list[str]:
    """The worrying phrases the answers' own words hold, in the form's order."""
    texts = [normalised(v) for v in answers.values() if isinstance(v, str)]
    return [p for p in form.worrying_phrases if any(holds(t, p) for t in texts)]


def worded(version: Version, answers: Mapping[str, int | str]) -> list[tuple[str, str]]:
    """Each answer as staff read it: (question, answer), a rating as "4 of 5: Mostly"."""
    shown: list[tuple[str, str]] = []
    for question in version.questions:
        value = answers.get(question.id)
        if value is None or value == "":
            continue
        if question.kind is Kind.RATING and isinstance(value, int) and 1 <= value <= SCALE_POINTS:
            shown.append((question.text, f"{value} of {SCALE_POINTS}: {version.scale[value - 1]}"))
        else:
            shown.append((question.text, str(value)))
    return shown
