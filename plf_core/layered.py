"""Use cases of the layered audit: draw a sample, choose moderations, moderate, measure agreement.

QA drives the first two from chat (or `plf`) and always sees a preview first: nothing is
created until the same command comes back with `confirm <fingerprint>`, and a confirmation
whose selection no longer matches the preview (the cases changed) shows the new preview instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from plf_core import access, periods
from plf_core.audits import PLC_FORM, AuditView, overall_grades
from plf_core.errors import Conflict, NotAllowed, NotFound
from plf_core.moderation import (
    Agreement,
    Rules,
    Selection,
    agreement,
    agreement_by,
    select,
)
from plf_core.notices import AuditAssigned, ModerationOutcome, ModerationRequest, SectionOutcome
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.sampling import (
    PLR_SHARE,
    Criteria,
    Draw,
    Method,
    check_names,
    draw,
    fingerprint,
    selection_fingerprint,
)
from plf_core.vocabulary import GRADE_LABELS, Grade

MAX_REASON = 2000
MAX_ACTIONS = 20
MAX_ACTION_CHARS = 500
MODERATE_WITHIN_DAYS = 28


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


# --- sampling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SamplePreview:
    draw: Draw
    command: str  # the command that creates exactly this draw (seed included)
    fingerprint: str
    note: str | None = None


def sample_command(size: int, method: Method, criteria: Criteria, seed: int) -> str:
    words = ["sample", "quota" if method is Method.QUOTA else str(size)]
    if method not in (Method.QUOTA, Method.RANDOM):
        words.append({"systematic": "systematic", "by_team": "by team", "by_cohort": "by cohort"}[method.value])
    for name, key in (("cohort", "cohorts"), ("team", "teams"), ("area", "service_areas"), ("legal", "legal_statuses")):
        values = sorted(getattr(criteria, key))
        if values:
            words.append(f"{name} {','.join(values)}")
    if criteria.min_age is not None or criteria.max_age is not None:
        words.append(f"age {criteria.min_age or 0}-{criteria.max_age if criteria.max_age is not None else 25}")
    if criteria.ehcp is not None:
        words.append(f"ehcp {'yes' if criteria.ehcp else 'no'}")
    if criteria.not_audited_months is not None:
        words.append(f"unaudited {criteria.not_audited_months}")
    words.append(f"seed {seed}")
    return " ".join(words)


async def sample(
    uow: AbstractUnitOfWork,
    actor: Actor,
    size: int,
    method: Method,
    criteria: Criteria,
    seed: int,
    confirm: str | None,
    today: date,
    activity: str | None = None,
) -> SamplePreview | str:
    """A preview, or (confirmed) the audits created: a start card to each practitioner and their
    Practice Lead. Returns the confirmation's reply text."""
    access.require_qa(actor, "draw samples")
    teams, areas = await uow.people.known_names()
    check_names(criteria, teams, areas)
    population = await uow.sampling.population(today)
    share = 0.0 if method is Method.QUOTA else PLR_SHARE
    result = draw(population, criteria, method, size, seed, today, review_share=share)
    fingerprint = selection_fingerprint(result)
    command = sample_command(size, method, criteria, seed)
    if confirm is None:
        return SamplePreview(result, command, fingerprint)
    if confirm != fingerprint:
        return SamplePreview(
            result, command, fingerprint, note="The cases changed since that preview: this is the draw now."
        )
    existing = await uow.sampling.draw_with_fingerprint(fingerprint, seed)
    if existing is not None:
        return f"This sample was already created (draw {existing}); nothing more was created."
    purpose = "plc" if method is Method.QUOTA else "dip_sample"
    draw_id = await uow.sampling.record_draw(purpose, result, fingerprint, actor.person_id)
    due = await uow.audits.cycle_due_on(today)
    created, skipped = 0, 0
    azeus = {c.case_id: c for c in population}
    for pick in result.picks:
        case = azeus[pick.case_id]
        if pick.worker_id is None:
            skipped += 1
            continue
        if await uow.audits.open_of(PLC_FORM, pick.case_id, pick.worker_id) is not None:
            skipped += 1
            continue
        second = pick.practice_lead_id if pick.practice_lead_id != pick.worker_id else None
        audit_id = await uow.audits.create(
            form_id=PLC_FORM, case_id=pick.case_id, practitioner_id=pick.worker_id, second_person_id=second, due_on=due
        )
        await uow.audits.link_to_draw(audit_id, draw_id)
        await uow.access.log(actor, "create", audit_id, activity, "ok")
        start = AuditAssigned(audit_id, case.azeus_number, case.team_code, due)
        for person in (pick.worker_id, second):
            if person is not None:
                await uow.outbox.add(Notice(f"assigned:{audit_id}:{person}", person, start))
        created += 1
    review = sum(p.for_review for p in result.picks)
    parts = [f"Sample created (draw {draw_id}, seed {seed}): {created} audit{'s' if created != 1 else ''} assigned"]
    if skipped:
        parts.append(f"{skipped} skipped (already open for that worker, or no allocated worker)")
    if review:
        parts.append(f"{review} also marked for Practice Learning Review")
    return "; ".join(parts) + ". The start cards are on their way."


