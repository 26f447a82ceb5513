"""The audit workflow's use cases: small async functions over a unit of work (plf_core.ports).

Each runs inside one unit of work (the caller commits), checks authorisation first, writes
the access log, and returns a screen for the edge to render: nothing here knows about Teams.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from plf_core import access
from plf_core.audits import (
    PIM_FORM,
    PLC_FORM,
    AuditView,
    CaseRef,
    final_grade,
    next_page,
    overall_grades,
    red_sources,
    status_after_save,
)
from plf_core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plf_core.forms.model import Contributor
from plf_core.forms.validation import Value, check_page, check_submission
from plf_core.notices import AuditAssigned, AuditFinal, OutcomesChart, PimRequest, RedAlert
from plf_core.outcomes import scales_of
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice, UnknownSender
from plf_core.vocabulary import AuditStatus
from plf_core.working_days import add_working_days

STALE_NOTE = (
    "Someone saved newer answers to this audit while your card was open, so your last change was not "
    "saved. This is the latest version: please make your change again."
)
SAVED_NOTE = "Saved. You can close this and carry on later: type 'my audits' to come back."


@dataclass(frozen=True)
class Settings:
    """The workflow's configurable numbers (FRAMEWORK.md marks them configurable)."""

    pim_working_days: int = 10


@dataclass(frozen=True)
class PageScreen:
    audit: AuditView
    page_id: str
    editors: frozenset[Contributor]
    values: Mapping[str, object]
    errors: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def read_only(self) -> bool:
        return not self.editors


@dataclass(frozen=True)
class ReviewScreen:
    audit: AuditView
    editors: frozenset[Contributor]
    problems: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubmittedScreen:
    audit: AuditView
    red_by: tuple[str, ...] = ()
    pim_due_on: date | None = None
    repeated: bool = False


@dataclass(frozen=True)
class AuditList:
    audits: tuple[AuditView, ...]
    viewer_id: int | None = None
    to_moderate: tuple[AuditView, ...] = ()

    def role_in(self, audit: AuditView) -> str:
        """How the viewer takes part in an audit of the list, in words."""
        if audit.practitioner_id == self.viewer_id:
            return "practitioner"
        if audit.second_person_id == self.viewer_id:
            return "second person"
        return "manager"


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class UnknownList:
    senders: tuple[UnknownSender, ...]


Screen = PageScreen | ReviewScreen | SubmittedScreen | AuditList | Reply | UnknownList


async def _audit(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    action: str,
    activity: str | None,
    *,
    write: bool = False,
    lock: bool = False,
    loaded: AuditView | None = None,
) -> tuple[AuditView, frozenset[Contributor]]:
    """Load an audit (unless given) and check the person may do this; a refusal carries what the
    access log needs."""
    audit = loaded or await uow.audits.get(audit_id, lock=lock)
    if audit is None:
        raise NotFound(f"there is no audit {audit_id}", action=action, audit_id=audit_id)
    try:
        access.require_read(actor, audit)
        editors = access.require_write(actor, audit) if write else access.contributions(actor, audit)
    except NotAllowed as exc:
        raise NotAllowed(str(exc), action=action, audit_id=audit_id) from None
    await uow.access.log(actor, action, audit_id, activity, "ok")
    return audit, editors


async def open_audit(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, page_id: str | None = None, activity: str | None = None
) -> Screen:
    """Continue: the current page to edit, or the read-only view for someone who may only read."""
    audit, editors = await _audit(uow, actor, audit_id, "open", activity)
    page = audit.page_or_first(page_id or audit.current_page)
    if page_id == "review" and editors:
        return await review(uow, actor, audit_id, activity)
    return PageScreen(audit, page, editors, audit.answers)


async def view_audit(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, page_id: str | None = None, activity: str | None = None
) -> PageScreen:
    audit, _ = await _audit(uow, actor, audit_id, "view", activity)
    return PageScreen(audit, audit.page_or_first(page_id), frozenset(), audit.answers)


def _same_answers(audit: AuditView, values: Mapping[str, Value]) -> bool:
    return all(audit.answers.get(k) == v for k, v in values.items())


