"""Closing the timetable's loops: actions confirmed done (or not yet, with a reason), reminders
snoozed, a data request marked as sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from plf_core import access
from plf_core.errors import NotAllowed, NotFound, ValidationFailed
from plf_core.notices import ActionsNotYet
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import Role
from plf_core.workflow import Reply

MAX_REASON = 1000
SNOOZE_DAYS = (0, 1, 3)  # 0: until Monday


async def _audit_for_follow_up(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, action: str
) -> tuple[str, int | None]:
    audit = await uow.audits.get(audit_id)
    if audit is None:
        raise NotFound(f"there is no audit {audit_id}", action=action, audit_id=audit_id)
    team_leads = (audit.case.practice_lead_id, audit.case.service_manager_id) if audit.case else ()
    if not (access.is_participant(actor, audit) or actor.person_id in team_leads or actor.is_qa):
        raise NotAllowed(f"audit {audit_id}'s actions are not yours to confirm", action=action, audit_id=audit_id)
    return (audit.case.azeus_number if audit.case else "—"), (audit.case.practice_lead_id if audit.case else None)


async def actions_done(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, now: datetime, activity: str | None
) -> Reply:
    """The actions are done: recorded; later follow-ups stop and a pending escalation is cancelled."""
    case, _ = await _audit_for_follow_up(uow, actor, audit_id, "actions_done")
    _, recorded = await uow.follow_ups.action_counts(audit_id)
    if recorded == 0:
        return Reply(f"No actions were recorded for case {case} (audit {audit_id}), so there is nothing to confirm.")
    count = await uow.follow_ups.confirm_actions(audit_id, actor.person_id, now)
    await uow.outbox.cancel_pending(("followup_", "followup_escalation"), f"audit-{audit_id}")
    for action_id in await uow.follow_ups.action_ids(audit_id):
        await uow.outbox.cancel_pending(("action_",), f"action-{action_id}")
    await uow.access.log(actor, "actions_done", audit_id, activity, "ok")
    if count == 0:
        return Reply(f"The actions for case {case} were already confirmed; thank you.")
    return Reply(
        f"Thank you: {count} action(s) for case {case} are recorded as completed. No more follow-ups will come."
    )


async def actions_not_yet(
    uow: AbstractUnitOfWork, actor: Actor, audit_id: int, reason: object, now: datetime, activity: str | None
) -> Reply:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationFailed("please say what is still to do, and why, in the box above 'Not yet'")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"please keep the reason within {MAX_REASON:,} characters ({len(reason):,} now)")
    case, lead = await _audit_for_follow_up(uow, actor, audit_id, "actions_not_yet")
    await uow.follow_ups.actions_not_yet(audit_id, reason.strip(), now)
    await uow.access.log(actor, "actions_not_yet", audit_id, activity, "ok")
    if lead is not None and lead != actor.person_id:
        await uow.outbox.add(
            Notice(
                f"not_yet:{audit_id}:{now:%Y%m%d%H%M%S}",
                lead,
                ActionsNotYet(audit_id, case, reason.strip(), actor.name),
            )
        )
    return Reply(f"Recorded: the actions for case {case} are not yet completed. Your Practice Lead can see why.")


def snooze_until(today: date, days: int) -> date:
    """1 or 3 days, or (0) until Monday."""
    if days not in SNOOZE_DAYS:
        raise ValidationFailed("a reminder can be snoozed for 1 day, 3 days or until Monday")
    if days == 0:
        return today + timedelta(days=7 - today.weekday())
    return today + timedelta(days=days)


async def snooze(uow: AbstractUnitOfWork, actor: Actor, days: int, today: date) -> Reply:
    """Reminders wait; escalations and red alerts never do."""
    until = snooze_until(today, days)
    await uow.follow_ups.snooze(actor.person_id, until)
    return Reply(f"Your reminders are snoozed until {until:%A %d %B}. Escalations and red alerts still come at once.")


async def data_request_sent(
    uow: AbstractUnitOfWork, actor: Actor, cycle: str, now: datetime, activity: str | None
) -> Reply:
    """The Data & Impact team (or QA) marks a cycle's case data as sent; `status` shows it."""
    if not (actor.has(Role.DATA_AND_IMPACT) or actor.is_qa):
        raise NotAllowed("only the Data & Impact team or QA can mark the case data as sent", action="data_request_sent")
    cycle = cycle.strip()[:16]
    marked = await uow.follow_ups.mark_data_sent(cycle, actor.person_id, now)
    if marked is None:
        raise NotFound(f"there is no cycle '{cycle}'", action="data_request_sent")
    fresh, by, at = marked
    await uow.access.log(actor, f"data_request_sent {cycle}", None, activity, "ok" if fresh else "already")
    if not fresh:
        return Reply(f"The case data for {cycle} was already marked as sent by {by} on {at:%d %B %Y}.")
    return Reply(f"Thank you, {actor.name}: the case data for {cycle} is marked as sent. QA can see it in `status`.")