# --- moderation selection -------------------------------------------------------------------


@dataclass(frozen=True)
class ModeratePreview:
    month: date
    selection: Selection
    returned: int
    command: str
    fingerprint: str
    note: str | None = None


def _selection_fingerprint(selection: Selection) -> str:
    return fingerprint(f"{r.audit_id}:{r.moderator_id}:{r.stream}" for r in selection.requests)


async def choose_moderations(
    uow: AbstractUnitOfWork,
    actor: Actor | None,
    month: date,
    rules: Rules,
    confirm: str | None,
    today: date,
) -> ModeratePreview | str:
    """The month's moderation requests. `actor` None: the monthly job (confirmed by the caller)."""
    if actor is not None:
        access.require_qa(actor, "choose moderations")
    period = periods.month(month)
    start = period.starts
    returned = await uow.moderations.returned(period.starts, period.ends)
    command = f"moderate {start:%Y-%m}"
    if not returned:
        return f"No audits were returned in {start:%B %Y}, so there is nothing to moderate."
    already = await uow.moderations.requests_for([r.audit_id for r in returned])
    reviewers = await uow.people.people_with_roles(["practice_learning_reviewer"])
    ad_qa = await uow.people.people_with_roles(["qa_manager"])
    cycle = periods.cycle_containing(start)
    ad_qa_left = max(0, rules.ad_qa_per_cycle - await uow.moderations.stream_count("ad_qa", cycle.starts, cycle.ends))
    seed = start.year * 100 + start.month  # the same month always gives the same choice
    selection = select(
        returned, Rules(rules.hos_share, rules.plr_share, ad_qa_left), reviewers, ad_qa, seed, already=already
    )
    fingerprint = _selection_fingerprint(selection)
    if confirm is None:
        return ModeratePreview(start, selection, len(returned), command, fingerprint)
    if confirm != fingerprint:
        note = "The returns changed since that preview: this is the choice now."
        return ModeratePreview(start, selection, len(returned), command, fingerprint, note)
    by_id = {r.audit_id: r for r in returned}
    created = 0
    due = today + timedelta(days=MODERATE_WITHIN_DAYS)
    reasons = {
        "head_of_service": "you are the Head of Service (20% of your service's audits and every Red one)",
        "practice_learning_reviewer": "Practice Learning Reviewers moderate 20% of each month's returns",
        "ad_qa": "the AD QA and lead reviewers moderate 12 cases a cycle",
    }
    for request in selection.requests:
        moderation_id = await uow.moderations.add(request.audit_id, request.moderator_id, request.stream)
        if moderation_id is None:
            continue  # asked already (a second run, another instance)
        created += 1
        returned_audit = by_id[request.audit_id]
        await uow.outbox.add(
            Notice(
                f"moderation:{request.audit_id}:{request.moderator_id}",
                request.moderator_id,
                ModerationRequest(
                    request.audit_id,
                    returned_audit.case_ref,
                    returned_audit.team,
                    reasons.get(request.stream, request.stream),
                    due,
                ),
            )
        )
    return f"{created} moderation request{'s' if created != 1 else ''} sent for {start:%B %Y}."


# --- the moderation itself ------------------------------------------------------------------


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


# --- agreement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementScreen:
    period: str
    overall: Agreement
    dimension: str | None = None
    breakdown: Mapping[str, Agreement] = field(default_factory=dict)


async def agreement_report(
    uow: AbstractUnitOfWork, actor: Actor, period: str | None, dimension: str | None, today: date
) -> AgreementScreen:
    if not (actor.is_qa or actor.is_slt):
        raise NotAllowed("only the QA team and SLT can see moderation agreement", action="agreement")
    chosen = periods.parse(period, today, default=periods.quarter(today))  # this quarter so far
    rows = await uow.moderations.moderated(chosen.starts, chosen.ends)
    overall = agreement([(r.auditor_grade, r.moderator_grade) for r in rows])
    breakdown = agreement_by(rows, dimension) if dimension else {}
    return AgreementScreen(chosen.label, overall, dimension, breakdown)
