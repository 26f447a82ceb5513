"""The layered audit in SQL: the month's returns, moderation requests, moderating, and the rows that
agreement is measured on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from plf_core.audits import PLC_FORM
from plf_core.moderating import ModerationResult, ModerationRow
from plf_core.moderation import Moderated, Request, Returned
from plf_core.vocabulary import AuditStatus, Grade
from store import queries
from store.models import ActionItem, Audit, Case, GradeRecord, Moderation, Person, ServiceArea, Team
from store.repository import SqlRepository

RETURNED = [AuditStatus.SUBMITTED.value, AuditStatus.COMPLETED.value, AuditStatus.UPLOADED.value]
A, C, T, S, M = (
    cast(Table, Audit.__table__).c,
    cast(Table, Case.__table__).c,
    cast(Table, Team.__table__).c,
    cast(Table, ServiceArea.__table__).c,
    cast(Table, Moderation.__table__).c,
)
_GRADES = {g.value: g for g in Grade}


def grade_of(value: str | None) -> Grade | None:
    return _GRADES.get(value) if value is not None else None


class SqlModerations(SqlRepository):
    async def returned(self, start: date, end: date) -> list[Returned]:
        query = (
            select(
                A.id,
                A.final_grade,
                T.service_area_id,
                T.head_of_service_id,
                A.practitioner_id,
                A.second_person_id,
                A.submitted_by_id,
                C.azeus_number,
                T.code,
            )
            .select_from(queries.AUDIT_IN_AREA)
            .where(
                A.status.in_(RETURNED),
                A.form_id == PLC_FORM,
                A.submitted_at >= self.midnight(start),
                A.submitted_at < self.midnight(end),
            )
            .order_by(A.id)
        )
        rows = await self.session.execute(query)
        return [
            Returned(
                audit_id,
                grade_of(grade),
                area,
                hos,
                frozenset(p for p in (practitioner, second, submitter) if p is not None),
                azeus,
                team,
            )
            for audit_id, grade, area, hos, practitioner, second, submitter, azeus, team in rows
        ]

    async def requests_for(self, audit_ids: Sequence[int]) -> list[Request]:
        found: list[Request] = []
        for start in range(0, len(audit_ids), 1000):
            rows = await self.session.execute(
                select(Moderation.audit_id, Moderation.moderator_id, Moderation.stream).where(
                    Moderation.audit_id.in_(audit_ids[start : start + 1000])
                )
            )
            found += [Request(audit_id, moderator, stream) for audit_id, moderator, stream in rows]
        return found

    async def stream_count(self, stream: str, start: date, end: date) -> int:
        """Moderations of this stream asked for audits returned in [start, end): a cycle's quota counts
        the cycle's returns, whenever they were chosen (the job for September runs in October)."""
        return int(
            (
                await self.session.execute(
                    select(func.count())
                    .select_from(Moderation)
                    .join(Audit, Audit.id == Moderation.audit_id)
                    .where(
                        Moderation.stream == stream,
                        Audit.submitted_at >= self.midnight(start),
                        Audit.submitted_at < self.midnight(end),
                    )
                )
            ).scalar_one()
        )

    async def add(self, audit_id: int, moderator_id: int, stream: str) -> int | None:
        """Once per audit and moderator: a second run (or another instance) adds nothing."""
        exists = (
            await self.session.execute(
                select(Moderation.id).where(Moderation.audit_id == audit_id, Moderation.moderator_id == moderator_id)
            )
        ).scalar()
        if exists is not None:
            return None
        try:
            async with self.session.begin_nested():
                now = self.clock.now()
                row = Moderation(
                    audit_id=audit_id,
                    moderator_id=moderator_id,
                    stream=stream,
                    status="requested",
                    requested_at=now,
                    created_at=now,
                    updated_at=now,
                )
                self.session.add(row)
                await self.session.flush()
                return row.id
        except IntegrityError:
            return None

    async def of(self, audit_id: int, moderator_id: int) -> ModerationRow | None:
        row = (
            await self.session.execute(
                select(Moderation).where(Moderation.audit_id == audit_id, Moderation.moderator_id == moderator_id)
            )
        ).scalar_one_or_none()
        if row is None:
            return None
        return ModerationRow(
            row.id,
            row.audit_id,
            row.moderator_id,
            row.stream,
            row.status,
            dict(row.draft or {}),
            grade_of(row.original_grade),
            grade_of(row.moderated_grade),
            row.reason,
        )

    async def save_draft(self, moderation_id: int, draft: Mapping[str, object]) -> None:
        await self.session.execute(
            update(Moderation)
            .where(Moderation.id == moderation_id)
            .values(draft=dict(draft), status="in_progress", updated_at=self.clock.now())
        )

    async def complete(self, result: ModerationResult, by: int, at: datetime) -> bool:
        done = await self.session.execute(
            update(Moderation)
            .where(Moderation.id == result.moderation_id, Moderation.status != "completed")
            .values(
                status="completed",
                completed_at=at,
                original_grade=result.original_grade.value if result.original_grade else None,
                moderated_grade=result.moderated_grade.value,
                reason=result.reason or None,
                updated_at=at,
            )
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return False
        connection = await self.session.connection()
        await connection.execute(
            insert(cast(Table, GradeRecord.__table__)),
            [
                {
                    "audit_id": result.audit_id,
                    "source": "moderator",
                    "section": g.section,
                    "grade": g.moderated.value,
                    "given_by_id": by,
                    "moderation_id": result.moderation_id,
                    "reason": g.reason or None,
                    "given_at": at,
                }
                for g in result.sections
            ],
        )
        status, practitioner = (
            await self.session.execute(select(Audit.status, Audit.practitioner_id).where(Audit.id == result.audit_id))
        ).one()
        await self.session.execute(
            update(Audit)
            .where(Audit.id == result.audit_id)
            .values(
                final_grade=result.moderated_grade.value,
                status=AuditStatus.COMPLETED.value if status == AuditStatus.SUBMITTED.value else status,
                version=Audit.version + 1,
                updated_at=at,
            )
        )
        for text in result.actions:
            self.session.add(
                ActionItem(
                    audit_id=result.audit_id,
                    text=text,
                    owner_id=practitioner,
                    owner_text="allocated team",
                    status="open",
                    created_at=at,
                    updated_at=at,
                )
            )
        await self.session.flush()
        return True

    async def moderated(self, start: date, end: date) -> list[Moderated]:
        practitioner = cast(Table, Person.__table__).alias("auditor")
        query = (
            select(M.original_grade, M.moderated_grade, S.name, C.cohort, T.code, practitioner.c.display_name)
            .select_from(
                queries.AUDIT_IN_AREA.join(cast(Table, Moderation.__table__), M.audit_id == A.id).outerjoin(
                    practitioner, practitioner.c.id == A.practitioner_id
                )
            )
            .where(
                M.status == "completed",
                M.completed_at >= self.midnight(start),
                M.completed_at < self.midnight(end),
                M.original_grade.is_not(None),
                M.moderated_grade.is_not(None),
            )
        )
        connection = await self.session.connection()
        out = []
        for original, moderated, area, cohort, team, auditor in await connection.execute(query):
            first, second = grade_of(original), grade_of(moderated)
            if first is not None and second is not None:
                out.append(Moderated(first, second, area, cohort, team, auditor or "—"))
        return out
