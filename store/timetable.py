"""The timetable in SQL: the state the engine reads (store.timetable_store), the notices it writes,
and the figures of the `status` command."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.clock import Clock
from plf_core.feedback.form import FeedbackForm
from plf_core.periods import Period
from plf_core.timetable import DueNotice, Rule, State
from store.digests import write_notices
from store.repository import SqlRepository
from store.timetable_store import ensure_cycles, load_state


class SqlTimetable(SqlRepository):
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        super().__init__(session, clock)
        self.added = 0  # notices written: the dispatcher is woken after the unit of work commits
        self.feedback_form: FeedbackForm | None = None  # the council's own, for the quarter's feedback themes

    async def ensure_cycles(self, cycles: Sequence[Period]) -> int:
        return await ensure_cycles(self.session, cycles)

    async def state(self, rules: Sequence[Rule], day: date, *, with_open_audits: bool = False) -> State:
        zone, form = self.clock.zone, self.feedback_form
        return await load_state(self.session, rules, day, zone, with_open_audits=with_open_audits, feedback_form=form)

    async def write_due(self, notices: Sequence[DueNotice], *, digest: bool) -> int:
        """Each notice once (unique dedupe keys); reminders (`digest`) join the person's digest for the day."""
        written = await write_notices(self.session, notices, self.clock.now(), self.clock.zone, digest=digest)
        self.added += written
        return written
