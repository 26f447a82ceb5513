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
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from plf_core.clock import Clock
from plf_core.errors import Contended
from plf_core.feedback.form import FeedbackForm
from store.access import SqlAccess
from store.audits import SqlAudits
from store.concerns import SqlConcerns
from store.conversations import SqlConversations
from store.database import session_factory
from store.dips import SqlDips
from store.feedback import SqlFeedback
from store.follow_ups import SqlFollowUps
from store.good_practice_store import SqlEvidence
from store.moderations import SqlModerations
from store.outbox import SqlOutbox
from store.people import SqlPeople
from store.raw import RawConnection
from store.report_store import SqlReports
from store.sampling import SqlSampling
from store.timetable import SqlTimetable
from store.write_batch import WriteBatch

SAVED_MEANWHILE = "the audit changed while it was being saved: please press Save again"


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
    feedback: SqlFeedback

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        batched: bool = False,
        engine: AsyncEngine | None = None,
        feedback_form: FeedbackForm | Callable[[], FeedbackForm] | None = None,
    ) -> None:
        """`batched`: the writes that can wait (the access log, a page's save, notices) are held and made
        in one statement as the unit of work ends (store.write_batch): a card save's path. With `engine`
        (PostgreSQL), the audit's read and that statement run straight on the driver (store.raw)."""
        self._sessions = sessions
        self.clock = clock
        self.batched = batched
        self._engine = engine
        #: the council's own form, for the reports' themes (None: the one shipped); a callable is asked when a unit
        #: of work begins, so that `plf` commands that never count feedback do not need the form file to be right
        self._feedback_form = feedback_form

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = session = self._sessions()
        self.raw = RawConnection(self._engine) if self._engine is not None else None
        if self.raw is None:  # without BEGIN, a batched one on PostgreSQL begins nothing until used
            await session.begin()
        clock = self.clock
        self.people = SqlPeople(session, clock)
        self.audits = SqlAudits(session, clock)
        self.moderations = SqlModerations(session, clock)
        self.sampling = SqlSampling(session, clock)
        self.dips = SqlDips(session, clock)
        self.follow_ups = SqlFollowUps(session, clock)
        self.timetable = SqlTimetable(session, clock)
        form = self._feedback_form() if callable(self._feedback_form) else self._feedback_form
        self.timetable.feedback_form = form
        self.outbox = SqlOutbox(session, clock)
        self.conversations = SqlConversations(session, clock)
        self.reports = SqlReports(session, clock)
        self.reports.feedback_form = form
        self.access = SqlAccess(session, clock)
        self.concerns = SqlConcerns(session, clock)
        self.evidence = SqlEvidence(session, clock)
        self.feedback = SqlFeedback(session, clock)
        self.batch = WriteBatch() if self.batched else None
        for repository in (self.access, self.audits, self.outbox):
            repository.batch = self.batch
        self.audits.raw = self.raw
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                if self.batch is not None and not await self._write_batch(self.batch):
                    await self.session.rollback()
                    raise Contended(SAVED_MEANWHILE)
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            if self.raw is not None:
                await self.raw.close()
            await self.session.close()

    async def _write_batch(self, batch: WriteBatch) -> bool:
        if self.raw is not None:
            return await batch.write(self.raw)
        return await batch.write_in_turn(await self.session.connection())

    @property
    def notices_added(self) -> int:
        return self.outbox.added + self.timetable.added


def unit_of_work_factory(
    engine: AsyncEngine,
    clock: Clock,
    batched: bool = False,
    feedback_form: FeedbackForm | Callable[[], FeedbackForm] | None = None,
) -> Callable[[], SqlUnitOfWork]:
    """`batched` (for card saves): on PostgreSQL its sessions run without BEGIN and COMMIT (each
    statement commits itself), so it reads and then writes its one batched statement: two round trips."""
    if batched and engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        event.listen(engine.sync_engine, "before_cursor_execute", _only_reads_and_the_batch)
    raw = engine if batched and engine.dialect.name == "postgresql" else None
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions, clock, batched, raw, feedback_form)


def _only_reads_and_the_batch(
    connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    """Without a transaction a stray write would commit at once, alone: the batch writes on the driver
    (store.raw), so nothing through SQLAlchemy here may."""
    if not statement.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
        raise RuntimeError(f"a batched unit of work writes only through its batch, not: {statement[:80]}")
