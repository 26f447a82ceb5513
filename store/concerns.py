"""Immediate concerns on SQL (plf_core.concerns): each with its case's leaders as they are now, so an
escalation reaches today's Head of Service; escalations claimed with SKIP LOCKED on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row, String, and_, cast, exists, func, literal, or_, select, update
from sqlalchemy.orm import aliased

from plf_core.concern_ports import ConcernRow, NewConcern
from store.models import Audit, Case, Concern, DipSample, OutboxMessage, Person, ServiceArea, Team
from store.repository import SqlRepository

UNDELIVERED = ("failed", "dead")
RAISER = aliased(Person)
HOLDER = aliased(Person)


def _query() -> Any:
    return (
        select(
            Concern,
            Case.azeus_number,
            Team.name,
            Team.practice_lead_id,
            Team.service_manager_id,
            func.coalesce(Team.head_of_service_id, DipSample.head_of_service_id),
            ServiceArea.name,
            Audit.form_id,
            RAISER.display_name,
            HOLDER.display_name,
        )
        .outerjoin(Case, Case.id == Concern.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .outerjoin(DipSample, DipSample.id == Concern.dip_sample_id)
        .outerjoin(ServiceArea, ServiceArea.id == Concern.area_id)
        .outerjoin(Audit, Audit.id == Concern.audit_id)
        .outerjoin(RAISER, RAISER.id == Concern.raised_by_id)
        .outerjoin(HOLDER, HOLDER.id == Concern.acknowledged_by_id)
    )


def _row(found: Row[Any]) -> ConcernRow:
    c: Concern = found[0]
    case_ref, team, lead, manager, head, area, form_id, raiser, holder = tuple(found)[1:]
    return ConcernRow(
        c.id,
        c.description,
        c.at_risk_now,
        c.raised_at,
        c.level,
        case_ref,
        team or "",
        c.area_id,
        area or "",
        c.audit_id,
        form_id,
        c.page_id,
        c.dip_sample_id,
        c.raised_by_id,
        raiser or "",
        c.next_escalation_at,
        c.acknowledged_by_id,
        holder or "",
        c.acknowledged_at,
        lead,
        manager,
        head,
    )


class SqlConcerns(SqlRepository):
    async def add(self, new: NewConcern) -> int:
        concern = Concern(**asdict(new), level=0)
        self.session.add(concern)
        await self.session.flush()
        return concern.id

    async def get(self, concern_id: int, *, lock: bool = False) -> ConcernRow | None:
        if lock and self.dialect == "postgresql":  # two managers pressing at once: one after the other
            await self.session.execute(select(Concern.id).where(Concern.id == concern_id).with_for_update())
        found = (await self.session.execute(_query().where(Concern.id == concern_id))).first()
        return _row(found) if found is not None else None

    async def of_action(self, action_id: int) -> int | None:
        found = await self.session.execute(select(Concern.id).where(Concern.action_id == action_id))
        return found.scalar()

    async def acknowledge(self, concern_id: int, person_id: int, at: datetime) -> bool:
        result = await self.session.execute(
            update(Concern)
            .where(Concern.id == concern_id, Concern.acknowledged_at.is_(None))
            .values(acknowledged_by_id=person_id, acknowledged_at=at, next_escalation_at=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def undelivered(self, concern_id: int, level: int) -> bool:
        sent = select(OutboxMessage.status).where(OutboxMessage.dedupe_key.like(f"concern:{concern_id}:{level}:%"))
        statuses = list((await self.session.execute(sent)).scalars())
        return bool(statuses) and all(s in UNDELIVERED for s in statuses)

    async def due_escalations(self, now: datetime, limit: int) -> list[ConcernRow]:
        """Due by the clock, or now: every card of its present level could not be delivered."""
        level_keys = OutboxMessage.dedupe_key.like(
            literal("concern:") + cast(Concern.id, String) + literal(":") + cast(Concern.level, String) + literal(":%")
        )
        sent_at_level = select(OutboxMessage.id).where(level_keys)
        arriving = sent_at_level.where(OutboxMessage.status.not_in(UNDELIVERED))
        undelivered = and_(exists(sent_at_level), ~exists(arriving))
        due = (
            select(Concern.id)
            .where(
                Concern.acknowledged_at.is_(None),
                Concern.next_escalation_at.is_not(None),
                or_(Concern.next_escalation_at <= now, undelivered),
            )
            .order_by(Concern.next_escalation_at)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list((await self.session.execute(due)).scalars())
        if not ids:
            return []
        rows = await self.session.execute(_query().where(Concern.id.in_(ids)).order_by(Concern.id))
        return [_row(r) for r in rows]

    async def escalated(self, concern_id: int, level: int, next_at: datetime | None) -> None:
        await self.session.execute(
            update(Concern).where(Concern.id == concern_id).values(level=level, next_escalation_at=next_at)
        )

    async def listed(self, area_ids: Sequence[int] | None, since: datetime, limit: int) -> list[ConcernRow]:
        query = _query().where(Concern.raised_at >= since)
        if area_ids is not None:
            query = query.where(Concern.area_id.in_(list(area_ids)))
        rows = await self.session.execute(query.order_by(Concern.raised_at.desc()).limit(limit))
        return [_row(r) for r in rows]