async def save_page(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    version: int,
    page_id: str,
    submitted: Mapping[str, object],
    direction: int,
    activity: str | None = None,
) -> Screen:
    """Save (0), Next (1) or Back (-1): the page is stored as a draft whatever the direction.

    Valid answers are kept even when others on the page are wrong; the page comes back with
    the errors and everything typed. A card older than the audit never overwrites it."""
    audit, editors = await _audit(uow, actor, audit_id, "write", activity, write=True, lock=True)
    form = audit.form
    if page_id not in {p.id for p in form.pages}:
        raise ValidationFailed(f"'{page_id[:40]}' is not a page of this form")
    checked = check_page(form, page_id, submitted, editors)
    if version != audit.version:
        if not checked.errors and _same_answers(audit, checked.values):
            return _moved(audit, editors, page_id, direction, None)  # a repeated click: already saved
        await uow.access.log(actor, "write", audit_id, activity, "stale")
        return PageScreen(audit, page_id, editors, audit.answers, note=STALE_NOTE)
    page = form.page(page_id)
    page_fields = {f.id for f in page.fields if page.editor_of(f) in editors}
    if not page_fields:  # nothing on this page is theirs to write: move on, write nothing
        note = None if direction else "This page is completed by someone else: nothing of yours to save here."
        return _moved(audit, editors, page_id, direction, note)
    # the page's row keeps the answers others gave on it (a moderator's column, say)
    page_ids = {f.id for f in page.fields}
    stored = {k: v for k, v in audit.answers.items() if k in page_ids}
    cleared = {k for k, raw in submitted.items() if k in page_fields and (raw is None or raw == "")}
    values = {k: v for k, v in {**stored, **checked.values}.items() if k not in cleared}
    moving = direction if not checked.errors else 0
    target = next_page(form, page_id, moving) if moving else page_id
    current = target or page_id
    ok = await uow.audits.save_answers(
        audit_id, version, page_id, values, actor.person_id, current, status_after_save(audit.status).value
    )
    if not ok:
        fresh = await uow.audits.get(audit_id)
        assert fresh is not None
        return PageScreen(fresh, page_id, editors, fresh.answers, note=STALE_NOTE)
    # what the store now holds, without reading it back: the row is locked and its version checked
    saved = replace(
        audit,
        version=audit.version + 1,
        current_page=current,
        status=status_after_save(audit.status),
        answers={**{k: v for k, v in audit.answers.items() if k not in page_ids}, **values},
    )
    if checked.errors:
        shown = {**saved.answers, **{k: v for k, v in submitted.items() if k in checked.errors}}
        return PageScreen(
            saved, page_id, editors, shown, errors=checked.errors, note="The other answers on this page were saved."
        )
    return _moved(saved, editors, page_id, direction, SAVED_NOTE if direction == 0 else None)


def _moved(audit: AuditView, editors: frozenset[Contributor], page_id: str, direction: int, note: str | None) -> Screen:
    target = next_page(audit.form, page_id, direction) if direction else page_id
    if target is None and direction > 0:
        problems = check_submission(audit.form, audit.answers, audit.form.submit_contributors).errors
        return ReviewScreen(audit, editors, problems)
    return PageScreen(audit, target or page_id, editors, audit.answers, note=note)


async def review(uow: AbstractUnitOfWork, actor: Actor, audit_id: int, activity: str | None = None) -> ReviewScreen:
    audit, editors = await _audit(uow, actor, audit_id, "open", activity, write=True)
    problems = check_submission(audit.form, audit.answers, audit.form.submit_contributors).errors
    return ReviewScreen(audit, editors, problems)


