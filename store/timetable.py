"""The timetable in SQL: the state the engine reads (store.timetable_store), the notices it writes,
and the figures of the `status` command."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.audits import PLC_FORM
from plf_core.clock import Clock
from plf_core.timetable import DueNotice, Rule, State
from store import queries
from store.models import ActionItem, Audit, Moderation, Team
from store.repository import SqlRepository
from store.timetable_store import load_state, write_notices


class SqlTimetable(SqlRepository):
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        super().__init__(session, clock)
        self.added = 0  # notices written: the dispatcher is woken after the unit of work commits

    async def state(self, rules: Sequence[Rule], day: date, *, with_open_audits: bool = False) -> State:
        return await load_state(self.session, rules, day, self.clock.zone, with_open_audits=with_open_audits)

    async def write_due(self, notices: Sequence[DueNotice], *, digest: bool) -> int:
        """Each notice once (unique dedupe keys); reminders (`digest`) join the person's digest for the day."""
        written = await write_notices(self.session, notices, self.clock.now(), self.clock.zone, digest=digest)
        self.added += written
        return written

    async def status_figures(
        self, teams: tuple[str, ...] | None, starts: date, ends: date, today: date
    ) -> tuple[int, int, int, int, int, int, int]:
        """assigned, returned, outstanding, overdue (reviews of the cycle), moderated, actions open and overdue."""
        scoped = select(Audit.id).select_from(queries.AUDIT_IN_AREA)
        scoped = scoped.where(Audit.form_id == PLC_FORM, Audit.due_on >= starts, Audit.due_on <= ends)
        if teams is not None:
            scoped = scoped.where(Team.code.in_(teams))
        ids = scoped.subquery()
        statuses = dict(
            (
                await self.session.execute(
                    select(Audit.status, func.count()).where(Audit.id.in_(select(ids.c.id))).group_by(Audit.status)
                )
            ).all()
        )
        open_now = sum(statuses.get(s, 0) for s in ("assigned", "in_progress"))
        assigned = sum(statuses.values())
        overdue = (
            await self.session.execute(
                select(func.count()).where(
                    Audit.id.in_(select(ids.c.id)), Audit.status.in_(["assigned", "in_progress"]), Audit.due_on < today
                )
            )
        ).scalar_one()
        moderated = (
            await self.session.execute(
                select(func.count(func.distinct(Moderation.audit_id))).where(
                    Moderation.audit_id.in_(select(ids.c.id)), Moderation.status == "completed"
                )
            )
        ).scalar_one()
        actions = (
            (
                await self.session.execute(
                    select(ActionItem.deadline).where(
                        ActionItem.audit_id.in_(select(ids.c.id)), ActionItem.status.in_(["open", "not_yet"])
                    )
                )
            )
            .scalars()
            .all()
        )
        late = sum(1 for deadline in actions if deadline is not None and deadline < today)
        return assigned, assigned - open_now, open_now, int(overdue), int(moderated), len(actions), late
