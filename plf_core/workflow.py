"""The audit workflow's use cases: small async functions over a unit of work (plf_core.ports).

Each runs inside one unit of work (the caller commits), checks authorisation first, writes
the access log, and returns a screen for the edge to render: nothing here knows about Teams.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from plf_core import access
from plf_core.action_plans import track_actions
from plf_core.audits import (
    AuditView,
    continue_page,
    final_grade,
    next_page,
    red_sources,
    status_after_save,
)
from plf_core.concern_ports import ConcernBox
from plf_core.errors import Conflict, Contended, NotAllowed, NotFound, ValidationFailed
from plf_core.forms.model import Contributor, Page
from plf_core.forms.validation import check_page, check_submission
from plf_core.handoff import handed_on, tell_the_next
from plf_core.page_merge import conflict_message, merge_page
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, UnknownSender
from plf_core.submission import after_submit
from plf_core.vocabulary import AuditStatus

STALE_SUBMIT_NOTE = (
    "Nothing was submitted: someone saved answers to this audit after this card was made. "
    "Here are the answers as they are now: check them and press Submit again."
)
CONFLICT_NOTE = "Saved, except where someone else changed the same answer meanwhile: see below."
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
    concern: ConcernBox | None = None  # the "Raise an immediate concern" box, after it was used

    @property
    def read_only(self) -> bool:
        return not self.editors


@dataclass(frozen=True)
class ReviewScreen:
    audit: AuditView
    editors: frozenset[Contributor]
    problems: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None
    #: for someone whose part is complete while others' is not: who will finish what
    handed_on: str | None = None
    concern: ConcernBox | None = None  # the "Raise an immediate concern" box, after it was used


@dataclass(frozen=True)
class SubmittedScreen:
    audit: AuditView
    red_by: tuple[str, ...] = ()
    pim_due_on: date | None = None
    repeated: bool = False
    actions: int = 0  # actions of its plan now tracked (each owner sent theirs)


@dataclass(frozen=True)
class AuditList:
    audits: tuple[AuditView, ...]
    viewer_id: int | None = None
    to_moderate: tuple[AuditView, ...] = ()

    def role_in(self, audit: AuditView) -> str:
        """How the viewer takes part in an audit of the list, in words (a Head of Service holding a PIM
        record is its chair, not "the practitioner")."""
        if audit.practitioner_id == self.viewer_id:
            return MAIN_ROLES.get(audit.main_contributor, "author")
        if audit.second_person_id == self.viewer_id:
            return "Practice Lead" if audit.main_contributor is Contributor.PRACTITIONER else "moderator"
        form = audit.form
        if any(p.editor_of(f) is Contributor.MANAGER for p in form.pages for f in p.fields):
            return "manager"  # the team's Practice Lead or the area's Service Manager writes the manager's part
        return "team's manager, reading it"  # a PIM record the Head of Service chairs, say: nothing to write


MAIN_ROLES = {
    Contributor.PRACTITIONER: "practitioner",
    Contributor.REVIEWER: "reviewer",
    Contributor.PIM_CHAIR: "chair of the Practice Improvement Meeting",
    Contributor.SUPERVISEE: "supervisee",
    Contributor.QA: "QA officer",
}


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class UnknownList:
    senders: tuple[UnknownSender, ...]


Screen = PageScreen | ReviewScreen | SubmittedScreen | AuditList | Reply | UnknownList


async def authorised_audit(
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
    audit, editors = await authorised_audit(uow, actor, audit_id, "open", activity)
    page = audit.page_or_first(page_id) if page_id or not editors else continue_page(audit, editors)
    if page_id == "review" and editors:
        return await review(uow, actor, audit_id, activity)
    return PageScreen(audit, page, editors, audit.answers)


async def view_audit(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, page_id: str | None = None, activity: str | None = None
) -> PageScreen:
    audit, _ = await authorised_audit(uow, actor, audit_id, "view", activity)
    return PageScreen(audit, audit.page_or_first(page_id), frozenset(), audit.answers)


#: The direction of "Save and review": the page is saved and the review comes next.
TO_REVIEW = 2


async def save_page(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    version: int,
    page_id: str,
    submitted: Mapping[str, object],
    direction: int,
    activity: str | None = None,
    today: date | None = None,
) -> Screen:
    """Save (0), Next (1) or Back (-1): the page is stored as a draft whatever the direction.

    Valid answers are kept even when others on the page are wrong; the page comes back with
    the errors and everything typed. A save that changes nothing writes nothing. A card older
    than the audit conflicts only where someone else changed the same field since: then the
    page comes back with both values, what this person typed kept in the box."""
    audit, editors = await authorised_audit(uow, actor, audit_id, "write", activity, write=True, lock=True)
    form = audit.form
    if page_id not in {p.id for p in form.pages}:
        raise ValidationFailed(f"'{page_id[:40]}' is not a page of this form")
    page = form.page(page_id)
    _refuse_others_fields(page, submitted, editors, audit_id)
    checked = check_page(form, page_id, submitted, editors, today, audit.answers)
    page_fields = editable_fields(page, editors)
    if not page_fields:  # nothing on this page is theirs to write: move on, write nothing
        note = None if direction else "This page is completed by someone else: nothing of yours to save here."
        return _moved(audit, editors, page_id, direction, note)
    # the page's row keeps the answers others gave on it (a moderator's column, say)
    page_ids = {f.id for f in page.fields}
    stored = {k: v for k, v in audit.answers.items() if k in page_ids}
    cleared = {k for k, raw in submitted.items() if k in page_fields and (raw is None or raw == "")}
    typed = {k: v for k, v in {**stored, **checked.values}.items() if k not in cleared}
    conflicts: dict[str, str] = {}
    if version != audit.version:  # others saved since this card: keep what they changed that this did not
        base = await uow.audits.page_answers_at(audit_id, page_id, version)
        typed, theirs = merge_page(page_fields, base, stored, typed)
        if theirs:
            await uow.access.log(actor, "write", audit_id, activity, "conflict")
            who = (await uow.audits.saved_by(audit_id, [page_id])).get(page_id, "Someone")
            who = "You (on another card)" if who == actor.name else who
            conflicts = {k: conflict_message(who, v) for k, v in theirs.items()}
    if typed == stored:  # nothing changed: nothing written, the version stays
        return _after_save(audit, editors, page_id, submitted, checked.errors, conflicts, direction)
    moving = direction if not (checked.errors or conflicts) else 0
    current = (next_page(form, page_id, moving, editors) if moving in (-1, 1) else None) or page_id
    status = status_after_save(audit.status)
    if not await uow.audits.save_answers(
        audit_id, audit.version, page_id, typed, actor.person_id, current, status.value
    ):
        raise Contended("the audit changed while it was being saved: please press Save again")
    # what the store now holds, without reading it back: the row is locked and its version checked
    others = {k: v for k, v in audit.answers.items() if k not in page_ids}
    saved = replace(audit, version=audit.version + 1, current_page=current, status=status, answers={**others, **typed})
    await tell_the_next(uow, audit, saved, editors, actor.name)
    return _after_save(saved, editors, page_id, submitted, checked.errors, conflicts, direction)


def editable_fields(page: Page, editors: frozenset[Contributor]) -> set[str]:
    """The fields of a page these contributors write."""
    return {f.id for f in page.fields if page.editor_of(f) in editors}


def _refuse_others_fields(
    page: Page, submitted: Mapping[str, object], editors: frozenset[Contributor], audit_id: int
) -> None:
    """A card only offers a person their own fields: a save naming another contributor's is forged
    (or from a card made before their part changed). Nothing of it is stored; the refusal is logged."""
    for f in page.fields:
        if f.id in submitted and f.prefilled_from is None and page.editor_of(f) not in editors:
            who = page.editor_of(f).value.replace("_", " ")
            raise NotAllowed(
                f"'{f.ref or f.short}' is for the {who} to answer, not you: nothing on this page was saved. "
                "Open the audit again from 'my audits' for a card with your own questions",
                action="write",
                audit_id=audit_id,
            )


def _after_save(
    audit: AuditView,
    editors: frozenset[Contributor],
    page_id: str,
    submitted: Mapping[str, object],
    errors: Mapping[str, str],
    conflicts: Mapping[str, str],
    direction: int,
) -> Screen:
    """The page again with its problems (what was typed kept in the boxes), or where the person goes."""
    if not errors and not conflicts:
        return _moved(audit, editors, page_id, direction, SAVED_NOTE if direction == 0 else None)
    shown = {**audit.answers, **{k: v for k, v in submitted.items() if k in errors or k in conflicts}}
    problems = {**errors, **conflicts}
    note = "The other answers on this page were saved." if errors else CONFLICT_NOTE
    return PageScreen(audit, page_id, editors, shown, errors=problems, note=note)


def _moved(audit: AuditView, editors: frozenset[Contributor], page_id: str, direction: int, note: str | None) -> Screen:
    if direction == TO_REVIEW:  # after an Edit from the review: saved, and straight back to it
        return _review_screen(audit, editors)
    target = next_page(audit.form, page_id, direction, editors) if direction else page_id
    if target is None and direction > 0:
        return _review_screen(audit, editors)
    return PageScreen(audit, target or page_id, editors, audit.answers, note=note)


def _review_screen(audit: AuditView, editors: frozenset[Contributor], note: str | None = None) -> ReviewScreen:
    problems = check_submission(audit.form, audit.answers, audit.form.submit_contributors).errors
    return ReviewScreen(audit, editors, problems, note, handed_on(audit, editors))


async def review(uow: AbstractUnitOfWork, actor: Actor, audit_id: int, activity: str | None = None) -> ReviewScreen:
    audit, editors = await authorised_audit(uow, actor, audit_id, "open", activity, write=True)
    return _review_screen(audit, editors)


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
    audit, editors = await authorised_audit(uow, actor, audit_id, "submit", activity, write=True, loaded=audit)
    if version != audit.version:
        await uow.access.log(actor, "submit", audit_id, activity, "stale")
        return _review_screen(audit, editors, STALE_SUBMIT_NOTE)
    checked = check_submission(audit.form, audit.answers, audit.form.submit_contributors)
    if checked.errors:
        return _review_screen(audit, editors)
    grade = final_grade(audit.form, audit.answers)
    if not await uow.audits.submit(audit_id, version, actor.person_id, now, grade):
        raise Conflict("the audit changed while it was being submitted: please open it again")
    submitted = await uow.audits.get(audit_id)
    assert submitted is not None
    reds = tuple(red_sources(audit.form, audit.answers))
    pim_due = await after_submit(uow, submitted, reds, today, settings.pim_working_days)
    return SubmittedScreen(submitted, reds, pim_due, actions=await track_actions(uow, submitted, now))


async def my_audits(uow: AbstractUnitOfWork, actor: Actor) -> AuditList:
    return AuditList(
        tuple(await uow.audits.open_for(actor)), actor.person_id, tuple(await uow.audits.to_moderate(actor.person_id))
    )


async def mark_uploaded(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, now: datetime, activity: str | None = None
) -> Reply:
    access.require_qa(actor, "mark audits as uploaded")
    audit, _ = await authorised_audit(uow, actor, audit_id, "mark_uploaded", activity)
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