async def submit(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    version: int,
    today: date,
    now: datetime,
    settings: Settings,
    activity: str | None = None,
) -> Screen:
    """Submit: the whole form valid; who and when recorded; a Red grade alerts SM and HoS at once."""
    audit = await uow.audits.get(audit_id, lock=True)
    if audit is not None and not audit.is_open and audit.submitted_by_id is not None and access.can_read(actor, audit):
        await uow.access.log(actor, "submit", audit_id, activity, "repeated")
        return SubmittedScreen(audit, tuple(red_sources(audit.form, audit.answers)), audit.pim_due_on, repeated=True)
    audit, editors = await _audit(uow, actor, audit_id, "submit", activity, write=True, loaded=audit)
    if version != audit.version:
        await uow.access.log(actor, "submit", audit_id, activity, "stale")
        problems = check_submission(audit.form, audit.answers, audit.form.submit_contributors).errors
        return ReviewScreen(audit, editors, problems)
    checked = check_submission(audit.form, audit.answers, audit.form.submit_contributors)
    if checked.errors:
        return ReviewScreen(audit, editors, checked.errors)
    grade = final_grade(audit.form, audit.answers)
    if not await uow.audits.submit(audit_id, version, actor.person_id, now, grade):
        raise Conflict("the audit changed while it was being submitted: please open it again")
    submitted = await uow.audits.get(audit_id)
    assert submitted is not None
    reds = tuple(red_sources(audit.form, audit.answers))
    pim_due = await _after_submit(uow, submitted, reds, today, settings)
    return SubmittedScreen(submitted, reds, pim_due)


async def _after_submit(
    uow: AbstractUnitOfWork, audit: AuditView, reds: tuple[str, ...], today: date, settings: Settings
) -> date | None:
    """The consequences of a submission, written with it: alerts, the PIM, the final audit."""
    pim_due: date | None = None
    if audit.form_id == PIM_FORM and audit.parent_audit_id is not None:
        held = audit.answers.get("PIM_held")
        if isinstance(held, str):
            await uow.audits.set_pim_held(audit.parent_audit_id, date.fromisoformat(held))
    if audit.case is None:
        return None
    if reds and audit.form_id == PLC_FORM:
        pim_due = add_working_days(today, settings.pim_working_days)
        await _red_alerts(uow, audit, audit.case, reds, pim_due)
    final = AuditFinal(
        audit.id, audit.case.azeus_number, audit.form.title, audit.final_grade.value if audit.final_grade else ""
    )
    for person in {audit.practitioner_id, audit.second_person_id, audit.case.practice_lead_id} - {None}:
        assert person is not None
        await uow.outbox.add(Notice(f"final:{audit.id}:{person}", person, final))
    practitioner = audit.practitioner_id
    scales = scales_of(audit.form, audit.answers)
    await uow.audits.record_scores(audit.id, overall_grades(audit.form, audit.answers), scales)
    if audit.form_id == PLC_FORM and practitioner is not None and not scales.empty:
        chart = OutcomesChart(audit.id, audit.case.azeus_number)  # the child's outcomes, to use with them
        await uow.outbox.add(Notice(f"outcomes:{audit.id}:{practitioner}", practitioner, chart))
    return pim_due


JUDGEMENTS = {
    "practitioner": "the practitioner's judgement",
    "manager": "the manager's judgement",
    "head_of_service": "the Head of Service's judgement",
    "pim": "the Practice Improvement Meeting",
}


async def _graders(uow: AbstractUnitOfWork, audit: AuditView, reds: tuple[str, ...]) -> str:
    """Each source of the Red with the person who gave it (whoever saved the page its grade is on):
    "the practitioner's judgement (Rowan Demoford) and the manager's judgement (Pat Leadwell)"."""
    form = audit.form
    page_of = {source: form.page_of(form.overall_grades[source]).id for source in reds}
    names = await uow.audits.saved_by(audit.id, set(page_of.values()))
    return " and ".join(
        f"{JUDGEMENTS.get(source, source)} ({names.get(page_of[source], 'not known')})" for source in reds
    )


