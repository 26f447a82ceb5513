"""An immediate concern nobody has taken on climbs: to the Head of Service after `concern_escalate_minutes`
of working time (by the clock when the child may be at risk now), then to the Director of Operations
after `concern_escalate_again_minutes`. A level whose every card could not be delivered is passed at
once; when nobody at all could be reached, QA get it and the person who raised it is told. A dip
sample's Red actions are raised here too, as concerns for the area's Service Managers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from plf_core.concern_notices import LEVELS, TOP_LEVEL, ConcernNotReached
from plf_core.concern_ports import ConcernRow, NewConcern
from plf_core.concerns import MAX_TEXT, after, first_escalation, first_recipients, local, named, send, where_raised
from plf_core.framework_config import Framework
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.vocabulary import Role
from plf_core.working_days import Hours

ESCALATIONS_PER_RUN = 200


async def escalate_due(uow: AbstractUnitOfWork, framework: Framework, now: datetime, hours: Hours) -> int:
    """Each unacknowledged concern whose time has run out (or whose cards could not be delivered), one
    level up; returns how many climbed."""
    climbed = 0
    for row in await uow.concerns.due_escalations(now, ESCALATIONS_PER_RUN):
        undelivered = await uow.concerns.undelivered(row.concern_id, row.level)
        if row.level >= TOP_LEVEL:
            climbed += await _beyond_the_top(uow, row, undelivered, hours)
            continue
        level = row.level + 1
        previous = await level_people(uow, row, row.level)
        people = [p for p in await level_people(uow, row, level) if p != row.raised_by_id and p not in previous]
        if not people:  # nobody new at this level: the next one is due at once
            await uow.concerns.escalated(row.concern_id, level, now)
            continue
        before = await named(uow, row, previous)
        minutes = framework.concern_escalate_minutes if row.level == 0 else framework.concern_escalate_again_minutes
        why = f"it could not be delivered to {before}" if undelivered else (
            f"nobody has said they have it after {minutes} minutes (it went to {before})"
        )  # fmt: skip
        again = framework.concern_escalate_again_minutes
        await uow.concerns.escalated(row.concern_id, level, after(again, hours, now, row.at_risk_now))
        lifted = await uow.concerns.get(row.concern_id)
        assert lifted is not None
        await send(uow, lifted, people, why, hours.zone)
        climbed += 1
    return climbed


async def _beyond_the_top(uow: AbstractUnitOfWork, row: ConcernRow, undelivered: bool, hours: Hours) -> int:
    """Past the Director of Operations: nothing more if their card arrived; if nobody at all could be
    reached, QA get it and the person who raised it is told."""
    if not undelivered or row.level > TOP_LEVEL:
        await uow.concerns.escalated(row.concern_id, row.level, None)
        return 0
    qa = [p for p in await uow.people.qa_people() if p != row.raised_by_id]
    await uow.concerns.escalated(row.concern_id, TOP_LEVEL + 1, None)
    lifted = await uow.concerns.get(row.concern_id)
    assert lifted is not None
    await send(uow, lifted, qa, f"nobody it was meant for could be reached in Teams ({LEVELS[0]} and up)", hours.zone)
    if row.raised_by_id is not None:
        raised = f"raised {local(row.raised_at, hours.zone)} from {where_raised(row)}"
        told = ConcernNotReached(row.concern_id, row.case_ref or "", raised)
        await uow.outbox.add(Notice(f"concern-not-reached:{row.concern_id}", row.raised_by_id, told, urgent=True))
    return 1


async def level_people(uow: AbstractUnitOfWork, row: ConcernRow, level: int) -> list[int]:
    if level == 0:
        return (await first_recipients(uow, row))[0]
    if level == 1:
        return [row.head_of_service_id] if row.head_of_service_id is not None else []
    directors = await uow.people.people_with_roles([Role.DIRECTOR_OF_OPERATIONS.value])
    return directors or await uow.people.qa_people()


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
