"""An audit as the workflow sees it, and the rules of its life (Appendix 1, lines 749-769)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from plf_core.forms.model import Contributor, Form
from plf_core.forms.registry import get_form
from plf_core.forms.validation import Value, check_submission
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, Grade

PLC_FORM = "practice_learning_conversation"
PIM_FORM = "practice_improvement_meeting"


@dataclass(frozen=True)
class CaseRef:
    case_id: int
    azeus_number: str
    team_id: int
    team_code: str
    team_name: str
    service_area_id: int
    service_area_name: str
    gender: str
    age: int
    practice_lead_id: int | None = None
    service_manager_id: int | None = None
    head_of_service_id: int | None = None


@dataclass(frozen=True)
class FamilySaid:
    """The latest feedback a family gave on the case (plf_core.feedback), as its audits show it: each
    answer with its question, and who gave it (a child or young person, or a parent or carer)."""

    audience: str
    received_at: datetime
    worded: tuple[tuple[str, str], ...]
    flagged: bool = False

    @property
    def who(self) -> str:
        return "A child or young person" if self.audience == "child" else "A parent or carer"


@dataclass(frozen=True)
class AuditView:
    id: int
    form_id: str
    case: CaseRef | None
    practitioner_id: int | None
    second_person_id: int | None
    status: AuditStatus
    version: int
    current_page: str | None = None
    answers: Mapping[str, Value] = field(default_factory=dict)
    submitted_by_id: int | None = None
    submitted_at: datetime | None = None
    due_on: date | None = None
    pim_due_on: date | None = None
    pim_held_on: date | None = None
    parent_audit_id: int | None = None
    final_grade: Grade | None = None
    uploaded_at: datetime | None = None
    practitioner_name: str = ""
    second_person_name: str = ""
    family: tuple[FamilySaid, ...] = ()  # the latest feedback from the case's child and its parent or carer

    @property
    def form(self) -> Form:
        return get_form(self.form_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AUDIT_STATUSES

    @property
    def main_contributor(self) -> Contributor:
        return self.form.pages[0].editor

    def page_or_first(self, page_id: str | None) -> str:
        ids = [p.id for p in self.form.pages]
        return page_id if page_id in ids else ids[0]


def overall_grades(form: Form, answers: Mapping[str, object]) -> dict[str, Grade]:
    """The overall grades given so far, by who gave them ('practitioner', 'manager', ...)."""
    grades: dict[str, Grade] = {}
    for who, field_id in form.overall_grades.items():
        value = answers.get(field_id)
        if isinstance(value, str) and value in {g.value for g in Grade}:
            grades[who] = Grade(value)
    return grades


def red_sources(form: Form, answers: Mapping[str, object]) -> list[str]:
    """Who graded the audit Red (Inadequate): the trigger of the red alert."""
    return [who for who, grade in overall_grades(form, answers).items() if grade is Grade.RED]


def final_grade(form: Form, answers: Mapping[str, object]) -> Grade | None:
    """The manager's grade stands over the practitioner's (the moderation issue adds moderators)."""
    grades = overall_grades(form, answers)
    for who in ("moderator", "manager", "reviewer", "pim", "practitioner"):
        if who in grades:
            return grades[who]
    return None


def own_pages(form: Form, editors: Collection[Contributor]) -> list[str]:
    """The pages with something these contributors write, in order."""
    return [p.id for p in form.pages if any(p.editor_of(f) in editors for f in p.fields)]


def next_page(form: Form, page_id: str, direction: int, editors: Collection[Contributor] = ()) -> str | None:
    """The page after (1) or before (-1) this one; None past either end. With `editors`, only their
    own pages: a practitioner's Next goes from their last page to the review, past the manager's."""
    index = form.page_index(page_id) + direction
    mine = set(own_pages(form, editors)) if editors else {p.id for p in form.pages}
    while 0 <= index < len(form.pages):
        if form.pages[index].id in mine:
            return form.pages[index].id
        index += direction
    return None


def continue_page(audit: AuditView, editors: Collection[Contributor]) -> str:
    """Where Continue opens for these contributors: their first page with something required still
    missing; else where the audit was left, if it is theirs; else their first page."""
    mine = own_pages(audit.form, editors)
    if not mine:
        return audit.page_or_first(audit.current_page)
    missing = check_submission(audit.form, audit.answers, editors).errors
    for page_id in mine:
        if any(f.id in missing for f in audit.form.page(page_id).fields):
            return page_id
    return audit.current_page if audit.current_page in mine else mine[0]


def status_after_save(status: AuditStatus) -> AuditStatus:
    return AuditStatus.IN_PROGRESS if status is AuditStatus.ASSIGNED else status
