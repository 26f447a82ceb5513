"""The moderator's own work on one audit: open it, grade each section again with reasons, say
what should be done, and submit; the auditors and their managers are told the outcome.

(Choosing which audits are moderated, and measuring agreement, are in `plf_core/layered.py`.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from plf_core import access
from plf_core.audits import AuditView, overall_grades
from plf_core.errors import Conflict, NotAllowed, NotFound
from plf_core.notices import ModerationOutcome, SectionOutcome
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import GRADE_LABELS, Grade

MAX_REASON = 2000
MAX_ACTIONS = 20
MAX_ACTION_CHARS = 500


@dataclass(frozen=True)
class ModerationRow:
    moderation_id: int
    audit_id: int
    moderator_id: int
    stream: str
    status: str
    draft: Mapping[str, object]
    original_grade: Grade | None
    moderated_grade: Grade | None
    reason: str | None


@dataclass(frozen=True)
class SectionGrades:
    """One thing the moderator grades, with the grade it had."""

    section: str
    label: str
    original: Grade | None


@dataclass(frozen=True)
class GradedSection:
    section: str
    label: str
    original: Grade | None
    moderated: Grade
    reason: str


@dataclass(frozen=True)
class ModerationResult:
    moderation_id: int
    audit_id: int
    original_grade: Grade | None
    moderated_grade: Grade
    sections: tuple[GradedSection, ...]
    actions: tuple[str, ...]

    @property
    def reason(self) -> str:
        return self.sections[-1].reason if self.sections else ""


@dataclass(frozen=True)
class ModerationScreen:
    audit: AuditView
    moderation: ModerationRow
    sections: tuple[SectionGrades, ...]
    values: Mapping[str, object]
    errors: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class ModerationDone:
    audit: AuditView
    result: ModerationResult
    repeated: bool = False


def moderation_sections(audit: AuditView) -> tuple[SectionGrades, ...]:
    """What a moderator grades: each graded section of the form, then the whole."""
    form = audit.form
    sections: dict[str, dict[str, Grade]] = {}
    for page in form.pages:
        for f in page.fields:
            meaning = f.meaning or ""
            parts = meaning.split(":")
            if len(parts) == 3 and parts[0] == "grade":
                value = audit.answers.get(f.id)
                if isinstance(value, str) and value in {g.value for g in Grade}:
                    sections.setdefault(parts[2], {})[parts[1]] = Grade(value)
                else:
                    sections.setdefault(parts[2], {})
    out = [
        SectionGrades(name, name.replace("_", " ").capitalize(), grades.get("manager") or grades.get("practitioner"))
        for name, grades in sections.items()
    ]
    given = overall_grades(form, audit.answers)
    whole = audit.final_grade or given.get("manager") or given.get("practitioner")
    out.append(SectionGrades("overall", "Overall grade", whole))
    return tuple(out)


async def _moderation(uow: AbstractUnitOfWork, actor: Actor, audit_id: int) -> tuple[AuditView, ModerationRow]:
    audit = await uow.audits.get(audit_id, lock=True)
    if audit is None:
        raise NotFound(f"there is no audit {audit_id}", action="moderate", audit_id=audit_id)
    row = await uow.moderations.of(audit_id, actor.person_id)
    if row is None:
        raise NotAllowed(f"you have not been asked to moderate audit {audit_id}", action="moderate", audit_id=audit_id)
    if access.is_participant(actor, audit):
        why = f"you took part in audit {audit_id}, so you cannot moderate it"
        raise NotAllowed(why, action="moderate", audit_id=audit_id)
    return audit, row


async def open_moderation(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, activity: str | None = None
) -> ModerationScreen | ModerationDone:
    audit, row = await _moderation(uow, actor, audit_id)
    await uow.access.log(actor, "moderate_open", audit_id, activity, "ok")
    if row.status == "completed":
        return ModerationDone(audit, _result_of(row, audit), repeated=True)
    return ModerationScreen(audit, row, moderation_sections(audit), row.draft)


def _result_of(row: ModerationRow, audit: AuditView) -> ModerationResult:
    grade = row.moderated_grade or Grade.GREEN
    return ModerationResult(row.moderation_id, audit.id, row.original_grade, grade, (), ())


def check_moderation(
    sections: Sequence[SectionGrades], submitted: Mapping[str, object], complete: bool
) -> tuple[dict[str, object], dict[str, str]]:
    """The moderator's inputs: valid ones kept, each problem named under its field. Complete:
    every grade is needed, and a reason wherever a grade differs from the one given."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for s in sections:
        grade_key, reason_key = f"M_{s.section}_grade", f"M_{s.section}_reason"
        grade = submitted.get(grade_key)
        reason = submitted.get(reason_key)
        if isinstance(reason, str) and reason.strip():
            if len(reason) > MAX_REASON:
                errors[reason_key] = f"Please keep the reason within {MAX_REASON:,} characters ({len(reason):,} now)."
            values[reason_key] = reason.strip()[:MAX_REASON] if reason_key in errors else reason.strip()
        elif reason not in (None, "") and not isinstance(reason, str):
            errors[reason_key] = "The reason should be text."
        if isinstance(grade, str) and grade in {g.value for g in Grade}:
            values[grade_key] = grade
        elif grade not in (None, ""):
            errors[grade_key] = "Please choose one of the four grades."
        elif complete:
            errors[grade_key] = f"Please grade {s.label.lower()}."
        differs = grade_key in values and s.original is not None and values[grade_key] != s.original.value
        if complete and differs and s.original is not None and not values.get(reason_key):
            errors[reason_key] = f"Your grade differs from {GRADE_LABELS[s.original]}: please give your reason."
    actions = submitted.get("M_actions")
    if isinstance(actions, str) and actions.strip():
        lines = [line.strip() for line in actions.splitlines() if line.strip()]
        if len(lines) > MAX_ACTIONS or any(len(line) > MAX_ACTION_CHARS for line in lines):
            errors["M_actions"] = (
                f"Please give at most {MAX_ACTIONS} actions, one per line, each within {MAX_ACTION_CHARS} characters."
            )
        values["M_actions"] = actions.strip()
    elif actions not in (None, "") and not isinstance(actions, str):
        errors["M_actions"] = "The actions should be text, one per line."
    return values, errors


