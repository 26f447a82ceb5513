"""Dip samples in SQL: their Terms of Reference audit, each dated step, and their actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from plf_core.dips import DipActionRow, DipRow
from plf_core.notices import DipAction
from store.models import ActionItem, Audit, DipSample, Person, Team
from store.repository import SqlRepository


class SqlDips(SqlRepository):
    async def create(self, theme: str, audit_id: int, by: int, at: datetime) -> int:
        row = DipSample(
            theme=theme,
            status="draft",
            terms={"history": [["created", at.isoformat(), by]]},
            created_at=at,
            updated_at=at,
        )
        self.session.add(row)
        await self.session.flush()
        await self.session.execute(update(Audit).where(Audit.id == audit_id).values(dip_sample_id=row.id))
        return row.id

    async def get(self, dip_id: int) -> DipRow | None:
        row = await self.session.get(DipSample, dip_id)
        return None if row is None else await self._dip_row(row)

    async def _dip_row(self, row: DipSample) -> DipRow:
        audit_id = (await self.session.execute(select(Audit.id).where(Audit.dip_sample_id == row.id))).scalar()
        history = row.terms.get("history") if isinstance(row.terms, dict) else None
        entries = history if isinstance(history, list) else []
        steps = tuple((str(h[0]), str(h[1]), h[2]) for h in entries if isinstance(h, list) and len(h) == 3)
        return DipRow(row.id, row.theme, row.status, audit_id, row.head_of_service_id, steps)

    async def recent(self) -> list[DipRow]:
        rows = (await self.session.execute(select(DipSample).order_by(DipSample.id.desc()).limit(50))).scalars()
        return [await self._dip_row(row) for row in rows]

    async def record_step(
        self, dip_id: int, step: str, by: int, at: datetime, head_of_service_id: int | None = None
    ) -> bool:
        """One step of a dip sample's life, dated; False if another unit of work took it first."""
        before = {"approved": "draft", "sent": "approved", "agreed": "sent"}[step]
        row = (
            await self.session.execute(
                select(DipSample).where(DipSample.id == dip_id, DipSample.status == before).with_for_update()
            )
        ).scalar_one_or_none()
        if row is None:
            return False
        found = (row.terms or {}).get("history")
        history = list(found) if isinstance(found, list) else []
        row.terms = {**(row.terms or {}), "history": [*history, [step, at.isoformat(), by]]}
        row.status = step
        row.updated_at = at
        if step == "approved":
            row.approved_by_id, row.approved_at = by, at
        elif step == "sent":
            row.sent_at, row.head_of_service_id = at, head_of_service_id
        else:
            row.agreed_at = at
        await self.session.flush()
        return True

    async def actions(self, dip_id: int) -> list[DipActionRow]:
        rows = await self.session.execute(
            select(ActionItem, Person.display_name)
            .outerjoin(Person, Person.id == ActionItem.confirmed_by_id)
            .where(ActionItem.dip_sample_id == dip_id)
            .order_by(ActionItem.id)
        )
        return [
            DipActionRow(
                a.id,
                a.text,
                a.owner_text or "",
                a.deadline,
                a.rag,
                a.status,
                a.progress or "",
                by or "",
                a.confirmed_at,
            )
            for a, by in rows
        ]

    async def link_draw(self, dip_id: int, draw_id: int) -> None:
        await self.session.execute(update(DipSample).where(DipSample.id == dip_id).values(draw_id=draw_id))

    async def update_action(self, action_id: int, progress: str, at: datetime) -> None:
        await self.session.execute(
            update(ActionItem).where(ActionItem.id == action_id).values(progress=progress or None, updated_at=at)
        )

    async def service_managers(self, head_of_service_id: int) -> list[int]:
        rows = await self.session.execute(
            select(Team.service_manager_id).where(
                Team.head_of_service_id == head_of_service_id, Team.service_manager_id.is_not(None)
            )
        )
        return sorted({r for r in rows.scalars() if r is not None})

    async def add_actions(self, dip_id: int, actions: Sequence[DipAction], at: datetime) -> None:
        for action in actions:
            self.session.add(
                ActionItem(
                    dip_sample_id=dip_id,
                    text=action.text,
                    owner_text=action.who[:200],
                    deadline=action.by,
                    rag=action.rag,
                    status="open",
                    created_at=at,
                    updated_at=at,
                )
            )
        await self.session.flush()
