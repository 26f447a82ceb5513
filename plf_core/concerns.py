"""Immediate concerns: "If there are immediate concerns the manager must be notified" (every review
form), and a dip sample's Red action "to be completed immediately" (Appendix 13).

Raised from any page of any audit, a concern goes at once (day or night, never in a digest, first in
the outbox's queue) to the case's Practice Lead and Service Manager; with neither, to the Head of
Service and QA. Until someone presses "I'm dealing with this", it climbs: to the Head of Service after
`concern_escalate_minutes` of working time (by the clock when the child may be at risk now), then to the
Director of Operations. Whoever acknowledges is recorded with the time and the person who raised it is
told who has it. Raising one never touches the audit's answers: the page comes back as it was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from plf_core import workflow
from plf_core.audits import AuditView
from plf_core.concern_notices import ConcernAcknowledged, ImmediateConcern
from plf_core.concern_ports import ConcernBox, ConcernRow, NewConcern
from plf_core.errors import NotAllowed, NotFound
from plf_core.framework_config import Framework
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import Role
from plf_core.workflow import PageScreen, ReviewScreen, authorised_audit, editable_fields
from plf_core.working_days import Hours

TEXT = "concern_text"  # the card's inputs: what the concern is, and whether the child may be at risk now
AT_RISK = "concern_at_risk"
INPUTS = (TEXT, AT_RISK)
MAX_TEXT = 2000
TRUE = {True, "true", "True", "yes", "on", "1"}


@dataclass(frozen=True)
class ConcernScreen:
    """A concern as its recipient sees it after pressing "I'm dealing with this"."""

    concern: ConcernRow
    note: str
    mine: bool  # the viewer is the one who has it
    zone: ZoneInfo


def page_inputs(inputs: Mapping[str, object]) -> dict[str, object]:
    """A page's own inputs: a card's concern box travels with every button of the page, and is not an answer."""
    return {k: v for k, v in inputs.items() if k not in INPUTS}


def described(inputs: Mapping[str, object]) -> tuple[str, bool, str | None]:
    """The concern as typed, whether the child may be at risk now, and what is wrong with it (None if nothing)."""
    raw = inputs.get(TEXT)
    text = raw.strip() if isinstance(raw, str) else ""
    at_risk = inputs.get(AT_RISK) in TRUE
    if not text:
        return text, at_risk, "Say what the concern is: nothing was sent. What you typed on the page is still here."
    if len(text) > MAX_TEXT:
        return text, at_risk, f"At most {MAX_TEXT} characters (this is {len(text)}): nothing was sent yet."
    return text, at_risk, None


def first_escalation(framework: Framework, hours: Hours, raised: datetime, at_risk: bool) -> datetime:
    return after(framework.concern_escalate_minutes, hours, raised, at_risk)


def after(minutes: int, hours: Hours, moment: datetime, at_risk: bool) -> datetime:
    if at_risk:  # a child who may be at risk now does not wait for the morning
        return moment + timedelta(minutes=minutes)
    return hours.add_working_minutes(moment, minutes)


async def first_recipients(uow: AbstractUnitOfWork, row: ConcernRow) -> tuple[list[int], str]:
    """The case's Practice Lead and Service Manager, but not whoever raised it; with neither, its Head of
    Service and QA (and why). Nobody is sent their own concern."""
    leaders = [p for p in (row.practice_lead_id, row.service_manager_id) if p is not None]
    others = [p for p in dict.fromkeys(leaders) if p != row.raised_by_id]
    if others:
        return others, ""
    fallback = [*([row.head_of_service_id] if row.head_of_service_id else []), *await uow.people.qa_people()]
    people = [p for p in dict.fromkeys(fallback) if p != row.raised_by_id]
    if leaders:
        return people, "it was raised by the case's own manager"
    return people, "the case has no Practice Lead or Service Manager in the directory"


async def named(uow: AbstractUnitOfWork, row: ConcernRow, people: list[int]) -> str:
    """ "Gale Stubworth (Practice Lead) and Dune Mockridge (Service Manager)": each with their part in the case."""
    names = await uow.people.people_names(people)
    parts = [
        f"{names.get(p, 'someone')} ({role})" if (role := role_in(row, p)) else names.get(p, "someone") for p in people
    ]
    return (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else (parts[0] if parts else "nobody")


def role_in(row: ConcernRow, person: int | None) -> str | None:
    """A person's part in the concern's case, if they have one."""
    for leader, role in (
        (row.practice_lead_id, "Practice Lead"),
        (row.service_manager_id, "Service Manager"),
        (row.head_of_service_id, "Head of Service"),
    ):
        if person is not None and person == leader:
            return role
    return None


def local(moment: datetime, zone: ZoneInfo, form: str = "%H:%M on %a %d %b") -> str:
    """A time as staff read it, in the framework's zone: "22:00 on Thu 03 Dec"."""
    return moment.astimezone(zone).strftime(form)


