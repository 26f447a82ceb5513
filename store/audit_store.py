"""The SQL side of the workflow's AuditStore port, one instance per unit of work (session)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import RowMapping, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.audits import AuditView, CaseRef
from plf_core.clock import Clock
from plf_core.forms.validation import Value
from plf_core.outcomes import OutcomeScales
from plf_core.people import Actor
from plf_core.ports import Notice, PersonSummary, TeamLeaders, UnknownSender
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, Grade, Role
from store import hot_path
from store.models import (
    Audit,
    Case,
    Cycle,
    GradeRecord,
    OutboxMessage,
    OutcomeScore,
    Person,
    PersonRole,
    ServiceArea,
    Team,
    UnknownSenderRow,
)

OPEN = [s.value for s in OPEN_AUDIT_STATUSES]
MAX_LISTED = 50


class SqlAuditStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.notices_added = 0

    # --- people ---------------------------------------------------------------------------

    async def actor_by_aad(self, aad_object_id: str) -> Actor | None:
        person = (
            await self.session.execute(select(Person).where(Person.aad_object_id == aad_object_id.lower()))
        ).scalar_one_or_none()
        if person is None or not person.active:
            return None
        return await self.actor(person)

    async def actor(self, person: Person) -> Actor:
        roles = frozenset(
            Role(r)
            for r in (
                await self.session.execute(select(PersonRole.role).where(PersonRole.person_id == person.id))
            ).scalars()
        )
        teams = (
            await self.session.execute(
                select(
                    Team.id,
                    Team.service_area_id,
                    Team.practice_lead_id,
                    Team.service_manager_id,
                    Team.head_of_service_id,
                ).where(
                    or_(
                        Team.practice_lead_id == person.id,
                        Team.service_manager_id == person.id,
                        Team.head_of_service_id == person.id,
                    )
                )
            )
        ).all()
        return Actor(
            person_id=person.id,
            aad_object_id=person.aad_object_id,
            name=person.display_name,
            roles=roles,
            team_id=person.team_id,
            led_team_ids=frozenset(t.id for t in teams if t.practice_lead_id == person.id),
            managed_area_ids=frozenset(t.service_area_id for t in teams if t.service_manager_id == person.id),
            headed_area_ids=frozenset(t.service_area_id for t in teams if t.head_of_service_id == person.id),
        )

    async def find_person(self, ref: str) -> PersonSummary | None:
        ref = ref.strip().lstrip("#")
        query = select(Person)
        if ref.isdigit():
            query = query.where(Person.id == int(ref))
        elif "@" in ref:
            query = query.where(func.lower(Person.email) == ref.lower())
        else:
            try:
                query = query.where(Person.aad_object_id == str(uuid.UUID(ref)))
            except ValueError:
                return None
        person = (await self.session.execute(query)).scalar_one_or_none()
        if person is None:
            return None
        return PersonSummary(person.id, person.display_name, person.email, person.team_id)

    async def person_name(self, person_id: int) -> str:
        name = (await self.session.execute(select(Person.display_name).where(Person.id == person_id))).scalar()
        return name or f"person {person_id}"

    async def qa_people(self) -> list[int]:
        rows = await self.session.execute(
            select(PersonRole.person_id).where(
                PersonRole.role.in_([Role.PRACTICE_LEARNING_REVIEWER.value, Role.QA_MANAGER.value])
            )
        )
        return sorted(set(rows.scalars()))

    async def team_leaders(self, team_id: int) -> TeamLeaders:
        team = await self.session.get(Team, team_id)
        if team is None:
            return TeamLeaders(None, None, None)
        return TeamLeaders(team.practice_lead_id, team.service_manager_id, team.head_of_service_id)

    # --- cases and audits -----------------------------------------------------------------

    def _case_query(self) -> Any:
        return (
            select(Case, Team, ServiceArea)
            .join(Team, Case.team_id == Team.id)
            .join(ServiceArea, Team.service_area_id == ServiceArea.id)
        )

    @staticmethod
    def _case_ref(case: Case, team: Team, area: ServiceArea) -> CaseRef:
        return CaseRef(
            case.id,
            case.azeus_number,
            team.id,
            team.code,
            team.name,
            area.id,
            area.name,
            case.gender,
            case.age,
            team.practice_lead_id,
            team.service_manager_id,
            team.head_of_service_id,
        )

    async def find_case(self, azeus_number: str) -> CaseRef | None:
        row = (
            await self.session.execute(
                self._case_query().where(func.lower(Case.azeus_number) == azeus_number.strip().lower())
            )
        ).first()
        return self._case_ref(*row) if row else None

    async def case_cohort(self, case_id: int) -> str | None:
        return (await self.session.execute(select(Case.cohort).where(Case.id == case_id))).scalar()

    async def answers_of(self, audit_id: int) -> dict[str, Value]:
        connection = await self.session.connection()
        rows = await connection.execute(hot_path.ANSWERS, {"audit_id": audit_id})
        return {k: v for _, values in rows for k, v in values.items()}

    async def audit(self, audit_id: int, *, lock: bool = False) -> AuditView | None:
        """The audit with its case, team, people and latest answers: two prebuilt queries."""
        connection = await self.session.connection()
        statement = hot_path.AUDIT_FOR_UPDATE if lock else hot_path.AUDIT
        row = (await connection.execute(statement, {"audit_id": audit_id})).mappings().first()
        if row is None:
            return None
        return _audit_view(row, await self.answers_of(audit_id))

    async def open_audits(self, actor: Actor) -> list[AuditView]:
        A, C, T = hot_path.A, hot_path.C, hot_path.T
        scopes = [A.practitioner_id == actor.person_id, A.second_person_id == actor.person_id]
        if actor.led_team_ids:
            scopes.append(C.team_id.in_(actor.led_team_ids))
        if actor.managed_area_ids:
            scopes.append(T.service_area_id.in_(actor.managed_area_ids))
        query = (
            hot_path.AUDITS_WITH_CASES.where(A.status.in_(OPEN), or_(*scopes))
            .order_by(A.due_on.is_(None), A.due_on, A.id)
            .limit(MAX_LISTED)
        )
        connection = await self.session.connection()
        return [_audit_view(row, {}) for row in (await connection.execute(query)).mappings()]

    async def audits_to_moderate(self, moderator_id: int) -> list[AuditView]:
        """The audits this person has been asked to moderate and has not finished."""
        M = hot_path.MODERATIONS.c
        query = (
            hot_path.AUDITS_WITH_CASES.join(hot_path.MODERATIONS, M.audit_id == hot_path.A.id)
            .where(M.moderator_id == moderator_id, M.status != "completed")
            .order_by(M.requested_at, hot_path.A.id)
            .limit(MAX_LISTED)
        )
        connection = await self.session.connection()
        return [_audit_view(row, {}) for row in (await connection.execute(query)).mappings()]

    async def open_audit_of(self, form_id: str, case_id: int, practitioner_id: int) -> int | None:
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

    async def create_audit(
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
        connection = await self.session.connection()
        now = self.clock.now()
        result = await connection.execute(
            hot_path.SAVE_VERSION,
            {
                "audit_id": audit_id,
                "expected": expected_version,
                "current_page": current_page,
                "status": status,
                "now": now,
            },
        )
        if result.rowcount != 1:
            return False
        await connection.execute(
            hot_path.ADD_ANSWER,
            {
                "audit_id": audit_id,
                "page_id": page_id,
                "version": expected_version + 1,
                "values": dict(values),
                "saved_by_id": by,
                "saved_at": now,
                "is_draft": True,
            },
        )
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

    # --- outbox, access log, unknown senders ----------------------------------------------

    async def add_notice(self, notice: Notice) -> None:
        """Written once: the same dedupe key again is a no-op (a retried submit, a second sweep)."""
        exists = (
            await self.session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == notice.dedupe_key))
        ).scalar()
        if exists is not None:
            return
        try:
            async with self.session.begin_nested():
                self.session.add(
                    OutboxMessage(
                        dedupe_key=notice.dedupe_key,
                        person_id=notice.person_id,
                        kind=notice.kind,
                        payload=dict(notice.data),
                        status="pending",
                        not_before=self.clock.now(),
                        created_at=self.clock.now(),
                    )
                )
        except IntegrityError:
            pass  # written by a concurrent unit of work: still exactly once

    async def log_access(
        self, actor: Actor | None, action: str, audit_id: int | None, activity_id: str | None, outcome: str
    ) -> None:
        connection = await self.session.connection()
        await connection.execute(
            hot_path.ADD_ACCESS,
            {
                "at": self.clock.now(),
                "actor_id": actor.person_id if actor else None,
                "actor_aad_object_id": actor.aad_object_id if actor else None,
                "action": action[:40],
                "object_type": "audit",
                "object_id": str(audit_id) if audit_id is not None else None,
                "activity_id": (activity_id or "")[:200] or None,
                "outcome": outcome[:20],
            },
        )

    async def record_unknown_sender(self, aad_object_id: str, name: str, tenant_id: str | None) -> bool:
        """True the first time this person writes (QA is then told once)."""
        row = await self.session.get(UnknownSenderRow, aad_object_id)
        if row is None:
            self.session.add(
                UnknownSenderRow(
                    aad_object_id=aad_object_id,
                    name=name[:120],
                    tenant_id=tenant_id,
                    first_seen=self.clock.now(),
                    last_seen=self.clock.now(),
                    messages=1,
                )
            )
            await self.session.flush()
            return True
        row.last_seen, row.messages = self.clock.now(), row.messages + 1
        return False

    async def unknown_senders(self) -> list[UnknownSender]:
        known = select(Person.aad_object_id)
        rows = (
            await self.session.execute(
                select(UnknownSenderRow)
                .where(UnknownSenderRow.aad_object_id.not_in(known))
                .order_by(UnknownSenderRow.last_seen.desc())
            )
        ).scalars()
        return [UnknownSender(r.aad_object_id, r.name, r.first_seen, r.last_seen, r.messages) for r in rows]


def _audit_view(row: RowMapping, answers: Mapping[str, Value]) -> AuditView:
    """An audit row of hot_path.AUDITS_WITH_CASES, as the workflow sees it."""
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
    )
