"""The child's six outcome scales of a Practice Learning Conversation, read from its answers by
each field's meaning (`practitioner:<area>`, `child:<area>`, `manager:overall`): the data behind
the outcomes chart a practitioner receives after an audit (seed lines 365 and 955) and behind the
highlight report's "is anyone better off" section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from plf_core.forms.model import Form

AREAS: tuple[str, ...] = (
    "living_arrangements",
    "education",
    "health",
    "relationships",
    "emotional_wellbeing",
    "sense_of_self",
)
AREA_LABELS: dict[str, str] = {
    "living_arrangements": "Living arrangements",
    "education": "Education, employment\nand training",
    "health": "Health and\ndevelopment",
    "relationships": "Relationships",
    "emotional_wellbeing": "Emotional\nwell-being",
    "sense_of_self": "Sense of self",
}
SCALE_MIN, SCALE_MAX = 1, 10


@dataclass(frozen=True)
class OutcomeScales:
    """One audit's scales (1-10); an area left unscored is absent."""

    practitioner: dict[str, int] = field(default_factory=dict)
    child: dict[str, int] = field(default_factory=dict)
    practitioner_overall: int | None = None
    manager_overall: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.practitioner or self.child or self.practitioner_overall or self.manager_overall)


@dataclass(frozen=True)
class OutcomesPicture:
    """What the outcomes chart shows: this audit's scales and, faintly, the case's earlier audit."""

    case_ref: str
    audited_on: date | None
    scales: OutcomeScales
    earlier: OutcomeScales | None = None
    earlier_on: date | None = None


def _scale(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if SCALE_MIN <= number <= SCALE_MAX else None


def scales_of(form: Form, answers: Mapping[str, object]) -> OutcomeScales:
    """The outcome scales in `answers` (field id -> value), found by the form's field meanings."""
    practitioner: dict[str, int] = {}
    child: dict[str, int] = {}
    overall: dict[str, int] = {}
    for page in form.pages:
        for f in page.fields:
            if not f.meaning or f.id not in answers:
                continue
            who, _, area = f.meaning.partition(":")
            value = _scale(answers[f.id])
            if value is None:
                continue
            if area == "overall" and who in ("practitioner", "manager"):
                overall[who] = value
            elif area in AREAS and who == "practitioner":
                practitioner[area] = value
            elif area in AREAS and who == "child":
                child[area] = value
    return OutcomeScales(practitioner, child, overall.get("practitioner"), overall.get("manager"))
