"""One transaction with a repository per aggregate: plf_core.ports.AbstractUnitOfWork on SQL.

    async with uow() as work:          # begins
        await workflow.save_page(work, ...)
                                       # commits; rolls back if the block raised

`unit_of_work_factory(engine, clock)` is built once in the composition root and handed to the bot,
the scheduler and `plf`; nothing else opens a session.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from plf_core.clock import Clock
from store.access import SqlAccess
from store.audits import SqlAudits
from store.concerns import SqlConcerns
from store.conversations import SqlConversations
from store.database import session_factory
from store.dips import SqlDips
from store.follow_ups import SqlFollowUps
from store.good_practice_store import SqlEvidence
from store.moderations import SqlModerations
from store.outbox import SqlOutbox
from store.people import SqlPeople
from store.report_store import SqlReports
from store.sampling import SqlSampling
from store.timetable import SqlTimetable


class SqlUnitOfWork:
    session: AsyncSession
    people: SqlPeople
    audits: SqlAudits
    moderations: SqlModerations
    sampling: SqlSampling
    dips: SqlDips
    follow_ups: SqlFollowUps
    timetable: SqlTimetable
    outbox: SqlOutbox
    conversations: SqlConversations
    reports: SqlReports
    access: SqlAccess
    concerns: SqlConcerns
    evidence: SqlEvidence

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self.clock = clock

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = session = self._sessions()
        await session.begin()
        clock = self.clock
        self.people = SqlPeople(session, clock)
        self.audits = SqlAudits(session, clock)
        self.moderations = SqlModerations(session, clock)
        self.sampling = SqlSampling(session, clock)
        self.dips = SqlDips(session, clock)
        self.follow_ups = SqlFollowUps(session, clock)
        self.timetable = SqlTimetable(session, clock)
        self.outbox = SqlOutbox(session, clock)
        self.conversations = SqlConversations(session, clock)
        self.reports = SqlReports(session, clock)
        self.access = SqlAccess(session, clock)
        self.concerns = SqlConcerns(session, clock)
        self.evidence = SqlEvidence(session, clock)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    @property
    def notices_added(self) -> int:
        return self.outbox.added + self.timetable.added


def unit_of_work_factory(engine: AsyncEngine, clock: Clock) -> Callable[[], SqlUnitOfWork]:
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions, clock)
