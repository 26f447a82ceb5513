"""What a form definition is made of: forms, pages, fields and their rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class FieldKind(StrEnum):
    YES_NO = "yes_no"
    TEXT = "text"
    LONG_TEXT = "long_text"
    SCALE_10 = "scale_10"
    SCALE_5 = "scale_5"
    GRADE = "grade"
    RAG = "rag"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"


class Contributor(StrEnum):
    """Who fills a part of a form. Roles map onto these in the workflow (plf_core.access)."""

    PRACTITIONER = "practitioner"  # the social worker with their Practice Lead or a PLR
    MANAGER = "manager"  # Practice Lead or Service Manager: the manager sections
    HEAD_OF_SERVICE = "head_of_service"
    REVIEWER = "reviewer"  # Practice Learning Reviewer as auditor of a thematic review
    MODERATOR = "moderator"
    PIM_CHAIR = "pim_chair"
    SUPERVISEE = "supervisee"
    QA = "qa"


class DateRule(StrEnum):
    """Which side of today a date answer may fall on."""

    DONE = "done"  # something that has happened (a completion date): today or earlier
    DUE = "due"  # something still to do (an action's deadline): today or later


#: Default maximum lengths, in characters.
TEXT_MAX = 200
LONG_TEXT_MAX = 2000


@dataclass(frozen=True)
class Choice:
    value: str
    title: str


@dataclass(frozen=True)
class RequiredWhenDiffers:
    """Required when two other fields both hold values and they differ (moderator reasons)."""

    first: str
    second: str


@dataclass(frozen=True)
class RequiredWhenEquals:
    """Required when another field holds a given value ('If yes, when?')."""

    other: str
    value: str


@dataclass(frozen=True)
class RequiredWhenFilled:
    """Required when another field is answered (a row's deadline, once its action is written)."""

    other: str


Condition = RequiredWhenDiffers | RequiredWhenEquals | RequiredWhenFilled


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: FieldKind
    #: How an error names it, after the reference: "health and development scale".
    short: str
    required: bool = True
    required_when: Condition | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    help: str | None = None
    #: None: the page's editor. Set for a moderator column on a reviewer's page, say.
    editor: Contributor | None = None
    #: Set when the value comes from the audit itself (case id, team): shown, never typed.
    prefilled_from: str | None = None
    #: What the field stands for in reports: an outcome area, a grade, an action column.
    meaning: str | None = None
    #: Another contributor's field shown beside this one, read-only, for comparison (the
    #: practitioner's grade beside the manager's).
    compare: str | None = None
    #: Offered in the input until answered (the person can change it): "today", "audit.second_person".
    suggested_from: str | None = None
    #: For a date: whether it records something done (not in the future) or due (not in the past).
    dated: DateRule | None = None

    @property
    def ref(self) -> str:
        """The seed's question id (A1a, B3a, ...) where the field has one, else nothing."""
        return "" if "_" in self.id or self.prefilled_from else self.id

    def text_limit(self) -> int | None:
        if self.kind is FieldKind.LONG_TEXT:
            return self.max_length or LONG_TEXT_MAX
        if self.kind is FieldKind.TEXT:
            return self.max_length or TEXT_MAX
        return None


@dataclass(frozen=True)
class Page:
    id: str
    part: str  # "Part A — Assessment"
    editor: Contributor
    fields: tuple[Field, ...]
    intro: str | None = None
    guidance: str | None = None  # shown on demand, e.g. the grading guidance

    def editor_of(self, f: Field) -> Contributor:
        return f.editor or self.editor


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    source: str  # "Appendix 2, seed lines 1010-1359"
    pages: tuple[Page, ...]
    #: What was wrong in the seed and how the definition corrects it.
    corrections: tuple[str, ...] = ()
    #: Field ids of the overall grades, by who gives them ("practitioner", "manager", ...).
    overall_grades: dict[str, str] = field(default_factory=dict)
    #: Whose required answers must be complete at Submit (default: the first page's editor).
    submitted_by: tuple[Contributor, ...] = ()
    #: What each grade means on this form, by grade value: shown beside each grade option.
    grade_guidance: dict[str, str] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """Where the form is in the framework, as staff know it ("Appendix 2"), without the seed's line numbers."""
        return re.sub(r",?\s*seed lines? [0-9]+(?:-[0-9]+)?", "", self.source).strip(" ,;")

    @property
    def submit_contributors(self) -> frozenset[Contributor]:
        return frozenset(self.submitted_by or (self.pages[0].editor,))

    def page(self, page_id: str) -> Page:
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    def page_index(self, page_id: str) -> int:
        return [p.id for p in self.pages].index(page_id)

    @property
    def fields(self) -> dict[str, Field]:
        return {f.id: f for page in self.pages for f in page.fields}

    def page_of(self, field_id: str) -> Page:
        for page in self.pages:
            if any(f.id == field_id for f in page.fields):
                return page
        raise KeyError(field_id)
