"""Good practice collected (issue 18): which answers nominate an audit as an example of good practice,
what the example says, who nominated it, and whether it counts yet.

Nominations are not stored: they are read from the answers already given (line 1348 and the thematic
reviews' good-practice boxes), so every audit ever returned is in the library without a backfill:
- a Practice Learning Conversation whose Head of Service answered yes to "submit this audit as an
  example of good practice" (HOS4): its example is the Head of Service's comments (HOS2), else the
  manager's narrative (MO2);
- a thematic review's reviewer's examples of good practice (G_practice) and its moderator's
  observation of good practice (G_moderator, CLA & Care Leavers), whenever they are not empty.
Who nominated it is whoever wrote that answer: the reviewer's box is the reviewer's (the person the
review was assigned to), the moderator's the moderator's, and otherwise whoever saved the page.
A Head of Service (of the case's service area) or QA confirms or declines each nomination
(`good_practice` table); only confirmed ones count as evidence, declined ones leave the list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo

from plf_core import periods
from plf_core.audits import PLC_FORM
from plf_core.errors import ValidationFailed
from plf_core.evidence_ports import Decision, NominatedAudit
from plf_core.forms.model import Contributor, Form
from plf_core.forms.registry import get_form
from plf_core.people import Actor
from plf_core.periods import Period
from plf_core.vocabulary import GRADE_LABELS, Grade

CONFIRMED, DECLINED = "confirmed", "declined"
DECISIONS = (CONFIRMED, DECLINED)
THEMATIC_CIN_CP, THEMATIC_CLA = "thematic_cin_cp", "thematic_cla_care_leavers"  # as plf_core.reviews names them
THEME_FIELD = "T_theme"  # a thematic review's theme: matched by 'good practice THEME' too


@dataclass(frozen=True)
class Source:
    """An answer that nominates: its field, the fields whose first answer is the example, and whether
    a 'yes' nominates (else any text does)."""

    field_id: str
    text_fields: tuple[str, ...]
    by_yes: bool = False


_SOURCES: dict[str, tuple[Source, ...]] = {
    PLC_FORM: (Source("HOS4", ("HOS2", "MO2"), by_yes=True),),
    THEMATIC_CIN_CP: (Source("G_practice", ("G_practice",)), Source("G_moderator", ("G_moderator",))),
    THEMATIC_CLA: (Source("G_practice", ("G_practice",)), Source("G_moderator", ("G_moderator",))),
}
FORMS = tuple(_SOURCES)
FIELDS = frozenset(s.field_id for sources in _SOURCES.values() for s in sources)


def sources(form: Form) -> tuple[Source, ...]:
    """The nominating answers this form has (the CiN & CP review has no moderator's box)."""
    return tuple(s for s in _SOURCES.get(form.id, ()) if s.field_id in form.fields)


def nominating_pages(form_id: str) -> frozenset[str]:
    """The pages whose answers say whether an audit of this form nominates."""
    form = get_form(form_id)
    return frozenset(form.page_of(s.field_id).id for s in sources(form))


def pages_read(form_id: str) -> frozenset[str]:
    """Every page a nomination of this form is read from: the nominating answer, the example, the theme."""
    form = get_form(form_id)
    wanted = {f for s in sources(form) for f in (s.field_id, *s.text_fields)}
    wanted |= {THEME_FIELD} & set(form.fields)
    return frozenset(form.page_of(f).id for f in wanted)


@dataclass(frozen=True)
class Nomination:
    audit_id: int
    field_id: str
    form_title: str
    case: str
    team: str
    area_id: int
    area: str
    grade: str | None
    submitted_on: date
    text: str  # the example, in full
    nominated_by: str
    theme: str = ""  # a thematic review's theme
    decision: str | None = None  # confirmed | declined; None: awaiting confirmation
    decided_by: str = ""
    decided_on: date | None = None
    changed: bool = False  # decided on, then its words changed: awaiting a decision again

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)

    @property
    def awaiting(self) -> bool:
        return self.decision is None

    @property
    def confirmed(self) -> bool:
        return self.decision == CONFIRMED

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[Grade(self.grade)] if self.grade in {g.value for g in Grade} else "not graded"


GOOD_GRADES = frozenset({Grade.BLUE.value, Grade.GREEN.value})  # "if audit is graded good or outstanding"


def fingerprint(text: str) -> str:
    """The example's words as decided on: a later change makes it wait for a decision again."""
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _nominator(form: Form, audit: NominatedAudit, field_id: str) -> str:
    page = form.page_of(field_id)
    editor = page.editor_of(form.fields[field_id])
    if editor in (Contributor.REVIEWER, Contributor.PRACTITIONER) and audit.practitioner:
        return audit.practitioner
    if editor is Contributor.MODERATOR and audit.second_person:
        return audit.second_person
    return audit.saved_by.get(page.id) or "not known"


