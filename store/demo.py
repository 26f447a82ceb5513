"""Loading the synthetic demo borough (and the cycles around today) into an empty database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plf_core.cycles import cycles_around
from plf_core.demo_borough import DemoBorough
from store import directory
from store.models import Cycle


async def ensure_cycles(session: AsyncSession, today: date) -> int:
    """The current cycle, the one before and the next three exist; returns how many were added."""
    known = set((await session.execute(select(Cycle.code))).scalars())
    added = 0
    for cycle in cycles_around(today, before=1, after=3):
        if cycle.code not in known:
            session.add(Cycle(code=cycle.code, starts_on=cycle.starts_on, due_on=cycle.due_on))
            added += 1
    await session.flush()
    return added


async def load_demo(
    sessions: async_sessionmaker[AsyncSession], borough: DemoBorough, today: date
) -> directory.DirectoryCounts:
    """Write the borough in one transaction; teams first, then their people, then leaders."""
    async with sessions() as session, session.begin():
        leaderless = [
            replace(t, practice_lead_email=None, service_manager_email=None, head_of_service_email=None)
            for t in borough.teams
        ]
        await directory.upsert_teams(session, leaderless)
        await directory.upsert_people(session, borough.people)
        await directory.upsert_teams(session, borough.teams)
        await directory.upsert_cases(session, borough.cases)
        await ensure_cycles(session, today)
        return await directory.counts(session)
