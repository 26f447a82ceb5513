"""What every SQL repository holds: the unit of work's session and the clock."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from plf_core.clock import Clock
from plf_core.periods import midnight
from store.raw import RawConnection
from store.write_batch import WriteBatch


class SqlRepository:
    #: In a batched unit of work (a card save), where the writes that can wait go until it ends.
    batch: WriteBatch | None = None
    #: In a batched unit of work on PostgreSQL, the connection its hot statements run on (store.raw).
    raw: RawConnection | None = None

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def connection(self) -> AsyncConnection:
        return await self.session.connection()

    def midnight(self, day: date) -> datetime:
        """Where a local day begins, in UTC: the framework's days are the TIMEZONE's days."""
        return midnight(day, self.clock.zone)

    @property
    def dialect(self) -> str:
        return self.session.bind.dialect.name if self.session.bind is not None else "sqlite"
