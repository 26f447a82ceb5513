"""Sampling in SQL: the population of cases with what the criteria need, and the recorded draws."""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Table, func, select

from plf_core.periods import midnight
from plf_core.sampling import CaseFacts, Draw
from store.models import Audit, Case, SamplingDraw, ServiceArea, Team
from store.repository import SqlRepository

A, C, T, S = (
    cast(Table, Audit.__table__).c,
    cast(Table, Case.__table__).c,
    cast(Table, Team.__table__).c,
    cast(Table, ServiceArea.__table__).c,
)


class SqlSampling(SqlRepository):
    async def population(self, today: date) -> list[CaseFacts]:
        last = (
            select(A.case_id, func.max(A.submitted_at).label("last"))
            .where(A.case_id.is_not(None), A.submitted_at.is_not(None))
            .group_by(A.case_id)
            .subquery()
        )
        query = select(
            C.id,
            C.azeus_number,
            T.code,
            S.name,
            C.cohort,
            C.age,
            C.legal_status,
            C.ehcp,
            C.allocated_worker_id,
            T.practice_lead_id,
            last.c["last"],
        ).select_from(
            cast(Table, Case.__table__)
            .join(cast(Table, Team.__table__), C.team_id == T.id)
            .join(cast(Table, ServiceArea.__table__), T.service_area_id == S.id)
            .outerjoin(last, last.c.case_id == C.id)
        )
        connection = await self.session.connection()
        rows = await connection.execute(query)
        return [
            CaseFacts(
                case_id,
                azeus,
                team,
                area,
                cohort,
                age,
                legal,
                bool(ehcp),
                worker,
                lead,
                audited.date() if audited is not None else None,
            )
            for case_id, azeus, team, area, cohort, age, legal, ehcp, worker, lead, audited in rows
        ]

    async def draw_with_fingerprint(self, fingerprint: str, seed: int) -> int | None:
        return (
            await self.session.execute(
                select(SamplingDraw.id).where(SamplingDraw.fingerprint == fingerprint, SamplingDraw.seed == seed)
            )
        ).scalar()

    async def quota_drawn_since(self, day: date) -> bool:
        since = midnight(day, self.clock.zone)
        found = await self.session.execute(
            select(SamplingDraw.id).where(SamplingDraw.purpose == "plc", SamplingDraw.created_at >= since).limit(1)
        )
        return found.scalar() is not None

    async def record_draw(self, purpose: str, result: Draw, fingerprint: str, by: int) -> int:
        row = SamplingDraw(
            purpose=purpose,
            method=result.method.value,
            criteria={**result.criteria.as_json(), "size": result.size},
            seed=result.seed,
            population_size=result.population_size,
            selection=cast(list[object], result.as_json()),
            fingerprint=fingerprint,
            created_by_id=by,
            created_at=self.clock.now(),
        )
        self.session.add(row)
        await self.session.flush()
        return row.id