def nominations_of(audit: NominatedAudit, zone: tzinfo = UTC) -> list[Nomination]:
    """The nominations an audit's answers make (none, one, or the reviewer's and the moderator's)."""
    form = get_form(audit.form_id)
    found = []
    for source in sources(form):
        given = audit.answers.get(source.field_id)
        if source.by_yes and (str(given).lower() != "yes" or audit.grade not in GOOD_GRADES):
            continue  # the question is asked of Good and Outstanding audits only
        text = next((t for t in (_text(audit.answers.get(f)) for f in source.text_fields) if t), "")
        if not source.by_yes and not text:
            continue
        decision = audit.decisions.get(source.field_id)
        changed = decision is not None and bool(decision.text_hash) and decision.text_hash != fingerprint(text)
        found.append(
            Nomination(
                audit.audit_id,
                source.field_id,
                form.title,
                audit.case,
                audit.team,
                audit.area_id,
                audit.area,
                audit.grade,
                audit.submitted_at.astimezone(zone).date(),
                text,
                _nominator(form, audit, source.field_id),
                _text(audit.answers.get(THEME_FIELD)),
                decision.decision if decision and not changed else None,
                decision.by if decision else "",
                decision.at.astimezone(zone).date() if decision else None,
                changed,
            )
        )
    return found


def nominations(audits: Iterable[NominatedAudit], zone: tzinfo = UTC) -> list[Nomination]:
    return [n for audit in audits for n in nominations_of(audit, zone)]


# --- what was asked: 'good practice CNP voice of the child this quarter' ------------------------------

FILLERS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "about", "with", "to", "theme", "from"})
_RELATIVE = re.compile(r"(?i)\b(this|last|previous)\s+(month|quarter|year)\b")
_PERIOD_WORD = re.compile(r"(?i)(?<!\S)(\d{4}(?:-\S+)?|q\d|month|quarter|year)(?!\S)")


@dataclass(frozen=True)
class Asked:
    area_id: int | None = None
    area: str | None = None
    period: Period | None = None
    theme: str = ""


def _period(text: str, today: date) -> tuple[Period | None, str]:
    """The period named in the words (this quarter, last month, q3, 2026-Q3, 2026-10), and the rest."""
    relative = _RELATIVE.search(text)
    if relative:
        current = periods.containing(relative[2].lower(), today)
        found = current if relative[1].lower() == "this" else current.previous()
        return found, text[: relative.start()] + " " + text[relative.end() :]
    word = _PERIOD_WORD.search(text)
    if word:
        found = periods.parse(word[1], today)  # a word that looks like a period and is not one is named
        return found, text[: word.start()] + " " + text[word.end() :]
    return None, text


def _names(code: str, name: str) -> list[str]:
    """How a service area may be typed: its name, without '(demo)' and the like, with 'and' for '&', any
    run of two or more of its words ('children in need', 'looked after', 'leaving care'), and its code."""
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).replace("&", "and")
    words = bare.split()
    runs = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
    return [n for n in dict.fromkeys((name, bare, *runs, code)) if n.strip()]


def _area(text: str, areas: Sequence[tuple[int, str, str]]) -> tuple[int | None, str | None, str]:
    best: tuple[int, int, str, re.Match[str]] | None = None
    for area_id, code, name in areas:
        for typed in _names(code, name):
            found = re.search(rf"(?i)(?<!\w){re.escape(typed)}(?!\w)", text)
            if found and (best is None or len(typed) > best[0]):
                best = (len(typed), area_id, name, found)
    if best is None:
        return None, None, text
    _, area_id, name, found = best
    return area_id, name, text[: found.start()] + " " + text[found.end() :]


def read_words(text: str, today: date, areas: Sequence[tuple[int, str, str]]) -> Asked:
    """What 'good practice ...' asks for, typed the way busy people type: a service area (by code or
    name), a period (q3, 2026-Q3, 2026-10, this quarter, last month) and any other words: the theme."""
    period, rest = _period(" ".join(text.replace("&", " and ").split()), today)
    area_id, area, rest = _area(rest, areas)
    words = rest.split()
    while words and words[0].lower() in FILLERS:
        words.pop(0)
    while words and words[-1].lower() in FILLERS:
        words.pop()
    theme = " ".join(words).strip(" ,.;:")
    if len(theme) > 80:
        raise ValidationFailed("that theme is too long: a few words are enough, such as 'voice of the child'")
    return Asked(area_id, area, period, theme)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def matches(nomination: Nomination, theme: str) -> bool:
    """Every word of the theme (but 'of', 'the' and the like) starts a word of the example, its form's
    title or its review's theme: 'voice' finds "the child's voice", 'plan' finds "planning"."""
    wanted = [_stem(w) for w in re.findall(r"[\w']+", theme.lower()) if w not in FILLERS]
    said = set(re.findall(r"[\w']+", f"{nomination.text} {nomination.form_title} {nomination.theme}".lower()))
    said |= {w.removesuffix("'s") for w in said}
    return all(any(s.startswith(w) for s in said) for w in wanted)


# --- who may ------------------------------------------------------------------------------------------


def own_areas(actor: Actor) -> frozenset[int] | None:
    """The service areas whose good practice the person sees: None for QA and SLT (every one)."""
    if actor.is_qa or actor.is_slt:
        return None
    return actor.headed_area_ids | actor.managed_area_ids


def may_decide(actor: Actor, area_id: int) -> bool:
    """A Head of Service for their own service area, or QA, confirms or declines a nomination."""
    return actor.is_qa or area_id in actor.headed_area_ids


def in_order(found: Collection[Nomination]) -> list[Nomination]:
    """Those awaiting a decision first, then the confirmed; the newest first within each."""
    return sorted(found, key=lambda n: (not n.awaiting, -n.submitted_on.toordinal(), -n.audit_id, n.field_id))


def when_decided(decision: Decision, zone: tzinfo) -> str:
    return periods.staff_date(decision.at.astimezone(zone))
