"""QA drives the timetable from chat: what is coming, reminders and escalations now (or as a dry
run that sends nothing), and the deliveries that failed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from plf_core import access, dip_plan, periods, report_schedule
from plf_core.dip_plan import PlannedDip
from plf_core.errors import NotAllowed, ValidationFailed
from plf_core.framework_config import Framework
from plf_core.notices import DueRow
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.stated_delays import slt_delay
from plf_core.timetable import DueNotice, Hours, Recipient, Rule, due_notices
from plf_core.timetable_notices import ReminderDigest, SltEscalation
from plf_core.vocabulary import Role
from plf_core.workflow import Reply

MAX_PREVIEW_DAYS = 120  # a whole cycle and the escalations a week after it


@dataclass(frozen=True)
class FailedMessage:
    outbox_id: int
    person: str
    kind: str
    status: str
    attempts: int
    error: str


@dataclass(frozen=True)
class TimetablePreview:
    days: int
    lines: tuple[tuple[date, str, str, int, bool], ...]  # (day, rule, what, recipients, urgent)


@dataclass(frozen=True)
class OutboxList:
    messages: tuple[FailedMessage, ...]
    page: int = 1
    pages: int = 1
    total: int = 0
    note: str = ""  # what was just done (a Retry), or why this is not the page asked for


OUTBOX_PAGE = 10  # a page of the outbox card: small whatever the count


async def preview(
    uow: AbstractUnitOfWork,
    actor: Actor,
    rules: Sequence[Rule],
    hours: Hours,
    today: date,
    days: int,
    framework: Framework | None = None,
    plan: tuple[PlannedDip, ...] = (),
) -> TimetablePreview:
    """The notices due in the next `days` days, by rule and number of recipients: the rules', and the
    quota proposals, reports and planned dip samples the framework's configuration schedules."""
    access.require_qa(actor, "see the timetable")
    if not 1 <= days <= MAX_PREVIEW_DAYS:
        raise ValidationFailed(f"the timetable can look 1 to {MAX_PREVIEW_DAYS} days ahead")
    what = {r.id: r.what or r.id.replace("_", " ") for r in rules}
    lines: list[tuple[date, str, str, int, bool]] = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        opening = hours.send_time(day)
        if opening.date() != day:
            continue  # not a working day: what falls due then goes at the next opening
        state = await uow.timetable.state(rules, day)
        counts: Counter[str] = Counter()
        urgent: dict[str, bool] = {}
        for notice in due_notices(rules, state, opening, hours, lookback_days=1):
            counts[notice.rule] += 1
            urgent[notice.rule] = notice.urgent
        lines += [(day, rule, what[rule], count, urgent[rule]) for rule, count in sorted(counts.items())]
        lines += await _scheduled(uow, framework or Framework(), plan, hours, day)
    return TimetablePreview(days, tuple(lines))


async def _scheduled(
    uow: AbstractUnitOfWork, framework: Framework, plan: tuple[PlannedDip, ...], hours: Hours, day: date
) -> list[tuple[date, str, str, int, bool]]:
    """What the configuration schedules besides the rules, on the working day it goes out."""

    def opening_day(due: date) -> bool:
        return hours.send_time(due).date() == day

    lines: list[tuple[date, str, str, int, bool]] = []
    qa = [Role.QA_MANAGER.value, Role.PRACTICE_LEARNING_REVIEWER.value]
    if opening_day(framework.cycle_containing(day).starts):
        what = f"the cycle's audits, {framework.audits_per_practice_lead} per Practice Lead, proposed to QA with Create"
        lines.append((day, "quota_proposal", what, len(await uow.people.people_with_roles(qa)), False))
    for period in report_schedule.reports_on(framework, day):
        managers = {p for people in (await uow.people.area_managers()).values() for p in people}
        readers = managers | set(await uow.people.people_with_roles(report_schedule.READERS_OF_ALL))
        lines.append((day, "report", f"the {period.label} highlight report to every manager", len(readers), False))
    for step, dip, starts in dip_plan.due(plan, day):
        if opening_day(starts - timedelta(days=dip_plan.DATA_DAYS_BEFORE) if step == "data" else starts):
            roles = [Role.DATA_AND_IMPACT.value] if step == "data" else qa
            what = f"dip sample '{dip.theme}': " + ("its data request" if step == "data" else "due, to QA")
            lines.append((day, "dip_plan", what, len(await uow.people.people_with_roles(roles)), False))
    return lines


async def remind(
    uow: AbstractUnitOfWork,
    actor: Actor,
    rules: Sequence[Rule],
    now: datetime,
    hours: Hours,
    scope: str | None,
    dry_run: bool,
) -> Reply:
    """Reminders now: each practitioner and second person with open audits (in the team or service
    area named) gets one digest; at most once a day. A dry run says who would, and sends nothing."""
    access.require_qa(actor, "send reminders")
    teams = await uow.people.scope_teams(scope)
    today = now.astimezone(hours.zone).date()
    state = await uow.timetable.state(rules, today, with_open_audits=True)
    people: dict[int, list[DueRow]] = {}
    for audit in state.open_audits:
        if teams is None or audit.team in teams:
            for person in {audit.practitioner_id, audit.second_person_id} - {None}:
                assert person is not None
                people.setdefault(person, []).append(DueRow(audit.audit_id, audit.case_ref, audit.team, audit.due_on))
    day = today.isoformat()
    notices = [
        DueNotice(f"remind:{day}:{person}", person, ReminderDigest(tuple(items), today, "remind"), False, now, "remind")
        for person, items in sorted(people.items())
    ]
    return await _send_or_show(uow, notices, dry_run, "a reminder", scope)


