"""QA assigns a Practice Learning Conversation the way people talk, and anyone opens an audit by its case.

People are named as typed: a name, an email or an id. Two people with one name, a mistyped name,
or a case of another team's are asked about first (AskFirst), and nothing is written until then.
"""

from __future__ import annotations

from datetime import date

from plf_core import access, periods
from plf_core.audits import PLC_FORM, CaseRef
from plf_core.errors import Answer, AskFirst, Conflict, NotFound, ValidationFailed
from plf_core.notices import AuditAssigned
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice, PersonSummary
from plf_core.workflow import AuditList, Reply, Screen, open_audit

ANYWAY = " anyway"


async def person(uow: AbstractUnitOfWork, ref: str) -> PersonSummary:
    """The one person `ref` names; a choice of buttons when it names several or nobody quite."""
    found = await uow.people.find_people(ref)
    if len(found) == 1:
        return found[0]
    if found:
        answers = tuple(Answer(p.name, _who(p), ref, p.email) for p in found)
        raise AskFirst(
            f"Which {found[0].name}?", f"{len(found)} people are called {found[0].name}: which one?", answers
        )
    close = [p for name in await uow.people.similar_names(ref) for p in await uow.people.find_people(name)]
    if close:
        answers = tuple(Answer(p.name, _who(p), ref, p.email) for p in close)
        raise AskFirst("Who did you mean?", f"There is nobody called '{ref[:60]}'. Did you mean …", answers)
    raise NotFound(f"there is nobody called '{ref[:60]}' (type their name as Teams shows it, their email, or their id)")


def _who(p: PersonSummary) -> str:
    return " · ".join([p.team_name or "no team", *p.roles])


async def _second_person(uow: AbstractUnitOfWork, case: CaseRef, practitioner: PersonSummary) -> int | None:
    """By default, the practitioner's Practice Lead (their team's; else the case team's)."""
    for team in (practitioner.team_id, case.team_id):
        lead = (await uow.people.team_leaders(team)).practice_lead_id if team is not None else None
        if lead is not None and lead != practitioner.person_id:
            return lead
    return None


async def assign(
    uow: AbstractUnitOfWork,
    actor: Actor,
    case_ref: str,
    person_ref: str,
    second_ref: str | None,
    today: date,
    activity: str | None = None,
    *,
    anyway: bool = False,
) -> Reply:
    """QA starts a Practice Learning Conversation by hand and the start cards go out."""
    access.require_qa(actor, "assign audits")
    case = await uow.people.find_case(case_ref)
    if case is None:
        raise NotFound(
            f"there is no case '{case_ref[:40]}' (cases are named by their Azeus number, such as DEMO-900100)"
        )
    practitioner = await person(uow, person_ref)
    second = await person(uow, second_ref) if second_ref is not None else None
    if second is not None and second.person_id == practitioner.person_id:
        raise ValidationFailed("the second person must be someone other than the practitioner")
    second_id = second.person_id if second else await _second_person(uow, case, practitioner)
    if practitioner.team_id != case.team_id and not anyway:
        theirs = f"works in {practitioner.team_name}" if practitioner.team_name else "is in no team"
        raise AskFirst(
            "Another team's case?",
            f"Case {case.azeus_number} is held by {case.team_name}, and {practitioner.name} {theirs}. "
            "A Practice Learning Conversation is normally with the case's own social worker. Assign it anyway?",
            (Answer("Assign anyway", add=ANYWAY),),
        )
    existing = await uow.audits.open_of(PLC_FORM, case.case_id, practitioner.person_id)
    if existing is not None:
        raise Conflict(f"case {case.azeus_number} is already assigned to {practitioner.name} (audit {existing})")
    due = await uow.audits.cycle_due_on(today)
    audit_id = await uow.audits.create(
        form_id=PLC_FORM,
        case_id=case.case_id,
        practitioner_id=practitioner.person_id,
        second_person_id=second_id,
        due_on=due,
    )
    await uow.access.log(actor, "create", audit_id, activity, "ok")
    names = await uow.people.people_names([p for p in (practitioner.person_id, second_id) if p is not None])
    second_name = names.get(second_id, "") if second_id is not None else ""
    for who, reader, other in (
        (practitioner.person_id, "practitioner", second_name),
        (second_id, "second", practitioner.name),
    ):
        if who is not None:
            start = AuditAssigned(audit_id, case.azeus_number, case.team_name, due, reader, other)
            await uow.outbox.add(Notice(f"assigned:{audit_id}:{who}", who, start))
    told = " and ".join(names[p] for p in (practitioner.person_id, second_id) if p is not None)
    with_whom = f", with {second_name} as second person" + ("" if second else " (their Practice Lead)")
    return Reply(
        f"Audit {audit_id} created: case {case.azeus_number} ({case.team_name}) assigned to {practitioner.name}"
        f"{with_whom if second_name else ', with no second person'}, "
        f"due {periods.staff_date(due) if due else 'with no due date (no cycle covers today)'}. "
        f"The start card is on its way to {told}."
    )


async def open_case(uow: AbstractUnitOfWork, actor: Actor, case_ref: str, activity: str | None = None) -> Screen:
    """`open DEMO-900100`: the case's open audit this person may see (a list when there are several)."""
    case = await uow.people.find_case(case_ref)
    if case is None:
        raise NotFound(
            f"there is no case or audit '{case_ref[:40]}' (an audit by its number, a case by its Azeus number)"
        )
    mine = [a for a in await uow.audits.open_on_case(case.case_id) if access.can_read(actor, a)]
    if not mine:
        raise NotFound(f"case {case.azeus_number} has no open audit you can open")
    if len(mine) == 1:
        return await open_audit(uow, actor, mine[0].id, activity=activity)
    return AuditList(tuple(mine), actor.person_id, ())
