"""Audits and their answers: each saved page a new version, read back as the latest of each page."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert, or_, select, update

from plf_core.audits import AuditView, CaseRef, FamilySaid
from plf_core.forms.validation import Value
from plf_core.outcomes import OutcomeScales
from plf_core.people import Actor
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, Grade, Role
from store import queries
from store.models import Audit, Cycle, GradeRecord, OutcomeScore, Person, PersonRole
from store.repository import SqlRepository

OPEN = [s.value for s in OPEN_AUDIT_STATUSES]
MAX_LISTED = 50


class SqlAudits(SqlRepository):
    async def get(self, audit_id: int, *, lock: bool = False) -> AuditView | None:
        """The audit with its case, team, people and latest answers: one prebuilt query, one row."""
        if self.raw is not None:  # a card save on PostgreSQL: straight on the driver
            row: Mapping[Any, Any] | None = await self.raw.fetchrow(queries.AUDIT, {"audit_id": audit_id})
        else:
            connection = await self.session.connection()
            statement = queries.AUDIT_FOR_UPDATE if lock and self.batch is None else queries.AUDIT
            row = (await connection.execute(statement, {"audit_id": audit_id})).mappings().first()
        if row is None:
            return None
        return _audit_view(row, _merged(row["latest_answers"]))

    async def answers_of(self, audit_id: int) -> dict[str, Value]:
        connection = await self.session.connection()
        return _merged((await connection.execute(queries.LATEST_ANSWERS, {"audit_id": audit_id})).scalar())

    async def page_answers_at(self, audit_id: int, page_id: str, version: int) -> dict[str, Value]:
        connection = await self.session.connection()
        row = (
            await connection.execute(queries.PAGE_AT, {"audit_id": audit_id, "page_id": page_id, "version": version})
        ).first()
        return dict(row[0]) if row is not None else {}

    async def saved_by(self, audit_id: int, page_ids: Collection[str]) -> dict[str, str]:
        connection = await self.session.connection()
        rows = await connection.execute(queries.SAVED_BY, {"audit_id": audit_id, "pages": list(page_ids)})
        return {page: name for page, name in rows}

    async def open_for(self, actor: Actor) -> list[AuditView]:
        A, C, T = queries.A, queries.C, queries.T
        scopes = [A.practitioner_id == actor.person_id, A.second_person_id == actor.person_id]
        if actor.led_team_ids:
            scopes.append(C.team_id.in_(actor.led_team_ids))
        if actor.managed_area_ids:
            scopes.append(T.service_area_id.in_(actor.managed_area_ids))
        query = (
            queries.AUDITS_WITH_CASES.where(A.status.in_(OPEN), or_(*scopes))
            .order_by(A.due_on.is_(None), A.due_on, A.id)
            .limit(MAX_LISTED)
        )
        connection = await self.session.connection()
        return [_audit_view(row, {}) for row in (await connection.execute(query)).mappings()]

    async def to_moderate(self, moderator_id: int) -> list[AuditView]:
        """The audits this person has been asked to moderate and has not finished."""
        M = queries.MODERATIONS.c
        query = (
            queries.AUDITS_WITH_CASES.join(queries.MODERATIONS, M.audit_id == queries.A.id)
            .where(M.moderator_id == moderator_id, M.status != "completed")
            .order_by(M.requested_at, queries.A.id)
            .limit(MAX_LISTED)
        )
        connection = await self.session.connection()
        return [_audit_view(row, {}) for row in (await connection.execute(query)).mappings()]

    async def open_on_case(self, case_id: int) -> list[AuditView]:
        A = queries.A
        query = queries.AUDITS_WITH_CASES.where(A.case_id == case_id, A.status.in_(OPEN)).order_by(A.id)
        connection = await self.session.connection()
        return [_audit_view(row, {}) for row in (await connection.execute(query.limit(MAX_LISTED))).mappings()]

    async def open_of(self, form_id: str, case_id: int, practitioner_id: int) -> int | None:
        return (
            await self.session.execute(
                select(Audit.id).where(
                    Audit.form_id == form_id,
                    Audit.case_id == case_id,
                    Audit.practitioner_id == practitioner_id,
                    Audit.status.in_(OPEN),
                )
            )
        ).scalar()

    async def cycle_due_on(self, day: date) -> date | None:
        return (
            await self.session.execute(
                select(Cycle.due_on).where(Cycle.starts_on <= day, Cycle.due_on >= day).order_by(Cycle.due_on)
            )
        ).scalar()

    async def create(
        self,
        *,
        form_id: str,
        case_id: int | None,
        practitioner_id: int,
        second_person_id: int | None,
        due_on: date | None,
        parent_audit_id: int | None = None,
    ) -> int:
        row = Audit(
            form_id=form_id,
            case_id=case_id,
            practitioner_id=practitioner_id,
            second_person_id=second_person_id,
            due_on=due_on,
            parent_audit_id=parent_audit_id,
            status=AuditStatus.ASSIGNED.value,
            version=1,
            created_at=self.clock.now(),
            updated_at=self.clock.now(),
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def save_answers(
        self,
        audit_id: int,
        expected_version: int,
        page_id: str,
        values: Mapping[str, Value],
        by: int,
        current_page: str,
        status: str,
    ) -> bool:
        """The page's answers as a new version, and the audit's latest answers with them, if the audit is
        still at `expected_version`. In a batched unit of work both are written when it ends, with the
        access log, in one statement: a version moved on meanwhile then raises Contended there."""
        now = self.clock.now()
        guard = {
            "audit_id": audit_id,
            "expected": expected_version,
            "current_page": current_page,
            "status": status,
            "now": now,
            "page_id": page_id,
            "values": dict(values),
        }
        answer = {
            "audit_id": audit_id,
            "page_id": page_id,
            "version": expected_version + 1,
            "values": dict(values),
            "saved_by_id": by,
            "saved_at": now,
            "is_draft": True,
        }
        if self.batch is not None:
            self.batch.guard(guard)
            self.batch.insert(queries.ANSWER_ROWS, answer)
            return True
        connection = await self.session.connection()
        if (await connection.execute(queries.SAVE_VERSION, guard)).rowcount != 1:
            return False
        await connection.execute(queries.ADD_ANSWER, answer)
        return True

    async def submit(
        self, audit_id: int, expected_version: int, by: int, at: datetime, final_grade: Grade | None
    ) -> bool:
        result = await self.session.execute(
            update(Audit)
            .where(Audit.id == audit_id, Audit.version == expected_version)
            .values(
                version=Audit.version + 1,
                status=AuditStatus.SUBMITTED.value,
                submitted_by_id=by,
                submitted_at=at,
                final_grade=final_grade.value if final_grade else None,
                updated_at=self.clock.now(),
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    async def record_scores(self, audit_id: int, grades: Mapping[str, Grade], scales: OutcomeScales) -> None:
        rows = [
            {"audit_id": audit_id, "source": source, "area": area, "score": score}
            for source, values in (("practitioner", scales.practitioner), ("child", scales.child))
            for area, score in values.items()
        ]
        for source, overall in (("practitioner", scales.practitioner_overall), ("manager", scales.manager_overall)):
            if overall is not None:
                rows.append({"audit_id": audit_id, "source": source, "area": "overall", "score": overall})
        if rows:
            await self.session.execute(insert(OutcomeScore), rows)
        for who, grade in grades.items():
            self.session.add(GradeRecord(audit_id=audit_id, source=who[:16], section="overall", grade=grade.value))
        await self.session.flush()

    async def set_pim_due(self, audit_id: int, due_on: date) -> None:
        await self.session.execute(update(Audit).where(Audit.id == audit_id).values(pim_due_on=due_on))

    async def set_pim_held(self, audit_id: int, held_on: date) -> None:
        await self.session.execute(
            update(Audit).where(Audit.id == audit_id).values(pim_held_on=held_on, version=Audit.version + 1)
        )

    async def mark_uploaded(self, audit_id: int, by: int, at: datetime) -> bool:
        result = await self.session.execute(
            update(Audit)
            .where(Audit.id == audit_id, Audit.uploaded_at.is_(None))
            .values(
                uploaded_at=at,
                uploaded_by_id=by,
                status=AuditStatus.UPLOADED.value,
                version=Audit.version + 1,
                updated_at=self.clock.now(),
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    async def set_subject(self, audit_id: int, person_id: int) -> None:
        await self.session.execute(update(Audit).where(Audit.id == audit_id).values(subject_id=person_id))

    async def supervisors_due(self, since: date) -> list[tuple[int, str]]:
        reviewed = select(Audit.subject_id).where(
            Audit.form_id == "supervision_review",
            Audit.subject_id.is_not(None),
            Audit.created_at >= datetime.combine(since, time(0), tzinfo=UTC),
        )
        rows = await self.session.execute(
            select(Person.id, Person.display_name)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == Role.PRACTICE_LEAD.value, Person.active.is_(True), Person.id.not_in(reviewed))
            .order_by(Person.display_name, Person.id)
        )
        return [(person, name) for person, name in rows]

    async def link_to_draw(self, audit_id: int, draw_id: int) -> None:
        await self.session.execute(update(Audit).where(Audit.id == audit_id).values(draw_id=draw_id))


def _merged(pages: Mapping[str, Mapping[str, Value]] | None) -> dict[str, Value]:
    """{page id: {field id: value}} as the workflow sees answers: one mapping (field ids are unique in a form)."""
    return {k: v for values in (pages or {}).values() for k, v in values.items()}


def _audit_view(row: Mapping[Any, Any], answers: Mapping[str, Value]) -> AuditView:
    """An audit row of queries.AUDITS_WITH_CASES, as the workflow sees it."""
    case = None
    if row["case_id"] is not None:
        case = CaseRef(
            row["case_id"],
            row["azeus_number"],
            row["team_id"],
            row["team_code"],
            row["team_name"],
            row["service_area_id"],
            row["service_area_name"],
            row["gender"],
            row["age"],
            row["practice_lead_id"],
            row["service_manager_id"],
            row["head_of_service_id"],
        )
    return AuditView(
        id=row["id"],
        form_id=row["form_id"],
        case=case,
        practitioner_id=row["practitioner_id"],
        second_person_id=row["second_person_id"],
        status=AuditStatus(row["status"]),
        version=row["version"],
        current_page=row["current_page"],
        answers=answers,
        submitted_by_id=row["submitted_by_id"],
        submitted_at=row["submitted_at"],
        due_on=row["due_on"],
        pim_due_on=row["pim_due_on"],
        pim_held_on=row["pim_held_on"],
        parent_audit_id=row["parent_audit_id"],
        final_grade=Grade(row["final_grade"]) if row["final_grade"] else None,
        uploaded_at=row["uploaded_at"],
        practitioner_name=row["practitioner_name"] or "",
        second_person_name=row["second_person_name"] or "",
        family=_family(row),
    )


def _family(row: Mapping[Any, Any]) -> tuple[FamilySaid, ...]:
    """What the case's child and its parent or carer last said (queries.AUDIT's child_* and parent_* columns),
    the newest first; nothing if neither has answered."""
    said = []
    for audience in queries.FAMILY_AUDIENCES:
        worded = row.get(f"{audience}_worded")
        if isinstance(worded, list):
            pairs = tuple((str(p[0]), str(p[1])) for p in worded if isinstance(p, list | tuple) and len(p) == 2)
            flagged = bool(row.get(f"{audience}_flagged"))
            said.append(FamilySaid(audience, row[f"{audience}_received_at"], pairs, flagged))
    return tuple(sorted(said, key=lambda s: s.received_at, reverse=True))
