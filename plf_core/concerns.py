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
from plf_core.concern_notices import LEVELS, ConcernAcknowledged, ImmediateConcern
from plf_core.concern_ports import ConcernBox, ConcernRow, NewConcern
from plf_core.errors import NotAllowed, NotFound
from plf_core.framework_config import Framework
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import Role
from plf_core.workflow import PageScreen, ReviewScreen, _audit
from plf_core.working_days import Hours

TEXT = "concern_text"  # the card's inputs: what the concern is, and whether the child may be at risk now
AT_RISK = "concern_at_risk"
INPUTS = (TEXT, AT_RISK)
MAX_TEXT = 2000
TRUE = {True, "true", "True", "yes", "on", "1"}
TOP_LEVEL = 2
ESCALATIONS_PER_SWEEP = 200


@dataclass(frozen=True)
class ConcernList:
    """`concerns`: the open ones first, then those acknowledged, with the time each took."""

    rows: tuple[ConcernRow, ...]
    scope: str
    days: int
    now: datetime
    zone: ZoneInfo
    more: bool = False  # older ones than those listed


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
    return _after(framework.concern_escalate_minutes, hours, raised, at_risk)


def _after(minutes: int, hours: Hours, moment: datetime, at_risk: bool) -> datetime:
    if at_risk:  # a child who may be at risk now does not wait for the morning
        return moment + timedelta(minutes=minutes)
    return hours.add_working_minutes(moment, minutes)


async def first_recipients(uow: AbstractUnitOfWork, row: ConcernRow) -> tuple[list[int], str]:
    """The case's Practice Lead and Service Manager; with neither, its Head of Service and QA (and why)."""
    leaders = [p for p in (row.practice_lead_id, row.service_manager_id) if p is not None]
    if leaders:
        return sorted(set(leaders)), ""
    others = {*([row.head_of_service_id] if row.head_of_service_id else []), *await uow.people.qa_people()}
    return sorted(others), "the case has no Practice Lead or Service Manager in the directory"


def local(moment: datetime, zone: ZoneInfo, form: str = "%H:%M on %a %d %b") -> str:
    """A time as staff read it, in the framework's zone: "22:00 on Thu 03 Dec"."""
    return moment.astimezone(zone).strftime(form)


async def send(uow: AbstractUnitOfWork, row: ConcernRow, people: list[int], reason: str, zone: ZoneInfo) -> None:
    notice = ImmediateConcern(
        row.concern_id,
        row.audit_id or 0,
        row.case_ref or "",
        row.team_name,
        row.raised_by_name or "QA",
        local(row.raised_at, zone, "%a %d %b %Y, %H:%M"),
        where_raised(row),
        row.description,
        "yes" if row.at_risk_now else "",
        row.level,
        reason,
    )
    for person in people:
        await uow.outbox.add(Notice(f"concern:{row.concern_id}:{row.level}:{person}", person, notice, urgent=True))


def where_raised(row: ConcernRow) -> str:
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
    audit, editors = await _audit(uow, actor, audit_id, "concern.raise", activity)
    if page_id == "review" and editors:
        return await _raise_from_review(uow, actor, audit, inputs, now, timing, activity)
    page = audit.page_or_first(page_id)
    fields = {f.id for f in audit.form.page(page).fields}
    typed = {
        **audit.answers,
        **{k: v for k, v in inputs.items() if k in fields and k in _editable(audit, page, editors)},
    }
    text, at_risk, problem = described(inputs)
    if problem:
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
        return replace(review, concern=ConcernBox(text, at_risk, problem.split(" What you typed")[0]))
    framework, hours = timing
    due = first_escalation(framework, hours, now, at_risk)
    note = await raise_on_audit(uow, actor, audit, "review", text, at_risk, now, due, activity, hours)
    return replace(review, note=note, concern=ConcernBox(sent=True))


def _editable(audit: AuditView, page_id: str, editors: frozenset[object]) -> set[str]:
    page = audit.form.page(page_id)
    return {f.id for f in page.fields if page.editor_of(f) in editors}


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
    concern_id = await uow.concerns.add(new)  # the access log has it: its audit was read for "concern.raise"
    row = await uow.concerns.get(concern_id)
    assert row is not None
    people, reason = await first_recipients(uow, row)
    await send(uow, row, people, reason, hours.zone)
    names = await uow.people.people_names(people)
    sent_to = " and ".join(sorted(names.values())) or "QA"
    then = f" If nobody says they have it by {local(due, hours.zone)}, it goes to the Head of Service."
    if reason:
        return f"Your concern has gone to {sent_to}: {reason}.{then}"
    return f"Your concern has gone to {sent_to} (the case's Practice Lead and Service Manager).{then}"


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
        told = ConcernAcknowledged(concern_id, row.case_ref or "", f"{actor.name} ({role})", local(now, zone))
        await uow.outbox.add(Notice(f"concern-ack:{concern_id}", row.raised_by_id, told, urgent=True))
    return ConcernScreen(after, "You have this concern: the person who raised it has been told.", True, zone)


def may_handle(actor: Actor, row: ConcernRow) -> bool:
    """Its leaders, the managers of its service area, the Director of Operations and QA; nobody else."""
    if actor.person_id in {row.practice_lead_id, row.service_manager_id, row.head_of_service_id}:
        return True
    if actor.is_qa or actor.has(Role.DIRECTOR_OF_OPERATIONS):
        return True
    area = row.area_id
    return area is not None and (area in actor.managed_area_ids or area in actor.headed_area_ids)