async def _red_alerts(
    uow: AbstractUnitOfWork, audit: AuditView, case: CaseRef, reds: tuple[str, ...], pim_due: date
) -> None:
    """A Red audit alerts the Service Manager and Head of Service at once (line 759), and the Head of
    Service gets its Practice Improvement Meeting record; with no Head of Service, QA is alerted."""
    graders = await _graders(uow, audit, reds)
    alert = RedAlert(
        audit.id, case.azeus_number, case.team_name, audit.practitioner_name, " and ".join(reds), pim_due, graders
    )
    for person in {case.service_manager_id, case.head_of_service_id} - {None}:
        assert person is not None
        await uow.outbox.add(Notice(f"red:{audit.id}:{person}", person, alert, urgent=True))
    head = case.head_of_service_id
    if head is None:
        for qa in await uow.people.qa_people():
            await uow.outbox.add(Notice(f"red-no-hos:{audit.id}:{qa}", qa, alert, urgent=True))
        return
    pim_id = await uow.audits.create(
        form_id=PIM_FORM,
        case_id=case.case_id,
        practitioner_id=head,
        second_person_id=None,
        due_on=pim_due,
        parent_audit_id=audit.id,
    )
    await uow.audits.set_pim_due(audit.id, pim_due)
    request = PimRequest(pim_id, audit.id, case.azeus_number, case.team_name, pim_due)
    await uow.outbox.add(Notice(f"pim:{audit.id}", head, request, urgent=True))


async def my_audits(uow: AbstractUnitOfWork, actor: Actor) -> AuditList:
    return AuditList(
        tuple(await uow.audits.open_for(actor)), actor.person_id, tuple(await uow.audits.to_moderate(actor.person_id))
    )


async def assign(
    uow: AbstractUnitOfWork,
    actor: Actor,
    case_ref: str,
    person_ref: str,
    second_ref: str | None,
    today: date,
    activity: str | None = None,
) -> Reply:
    """QA starts a Practice Learning Conversation by hand and the start card goes out."""
    access.require_qa(actor, "assign audits")
    case = await uow.people.find_case(case_ref)
    if case is None:
        raise NotFound(f"there is no case '{case_ref}' (cases are named by their Azeus number)")
    person = await uow.people.find_person(person_ref)
    if person is None:
        raise NotFound(f"there is no person '{person_ref}' (use their email, or their id from 'plf people')")
    second = None
    if second_ref is not None:
        second = await uow.people.find_person(second_ref)
        if second is None:
            raise NotFound(f"there is no person '{second_ref}' (use their email, or their id from 'plf people')")
        if second.person_id == person.person_id:
            raise ValidationFailed("the second person must be someone other than the practitioner")
    existing = await uow.audits.open_of(PLC_FORM, case.case_id, person.person_id)
    if existing is not None:
        raise Conflict(f"case {case.azeus_number} is already assigned to {person.name} (audit {existing})")
    due = await uow.audits.cycle_due_on(today)
    audit_id = await uow.audits.create(
        form_id=PLC_FORM,
        case_id=case.case_id,
        practitioner_id=person.person_id,
        second_person_id=second.person_id if second else None,
        due_on=due,
    )
    await uow.access.log(actor, "create", audit_id, activity, "ok")
    start = AuditAssigned(audit_id, case.azeus_number, case.team_name, due)
    for who in [person, second]:
        if who is not None:
            await uow.outbox.add(Notice(f"assigned:{audit_id}:{who.person_id}", who.person_id, start))
    with_whom = f" with {second.name}" if second else ""
    due_text = f", due {due.isoformat()}" if due else ""
    return Reply(
        f"Audit {audit_id} created: case {case.azeus_number} assigned to {person.name}{with_whom}"
        f"{due_text}. The start card is on its way."
    )


async def mark_uploaded(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, now: datetime, activity: str | None = None
) -> Reply:
    access.require_qa(actor, "mark audits as uploaded")
    audit, _ = await _audit(uow, actor, audit_id, "mark_uploaded", activity)
    if audit.status in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS):
        raise Conflict(f"audit {audit_id} has not been submitted yet")
    if audit.uploaded_at is not None:
        return Reply(f"Audit {audit_id} was already recorded as uploaded to Azeus.")
    await uow.audits.mark_uploaded(audit_id, actor.person_id, now)
    return Reply(
        f"Audit {audit_id} (case {audit.case.azeus_number if audit.case else '-'}) is recorded as uploaded to Azeus."
    )


async def unknown_people(uow: AbstractUnitOfWork, actor: Actor) -> UnknownList:
    access.require_qa(actor, "list unknown people")
    return UnknownList(tuple(await uow.access.unknown_senders()))