async def send(uow: AbstractUnitOfWork, row: ConcernRow, people: list[int], reason: str, zone: ZoneInfo) -> None:
    notice = ImmediateConcern(
        row.concern_id,
        row.audit_id or 0,
        row.case_ref or "",
        row.team_name,
        raised_by(row),
        local(row.raised_at, zone, "%a %d %b %Y, %H:%M"),
        where_raised(row),
        row.description,
        "yes" if row.at_risk_now else "",
        row.level,
        reason,
    )
    for person in people:
        await uow.outbox.add(Notice(f"concern:{row.concern_id}:{row.level}:{person}", person, notice, urgent=True))


FAMILY = ("a child or young person", "a parent or carer")  # who raised it from the feedback page
FAMILY_PAGE = "feedback"  # the page_id of a concern a family's answer raised: "feedback:child", "feedback:parent"


def raised_by_family(row: ConcernRow) -> str | None:
    """ "a parent or carer" when a family's answer on the feedback page raised it (page "feedback:parent")."""
    kind, _, audience = (row.page_id or "").partition(":")
    if kind != FAMILY_PAGE or row.audit_id is not None:
        return None
    return FAMILY[0] if audience == "child" else FAMILY[1]


def raised_by(row: ConcernRow) -> str:
    return row.raised_by_name or raised_by_family(row) or "QA"


def where_raised(row: ConcernRow) -> str:
    family = raised_by_family(row)
    if family is not None:
        return "the feedback page: their answer held words that may mean a child is not safe"
    if row.dip_sample_id is not None and row.audit_id is None:
        return f"dip sample {row.dip_sample_id}: an action rated Red"
    if row.form_id is None:
        return "an audit"
    from plf_core.forms.registry import get_form

    form = get_form(row.form_id)
    pages = [p.id for p in form.pages]
    page = f", page {pages.index(row.page_id) + 1} of {len(pages)}" if row.page_id in pages else ""
    page = ", its review before submitting" if row.page_id == "review" else page
    return f"{form.title} (audit {row.audit_id}){page}"


async def raise_from_page(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    page_id: str | None,
    inputs: Mapping[str, object],
    now: datetime,
    timing: tuple[Framework, Hours],
    activity: str | None,
) -> PageScreen | ReviewScreen:
    """From the concern box of a page: the page comes back exactly as typed (nothing of it saved or lost),
    with where the concern went, or why it was not sent and the concern as typed."""
    audit, editors = await authorised_audit(uow, actor, audit_id, "view", activity)
    if inputs.get("view") == "read":  # raised from the read-only view: it comes back read-only
        editors = frozenset()
    if page_id == "review" and editors:
        return await _raise_from_review(uow, actor, audit, inputs, now, timing, activity)
    page = audit.page_or_first(page_id)
    mine = editable_fields(audit.form.page(page), editors)
    typed = {**audit.answers, **{k: v for k, v in inputs.items() if k in mine}}
    text, at_risk, problem = described(inputs)
    if problem:
        await uow.access.log(actor, "concern.raise", audit.id, activity, "incomplete")
        return PageScreen(audit, page, editors, typed, concern=ConcernBox(text, at_risk, problem))
    framework, hours = timing
    due = first_escalation(framework, hours, now, at_risk)
    note = await raise_on_audit(uow, actor, audit, page, text, at_risk, now, due, activity, hours)
    unsaved = " Nothing on this page was saved: press Save to keep what you typed." if typed != audit.answers else ""
    return PageScreen(audit, page, editors, typed, note=note + unsaved, concern=ConcernBox(sent=True))