def _role_of(actor: Actor, row: ConcernRow) -> str:
    for person, role in (
        (row.practice_lead_id, "Practice Lead"),
        (row.service_manager_id, "Service Manager"),
        (row.head_of_service_id, "Head of Service"),
    ):
        if actor.person_id == person:
            return role
    if actor.has(Role.DIRECTOR_OF_OPERATIONS):
        return "Director of Operations"
    return "QA" if actor.is_qa else "manager"


async def escalate_due(uow: AbstractUnitOfWork, framework: Framework, now: datetime, hours: Hours) -> int:
    """Each unacknowledged concern whose time has run out, one level up; returns how many climbed."""
    climbed = 0
    for row in await uow.concerns.due_escalations(now, ESCALATIONS_PER_SWEEP):
        level = row.level + 1
        if level > TOP_LEVEL:
            await uow.concerns.escalated(row.concern_id, row.level, None)
            continue
        people = await _level_people(uow, row, level)
        minutes = framework.concern_escalate_minutes if row.level == 0 else framework.concern_escalate_again_minutes
        on_time = row.next_escalation_at is None or row.next_escalation_at <= now
        waited = (
            f"nobody has said they have it after {minutes} minutes"
            if on_time
            else (f"it could not be delivered to {LEVELS[row.level]}")
        )
        if not people:  # nobody at this level: the next one is due at once
            await uow.concerns.escalated(row.concern_id, level, now)
            continue
        next_at = (
            None
            if level == TOP_LEVEL
            else _after(framework.concern_escalate_again_minutes, hours, now, row.at_risk_now)
        )
        await uow.concerns.escalated(row.concern_id, level, next_at)
        lifted = await uow.concerns.get(row.concern_id)
        assert lifted is not None
        await send(uow, lifted, people, waited, hours.zone)
        climbed += 1
    return climbed


async def _level_people(uow: AbstractUnitOfWork, row: ConcernRow, level: int) -> list[int]:
    if level == 1:
        return [row.head_of_service_id] if row.head_of_service_id is not None else []
    directors = await uow.people.people_with_roles([Role.DIRECTOR_OF_OPERATIONS.value])
    return directors or await uow.people.qa_people()


LISTED_DAYS = 90
MAX_LISTED = 30  # a card of 30 stays within Teams' size


async def list_concerns(uow: AbstractUnitOfWork, actor: Actor, now: datetime, zone: ZoneInfo) -> ConcernList:
    """For QA, SLT and the Director of Operations every area; for a Head of Service or a Service Manager
    their own; nobody else."""
    since = now - timedelta(days=LISTED_DAYS)
    if actor.is_qa or actor.is_slt:
        rows = await uow.concerns.listed(None, since, MAX_LISTED + 1)
        scope = "every service area"
    elif actor.headed_area_ids or actor.managed_area_ids:
        areas = sorted(actor.headed_area_ids | actor.managed_area_ids)
        rows = await uow.concerns.listed(areas, since, MAX_LISTED + 1)
        scope = "your service area" + ("s" if len(areas) > 1 else "")
    else:
        raise NotAllowed(
            "immediate concerns are listed for QA, Heads of Service and Service Managers; "
            "the ones you raised are on your audits' cards",
            action="concerns",
        )
    await uow.access.log(actor, "concerns", None, None, "ok")
    ordered = sorted(rows[:MAX_LISTED], key=lambda r: (r.acknowledged_at is not None, -r.raised_at.timestamp()))
    return ConcernList(tuple(ordered), scope, LISTED_DAYS, now, zone, more=len(rows) > MAX_LISTED)


async def raise_for_dip(
    uow: AbstractUnitOfWork,
    actor: Actor,
    dip: tuple[int, str, int],
    managers: list[int],
    now: datetime,
    timing: tuple[Framework, Hours],
) -> int:
    """Each action of a dip sample rated Red (to be completed at once: it bears on children's safety) goes
    to the area's Service Managers as an immediate concern, once; with none, to its Head of Service and QA."""
    dip_id, theme, head_id = dip
    framework, hours = timing
    head = await uow.people.actor_of(head_id)
    area = min(head.headed_area_ids) if head is not None and head.headed_area_ids else None
    raised = 0
    for n, action in enumerate(await uow.dips.actions(dip_id), 1):
        if (action.rag or "").lower() != "red" or await uow.concerns.of_action(action.action_id) is not None:
            continue
        by = f"; by {action.deadline:%d %b %Y}" if action.deadline else ""
        text = f"Action {n} of dip sample {dip_id} ({theme}), rated Red: {action.text} (who: {action.who}{by})"
        due = first_escalation(framework, hours, now, False)
        new = NewConcern(text[:MAX_TEXT], False, actor.person_id, now, due, dip_sample_id=dip_id, area_id=area)
        concern_id = await uow.concerns.add(replace(new, action_id=action.action_id))
        row = await uow.concerns.get(concern_id)
        assert row is not None
        people = managers or sorted({head_id, *await uow.people.qa_people()})
        reason = "" if managers else "no Service Manager is recorded for this Head of Service's teams"
        await send(uow, row, people, reason, hours.zone)
        raised += 1
    return raised
