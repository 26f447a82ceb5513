"""The scheduled jobs' bodies: one unit of work each, the same use cases QA runs from chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from plf_core import concern_escalation, layered, periods, quota, report_schedule, supervision_due
from plf_core import dip_plan as dip_plans
from plf_core.clock import Clock
from plf_core.delivery import summarise_failures
from plf_core.dip_plan import PlannedDip
from plf_core.framework_config import Framework
from plf_core.moderation import Rules
from plf_core.ports import UnitOfWorkFactory
from plf_core.timetable import Hours, Rule, due_notices

log = logging.getLogger(__name__)
DEFAULT_FRAMEWORK = Framework()


async def monthly_moderation(
    uow: UnitOfWorkFactory,
    rules: Rules,
    clock: Clock,
    written: Callable[[], Awaitable[None]] | None = None,
) -> str:
    """Last month's moderation choice, confirmed at once (the job is its own QA officer)."""
    today = clock.today()
    month = periods.month(today).previous().starts
    async with uow() as work:
        preview = await layered.choose_moderations(work, None, month, rules, None, today)
        if isinstance(preview, str):
            outcome = preview
        else:
            done = await layered.choose_moderations(work, None, month, rules, preview.fingerprint, today)
            outcome = done if isinstance(done, str) else "the returns changed meanwhile; nothing was sent"
            for problem in preview.selection.problems:
                log.warning("moderation choice for %s: %s", f"{month:%Y-%m}", problem)
    log.info("monthly moderation for %s: %s", f"{month:%Y-%m}", outcome)
    if written is not None:
        await written()
    return outcome


async def sweep(
    uow: UnitOfWorkFactory,
    rules: Sequence[Rule],
    hours: Hours,
    clock: Clock,
    written: Callable[[], Awaitable[None]] | None = None,
    framework: Framework = DEFAULT_FRAMEWORK,
    dip_plan: tuple[PlannedDip, ...] = (),
) -> int:
    """The timetable's due notices into the outbox, each once, and QA's daily summary of what could not
    be delivered; returns how many notices are new."""
    now = clock.now()
    today = now.astimezone(hours.zone).date()
    async with uow() as work:
        await work.timetable.ensure_cycles(framework.cycles_around(today))
        state = await work.timetable.state(rules, today)
        new = await work.timetable.write_due(due_notices(rules, state, now, hours), digest=True)
    if quota.may_be_due(framework, now, hours):
        async with uow() as work:
            new += await quota.propose(work, framework, now, hours)
            new += await supervision_due.propose(work, framework, now, hours)
    if report_schedule.due_reports(framework, today) and hours.next_opening(now) == now:
        async with uow() as work:
            new += await report_schedule.send(work, framework, now, hours)
    if dip_plans.due(dip_plan, today) and hours.next_opening(now) == now:
        async with uow() as work:
            new += await dip_plans.send(work, dip_plan, now, hours)
    async with uow() as work:
        new += await summarise_failures(work, now, hours)
    if new:
        log.info("timetable sweep: %d new notices", new)
        if written is not None:
            await written()
    return new


async def escalate_concerns(
    uow: UnitOfWorkFactory,
    framework: Framework,
    hours: Hours,
    clock: Clock,
    written: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """Each immediate concern nobody has taken on in time, one level up (at least once a minute)."""
    async with uow() as work:
        climbed = await concern_escalation.escalate_due(work, framework, clock.now(), hours)
    if climbed:
        log.warning("immediate concerns escalated: %d", climbed)
        if written is not None:
            await written()
    return climbed