async def save_moderation(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    submitted: Mapping[str, object],
    complete: bool,
    now: datetime,
    activity: str | None = None,
) -> ModerationScreen | ModerationDone:
    """Save (a draft, nothing lost) or Submit (the moderated grade becomes the final grade)."""
    audit, row = await _moderation(uow, actor, audit_id)
    if row.status == "completed":
        return ModerationDone(audit, _result_of(row, audit), repeated=True)
    sections = moderation_sections(audit)
    values, errors = check_moderation(sections, submitted, complete)
    draft = {**row.draft, **values}
    for key in ("M_actions", *(f"M_{s.section}_{k}" for s in sections for k in ("grade", "reason"))):
        if submitted.get(key) == "":
            draft.pop(key, None)  # cleared on purpose
    await uow.moderations.save_draft(row.moderation_id, draft)
    await uow.access.log(actor, "moderate", audit_id, activity, "ok")
    shown = {**draft, **{k: submitted[k] for k in errors if k in submitted}}
    if errors:
        note = "Your answers are saved; please see the messages in red."
        if not complete:
            note = "Saved, apart from the answers in red."
        return ModerationScreen(audit, replace(row, draft=draft), sections, shown, errors, note)
    if not complete:
        note = "Saved. You can come back to it at any time."
        return ModerationScreen(audit, replace(row, draft=draft), sections, shown, note=note)
    graded = tuple(
        GradedSection(
            s.section,
            s.label,
            s.original,
            Grade(str(values[f"M_{s.section}_grade"])),
            str(values.get(f"M_{s.section}_reason", "")),
        )
        for s in sections
    )
    actions = tuple(line.strip() for line in str(values.get("M_actions", "")).splitlines() if line.strip())
    overall = next(s for s in sections if s.section == "overall")
    result = ModerationResult(row.moderation_id, audit.id, overall.original, graded[-1].moderated, graded, actions)
    if not await uow.moderations.complete(result, actor.person_id, now):
        raise Conflict(f"the moderation of audit {audit_id} was completed meanwhile")
    case = audit.case.azeus_number if audit.case else "—"
    outcome = ModerationOutcome(
        audit.id,
        case,
        overall.original.value if overall.original else "",
        result.moderated_grade.value,
        tuple(
            SectionOutcome(g.label, g.original.value if g.original else "", g.moderated.value, g.reason) for g in graded
        ),
        actions,
    )
    for person in {audit.practitioner_id, audit.second_person_id} - {None}:
        assert person is not None
        await uow.outbox.add(Notice(f"moderated:{row.moderation_id}:{person}", person, outcome))
    return ModerationDone(audit, result)
