"""The scheduled jobs' bodies: one unit of work each, the same use cases QA runs from chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core import layered
from plf_core.moderation import Rules
from plf_core.timetable import Hours, Rule, due_notices
from store.layered_store import SqlLayeredStore
from store.timetable_store import load_state, write_notices

log = logging.getLogger(__name__)


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


async def monthly_moderation(
    sessions: async_sessionmaker[AsyncSession],
    rules: Rules,
    today: date,
    written: Callable[[], Awaitable[None]] | None = None,
) -> str:
    """Last month's moderation choice, confirmed at once (the job is its own QA officer)."""
    month = previous_month(today)
    async with sessions() as session, session.begin():
        store = SqlLayeredStore(session)
        preview = await layered.choose_moderations(store, None, month, rules, None, today)
        if isinstance(preview, str):
            outcome = preview
        else:
            done = await layered.choose_moderations(store, None, month, rules, preview.fingerprint, today)
            outcome = done if isinstance(done, str) else "the returns changed meanwhile; nothing was sent"
            for problem in preview.selection.problems:
                log.warning("moderation choice for %s: %s", f"{month:%Y-%m}", problem)
    log.info("monthly moderation for %s: %s", f"{month:%Y-%m}", outcome)
    if written is not None:
        await written()
    return outcome


async def sweep(
    sessions: async_sessionmaker[AsyncSession],
    rules: Sequence[Rule],
    hours: Hours,
    now: datetime,
    written: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """The timetable's due notices into the outbox, each once; returns how many are new."""
    async with sessions() as session, session.begin():
        state = await load_state(session, rules, now.astimezone(hours.zone).date())
        new = await write_notices(session, due_notices(rules, state, now, hours))
    if new:
        log.info("timetable sweep: %d new notices", new)
        if written is not None:
            await written()
    return new