async def _raise_from_review(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit: AuditView,
    inputs: Mapping[str, object],
    now: datetime,
    timing: tuple[Framework, Hours],
    activity: str | None,
) -> ReviewScreen:
    """From the review before submitting: the review again, with where the concern went (or why not)."""
    review = await workflow.review(uow, actor, audit.id, activity)
    text, at_risk, problem = described(inputs)
    if problem:
        await uow.access.log(actor, "concern.raise", audit.id, activity, "incomplete")
        return replace(review, concern=ConcernBox(text, at_risk, problem.split(" What you typed")[0]))
    framework, hours = timing
    due = first_escalation(framework, hours, now, at_risk)
    note = await raise_on_audit(uow, actor, audit, "review", text, at_risk, now, due, activity, hours)
    return replace(review, note=note, concern=ConcernBox(sent=True))


async def raise_on_audit(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit: AuditView,
    page_id: str,
    text: str,
    at_risk: bool,
    now: datetime,
    due: datetime,
    activity: str | None,
    hours: Hours,
) -> str:
    """The concern stored and sent; what the person who raised it is told."""
    case = audit.case
    new = NewConcern(
        text, at_risk, actor.person_id, now, due, case.case_id if case else None, audit.id, page_id,
        area_id=case.service_area_id if case else None,
    )  # fmt: skip
    concern_id = await uow.concerns.add(new)
    await uow.access.log(actor, "concern.raise", audit.id, activity, "ok")
    row = await uow.concerns.get(concern_id)
    assert row is not None
    people, reason = await first_recipients(uow, row)
    await send(uow, row, people, reason, hours.zone)
    sent_to = await named(uow, row, people)
    then = f" If nobody says they have it by {local(due, hours.zone)}, it goes to the Head of Service."
    return f"Your concern has gone to {sent_to}" + (f": {reason}." if reason else ".") + then


async def acknowledge(
    uow: AbstractUnitOfWork, actor: Actor, concern_id: int, now: datetime, zone: ZoneInfo, activity: str | None
) -> ConcernScreen:
    """ "I'm dealing with this": recorded once, with the time; the person who raised it is told who has it."""
    row = await uow.concerns.get(concern_id, lock=True)
    if row is None:
        raise NotFound(f"there is no concern {concern_id}", action="concern.ack")
    if not may_handle(actor, row):
        raise NotAllowed(
            f"concern {concern_id} is about a case outside your service area: it was not recorded as yours",
            action="concern.ack",
            audit_id=row.audit_id,
        )
    if row.raised_by_id == actor.person_id and row.acknowledged_by_id is None:
        note = "You raised this concern: one of the managers it went to takes it on, and you are told who."
        return ConcernScreen(row, note, False, zone)
    if row.acknowledged_by_id is not None:
        mine = row.acknowledged_by_id == actor.person_id
        who = "You have" if mine else f"{row.acknowledged_by_name} has"
        at = f" since {local(row.acknowledged_at, zone)}" if row.acknowledged_at else ""
        return ConcernScreen(row, f"{who} had this concern{at}: nothing changed.", mine, zone)
    await uow.concerns.acknowledge(concern_id, actor.person_id, now)
    await uow.access.log(actor, "concern.ack", row.audit_id, activity, "ok")
    after = await uow.concerns.get(concern_id)
    assert after is not None
    role = _role_of(actor, after)
    if row.raised_by_id is not None and row.raised_by_id != actor.person_id:
        raised = f"raised {local(row.raised_at, zone)} from {where_raised(row)}"
        told = ConcernAcknowledged(concern_id, row.case_ref or "", f"{actor.name} ({role})", local(now, zone), raised)
        await uow.outbox.add(Notice(f"concern-ack:{concern_id}", row.raised_by_id, told, urgent=True))
    told_whom = "the person who raised it has been told" if row.raised_by_id else "it is recorded as yours"
    return ConcernScreen(after, f"You have this concern: {told_whom}.", True, zone)


def may_handle(actor: Actor, row: ConcernRow) -> bool:
    """Its leaders, the managers of its service area, the Director of Operations and QA; nobody else."""
    if actor.person_id in {row.practice_lead_id, row.service_manager_id, row.head_of_service_id}:
        return True
    if actor.is_qa or actor.has(Role.DIRECTOR_OF_OPERATIONS):
        return True
    area = row.area_id
    return area is not None and (area in actor.managed_area_ids or area in actor.headed_area_ids)


def _role_of(actor: Actor, row: ConcernRow) -> str:
    if role := role_in(row, actor.person_id):
        return role
    if actor.has(Role.DIRECTOR_OF_OPERATIONS):
        return "Director of Operations"
    return "QA" if actor.is_qa else "manager"