async def escalate(
    uow: AbstractUnitOfWork, actor: Actor, rules: Sequence[Rule], now: datetime, hours: Hours, dry_run: bool
) -> Reply:
    """The escalation to SLT now: every review that is past its due date."""
    access.require_qa(actor, "send escalations")
    today = now.astimezone(hours.zone).date()
    state = await uow.timetable.state(rules, today, with_open_audits=True)
    overdue = tuple(
        DueRow(a.audit_id, a.case_ref, a.team, a.due_on)
        for a in state.open_audits
        if a.due_on is not None and a.due_on < today
    )
    if not overdue:
        return Reply("Nothing is overdue, so there is nothing to escalate.")
    slt = state.people_by_role.get(Recipient.SLT, ())
    if not slt:
        raise ValidationFailed("nobody holds the SLT role: add them with `plf import people`")
    day = today.isoformat()
    escalation = SltEscalation(overdue, today, "escalate", f"overdue on {day}", **slt_delay(rules))
    notices = [DueNotice(f"escalate:{day}:{person}", person, escalation, True, now, "escalate") for person in slt]
    return await _send_or_show(uow, notices, dry_run, f"the escalation of {len(overdue)} overdue review(s)", None)


async def _send_or_show(
    uow: AbstractUnitOfWork, notices: Sequence[DueNotice], dry_run: bool, what: str, scope: str | None
) -> Reply:
    where = f" in {scope}" if scope else ""
    if not notices:
        return Reply(f"Nobody{where} has anything open, so nobody would get {what}.")
    names = await uow.people.people_names([n.person_id for n in notices])
    listed = "; ".join(f"{names.get(n.person_id, n.person_id)} ({_count(n)} item(s))" for n in notices[:40])
    more = f" and {len(notices) - 40} more" if len(notices) > 40 else ""
    if dry_run:
        return Reply(f"Dry run, nothing sent: {_people(len(notices))}{where} would get {what}: {listed}{more}.")
    sent = await uow.timetable.write_due(notices, digest=False)  # QA asked for them now
    if sent == 0:
        return Reply(f"These were already sent today{where}; nothing more was sent.")
    return Reply(f"Sent {what} to {_people(sent)}{where}: {listed}{more}.")


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


def _count(notice: DueNotice) -> int:
    items = getattr(notice.data, "items", ())
    return len(items)


async def failed(uow: AbstractUnitOfWork, actor: Actor, page: int = 1, note: str = "") -> OutboxList:
    """What could not be delivered, a page at a time, the urgent first; delivered messages are gone."""
    access.require_qa(actor, "see failed deliveries")
    total = await uow.outbox.failed_count()
    pages = max(1, -(-total // OUTBOX_PAGE))
    if not 1 <= page <= pages:
        note = note or f"There is no page {page}: the outbox has {pages} page{'s' if pages > 1 else ''}."
    page = min(max(page, 1), pages)
    shown = await uow.outbox.failed(OUTBOX_PAGE, (page - 1) * OUTBOX_PAGE)
    return OutboxList(tuple(shown), page, pages, total, note)


async def retry(uow: AbstractUnitOfWork, actor: Actor, outbox_ids: Sequence[int]) -> OutboxList:
    """Send again; the answer is the outbox as it is now, saying what was done (the other Retry buttons stay)."""
    access.require_qa(actor, "retry deliveries")
    again = [i for i in outbox_ids if await uow.outbox.retry(i)]
    if not again:
        named = "Message" if len(outbox_ids) == 1 else "Messages"
        note = f"{named} {', '.join(map(str, outbox_ids))}: none failed (they may have gone already)."
    elif len(outbox_ids) == 1:
        note = f"Message {outbox_ids[0]} will be sent again in a moment."
    else:
        note = f"{len(again)} of {len(outbox_ids)} messages will be sent again in a moment."
    return await failed(uow, actor, 1, note)


@dataclass(frozen=True)
class StatusFigures:
    scope: str
    cycle: str
    assigned: int
    returned: int
    outstanding: int
    overdue: int
    moderated: int
    actions_open: int
    actions_overdue: int
    data_sent: str = "not yet marked as sent"  # the cycle's case data, from the Data & Impact team


async def status(
    uow: AbstractUnitOfWork, actor: Actor, scope: str | None, period: str | None, today: date, zone: ZoneInfo
) -> StatusFigures:
    """Returned, outstanding, moderated and overdue actions, for a team, a service area or a cycle."""
    if not (actor.is_qa or actor.is_slt):
        raise NotAllowed("only the QA team and SLT can see the status", action="status")
    cycle = periods.cycle_containing(today)
    if period:
        cycle = periods.parse(period, today, kinds=frozenset({periods.Kind.QUARTER}))
    teams = await uow.people.scope_teams(scope) if scope else None
    f = await uow.reports.figures(cycle, teams, today)
    figures = f.assigned, f.returned, f.outstanding, f.overdue, f.moderated, f.actions_open, f.actions_overdue
    sent = await uow.follow_ups.data_sent(cycle.code)
    return StatusFigures(
        scope if teams is not None and scope else "the whole service",
        cycle.code,
        *figures,
        data_sent=f"sent, marked by {sent[0]} on {sent[1].astimezone(zone):%d %b %Y}"
        if sent
        else "not yet marked as sent",
    )
