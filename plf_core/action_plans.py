"""Action plans become tracked actions: when a Practice Learning Conversation or a PIM record is
submitted, each action it lists (what, who, by when) is recorded, its owner is sent it with Done,
and the timetable reminds them before its deadline and tells their managers when it is overdue
(scheduler/timetable.yaml, trigger action_due). Done stops all of that."""

from __future__ import annotations

from datetime import date, datetime

from plf_core import access
from plf_core.audits import PIM_FORM, PLC_FORM, AuditView
from plf_core.errors import NotAllowed, NotFound
from plf_core.people import Actor
from plf_core.periods import staff_date
from plf_core.ports import AbstractUnitOfWork, Notice, PlannedAction
from plf_core.timetable_notices import ActionsAssigned, AssignedAction

TRACKED_FORMS = (PLC_FORM, PIM_FORM)
#: the timetable rules about one action (their outbox keys start with these)
ACTION_RULES = ("action_",)


def planned_actions(audit: AuditView) -> list[PlannedAction]:
    """The action plan's written rows (AP1, AP1_who, AP1_by, ...), in order."""
    form, answers = audit.form, audit.answers
    default_owner = audit.practitioner_id
    if audit.form_id == PIM_FORM and audit.case is not None:  # the chair's record: the team's Practice Lead
        default_owner = audit.case.practice_lead_id or audit.practitioner_id
    planned: list[PlannedAction] = []
    for f in form.fields.values():
        if f.meaning != "action:text":
            continue
        text = answers.get(f.id)
        if not isinstance(text, str) or not text.strip():
            continue
        who, by = answers.get(f"{f.id}_who"), answers.get(f"{f.id}_by")
        deadline = date.fromisoformat(by) if isinstance(by, str) and by else None
        row = len(planned) + 1
        planned.append(PlannedAction(text.strip(), str(who or "").strip(), deadline, default_owner, row))
    return planned


async def track_actions(uow: AbstractUnitOfWork, audit: AuditView, now: datetime) -> int:
    """Record the submitted audit's actions and send each owner theirs; the number recorded."""
    if audit.form_id not in TRACKED_FORMS or audit.case is None:
        return 0
    planned = planned_actions(audit)
    if not planned:
        return 0
    recorded = await uow.follow_ups.record_actions(audit.id, planned, now)
    by_owner: dict[int, list[AssignedAction]] = {}
    for r in recorded:
        if r.owner_id is not None:
            by_owner.setdefault(r.owner_id, []).append(AssignedAction(r.action_id, r.row, r.deadline))
    page = audit.form.page_of(next(f.id for f in audit.form.fields.values() if f.meaning == "action:text")).id
    for owner, items in by_owner.items():
        notice = ActionsAssigned(audit.id, audit.case.azeus_number, page, tuple(items))
        await uow.outbox.add(Notice(f"actions:{audit.id}:{owner}", owner, notice))
    return len(recorded)


async def action_done(
    uow: AbstractUnitOfWork, actor: Actor, action_id: int, now: datetime, activity: str | None
) -> str:
    """One action done: recorded with who and when; its reminders and overdue notices stop."""
    action = await uow.follow_ups.action(action_id)
    audit = await uow.audits.get(action.audit_id) if action is not None and action.audit_id else None
    if action is None or audit is None:
        raise NotFound(f"there is no action {action_id}", action="action_done")
    leads = (audit.case.practice_lead_id, audit.case.service_manager_id) if audit.case else ()
    if not (actor.person_id in (action.owner_id, *leads) or access.is_participant(actor, audit) or actor.is_qa):
        raise NotAllowed("this action is not yours to mark done", action="action_done", audit_id=audit.id)
    case = audit.case.azeus_number if audit.case else "—"
    # named by its deadline, never by what was typed (that stays in the audit)
    what = f"the action due {staff_date(action.deadline)}" if action.deadline else "the action"
    if not await uow.follow_ups.action_done(action_id, actor.person_id, now):
        on = f" on {staff_date(action.confirmed_at)}" if action.confirmed_at else ""
        by = action.confirmed_by or "someone"
        return f"{what[0].upper()}{what[1:]} (case {case}) was already marked done by {by}{on}."
    await uow.outbox.cancel_pending(ACTION_RULES, f"action-{action_id}")
    await uow.access.log(actor, "action_done", audit.id, activity, "ok")
    left, _ = await uow.follow_ups.action_counts(audit.id)
    more = f" {left} action(s) of this audit are still open." if left else " Every action of this audit is done."
    return f"Thank you: {what} (case {case}) is done. No more reminders will come for it.{more}"
