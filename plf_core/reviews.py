"""Thematic practice reviews (Appendices 3 and 6) and supervision reviews (Appendices 10-12).

A thematic review goes to a Practice Learning Reviewer with a theme, a focus and a deadline;
its moderator (the second person) fills in the moderator columns. A supervision review goes
to a reviewer for a supervisor's records (once a year, Appendix 12), and the supervisee's
evaluation (Appendix 11) goes to the supervisee, linked to the review.
"""

from __future__ import annotations

from datetime import date

from plf_core import access
from plf_core.errors import NotFound, ValidationFailed
from plf_core.forms.validation import Value
from plf_core.notices import ReviewAssigned
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice, PersonSummary
from plf_core.vocabulary import AuditStatus
from plf_core.workflow import Reply

THEMATIC_CIN_CP = "thematic_cin_cp"
THEMATIC_CLA = "thematic_cla_care_leavers"
SUPERVISION = "supervision_review"
SUPERVISEE = "supervisee_evaluation"
MAX_THEME = 200
MAX_FOCUS = 2000


async def person_named(uow: AbstractUnitOfWork, ref: str) -> PersonSummary:
    """A person by their name as the directory has it (any case or spacing), email or id; two of one
    name, or none, is said with what to type instead."""
    found = await uow.people.find_people(ref)
    if len(found) == 1:
        return found[0]
    if found:
        emails = " or ".join(p.email for p in found[:3])
        raise ValidationFailed(
            f"{len(found)} people are called {found[0].name}: use the email of the one you mean ({emails})"
        )
    similar = await uow.people.similar_names(" ".join(ref.split()))
    hint = f" Did you mean {' or '.join(similar)}?" if similar else ""
    raise NotFound(f"there is no person '{ref[:80]}'.{hint} Type their name as the directory has it, or their email")


_person = person_named


async def _seed(uow: AbstractUnitOfWork, audit_id: int, page: str, values: dict[str, Value], by: int) -> None:
    """Answers the assignment already knows (theme, focus, deadline, names) go in as a first draft."""
    saved = await uow.audits.save_answers(audit_id, 1, page, values, by, page, AuditStatus.ASSIGNED.value)
    assert saved


async def assign_thematic(
    uow: AbstractUnitOfWork,
    actor: Actor,
    case_ref: str,
    reviewer_ref: str,
    due: date,
    theme: str,
    focus: str | None,
    moderator_ref: str | None,
    today: date,
    activity: str | None = None,
) -> Reply:
    access.require_qa(actor, "assign thematic reviews")
    theme = " ".join(theme.split())
    if not theme or len(theme) > MAX_THEME:
        raise ValidationFailed(f"a thematic review needs a theme of at most {MAX_THEME} characters")
    if focus is not None and len(focus) > MAX_FOCUS:
        raise ValidationFailed(f"the focus is at most {MAX_FOCUS:,} characters")
    if due < today:
        raise ValidationFailed(f"the deadline {due.isoformat()} has passed")
    case = await uow.people.find_case(case_ref)
    if case is None:
        raise NotFound(f"there is no case '{case_ref}' (cases are named by their Azeus number)")
    reviewer = await _person(uow, reviewer_ref)
    moderator = await _person(uow, moderator_ref) if moderator_ref else None
    if moderator is not None and moderator.person_id == reviewer.person_id:
        raise ValidationFailed("the moderator must be someone other than the reviewer")
    cohort = await uow.people.case_cohort(case.case_id)
    form_id = THEMATIC_CLA if cohort in ("cla", "care_leaver") else THEMATIC_CIN_CP
    audit_id = await uow.audits.create(
        form_id=form_id,
        case_id=case.case_id,
        practitioner_id=reviewer.person_id,
        second_person_id=moderator.person_id if moderator else None,
        due_on=due,
    )
    seeded: dict[str, Value] = {"T_theme": theme, "T_deadline": due.isoformat()}
    if focus:
        seeded["T_focus"] = focus.strip()
    await _seed(uow, audit_id, "header", seeded, actor.person_id)
    await uow.access.log(actor, "create", audit_id, activity, "ok")
    assigned = ReviewAssigned(audit_id, form_id, case.azeus_number, theme, due)
    for person in [reviewer, *([moderator] if moderator else [])]:
        await uow.outbox.add(Notice(f"review:{audit_id}:{person.person_id}", person.person_id, assigned))
    kind = "CLA & Care Leavers" if form_id == THEMATIC_CLA else "CiN & CP"
    with_whom = f", moderated by {moderator.name}" if moderator else ""
    return Reply(
        f"Thematic review {audit_id} ({kind}) of case {case.azeus_number} assigned to {reviewer.name}{with_whom}, "
        f"theme '{theme}', due {due.isoformat()}."
    )


async def assign_supervision(
    uow: AbstractUnitOfWork,
    actor: Actor,
    supervisor_ref: str,
    reviewer_ref: str,
    supervisee_ref: str | None,
    due: date | None,
    activity: str | None = None,
) -> Reply:
    """Part 1 to the reviewer; part 2 (the supervisee's evaluation) to the supervisee, linked."""
    access.require_qa(actor, "assign supervision reviews")
    supervisor = await _person(uow, supervisor_ref)
    reviewer = await _person(uow, reviewer_ref)
    supervisee = await _person(uow, supervisee_ref) if supervisee_ref else None
    if reviewer.person_id == supervisor.person_id:
        raise ValidationFailed("a supervisor cannot review their own supervision records")
    review_id = await uow.audits.create(
        form_id=SUPERVISION, case_id=None, practitioner_id=reviewer.person_id, second_person_id=None, due_on=due
    )
    await _seed(uow, review_id, "header", {"SR_staff": supervisor.name}, actor.person_id)
    await uow.audits.set_subject(review_id, supervisor.person_id)  # once a year per supervisor (Appendix 12)
    await uow.access.log(actor, "create", review_id, activity, "ok")
    assigned = ReviewAssigned(review_id, SUPERVISION, "", f"supervision by {supervisor.name}", due)
    await uow.outbox.add(Notice(f"review:{review_id}:{reviewer.person_id}", reviewer.person_id, assigned))
    text = f"Supervision review {review_id} of {supervisor.name}'s supervision records assigned to {reviewer.name}"
    if supervisee is not None:
        evaluation_id = await uow.audits.create(
            form_id=SUPERVISEE,
            case_id=None,
            practitioner_id=supervisee.person_id,
            second_person_id=None,
            due_on=due,
            parent_audit_id=review_id,
        )
        await _seed(uow, evaluation_id, "header", {"SE_reviewer": reviewer.name}, actor.person_id)
        await uow.access.log(actor, "create", evaluation_id, activity, "ok")
        await uow.outbox.add(
            Notice(
                f"review:{evaluation_id}:{supervisee.person_id}",
                supervisee.person_id,
                ReviewAssigned(evaluation_id, SUPERVISEE, "", "your supervision", due),
            )
        )
        text += f"; {supervisee.name}'s evaluation (part 2) is audit {evaluation_id}, linked to it"
    return Reply(text + ". Supervision records are reviewed once a year (Appendix 12).")
