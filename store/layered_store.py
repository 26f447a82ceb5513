"""The SQL side of the layered audit (sampling, moderation, agreement): plf_core.layered's port."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from plf_core.dips import DipAction, DipRow
from plf_core.errors import ValidationFailed
from plf_core.highlight import HighlightReport
from plf_core.layered import ModerationResult, ModerationRow
from plf_core.moderation import Moderated, Request, Returned
from plf_core.periods import Period, midnight
from plf_core.sampling import CaseFacts, Draw
from plf_core.timetable import DueNotice, Rule, State
from plf_core.timetable_commands import FailedMessage
from plf_core.vocabulary import AuditStatus, Grade, Role
from store import report_store
from store.audit_store import SqlAuditStore
from store.models import (
    ActionItem,
    Audit,
    Case,
    Cycle,
    DipSample,
    GradeRecord,
    Moderation,
    OutboxMessage,
    Person,
    PersonRole,
    SamplingDraw,
    ServiceArea,
    SnoozeRow,
    Team,
)
from store.timetable_store import load_state, write_notices

RETURNED = [AuditStatus.SUBMITTED.value, AuditStatus.COMPLETED.value, AuditStatus.UPLOADED.value]
A, C, T, S, M = (
    cast(Table, Audit.__table__).c,
    cast(Table, Case.__table__).c,
    cast(Table, Team.__table__).c,
    cast(Table, ServiceArea.__table__).c,
    cast(Table, Moderation.__table__).c,
)


_GRADES = {g.value: g for g in Grade}


def _grade(value: str | None) -> Grade | None:
    return _GRADES.get(value) if value is not None else None


class SqlLayeredStore(SqlAuditStore):
    def _midnight(self, day: date) -> datetime:
        """Where a local day begins, in UTC: months and quarters start at the zone's midnight."""
        return midnight(day, self.clock.zone)

    # --- sampling -----------------------------------------------------------------------------

    async def sampling_population(self, today: date) -> list[CaseFacts]:
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

    async def known_names(self) -> tuple[list[str], list[str]]:
        teams = list((await self.session.execute(select(Team.code))).scalars())
        areas = list((await self.session.execute(select(ServiceArea.name))).scalars())
        return teams, areas

    async def draw_with_fingerprint(self, fingerprint: str, seed: int) -> int | None:
        return (
            await self.session.execute(
                select(SamplingDraw.id).where(SamplingDraw.fingerprint == fingerprint, SamplingDraw.seed == seed)
            )
        ).scalar()

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

    async def link_audit_to_draw(self, audit_id: int, draw_id: int) -> None:
        await self.session.execute(update(Audit).where(Audit.id == audit_id).values(draw_id=draw_id))

    # --- moderation selection -------------------------------------------------------------------

    async def returned_audits(self, start: date, end: date) -> list[Returned]:
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
            .select_from(
                cast(Table, Audit.__table__)
                .join(cast(Table, Case.__table__), A.case_id == C.id)
                .join(cast(Table, Team.__table__), C.team_id == T.id)
            )
            .where(
                A.status.in_(RETURNED),
                A.form_id == "practice_learning_conversation",
                A.submitted_at >= self._midnight(start),
                A.submitted_at < self._midnight(end),
            )
            .order_by(A.id)
        )
        rows = await self.session.execute(query)
        return [
            Returned(
                audit_id,
                _grade(grade),
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

    async def people_with_roles(self, roles: Sequence[str]) -> list[int]:
        rows = await self.session.execute(
            select(PersonRole.person_id)
            .join(Person, Person.id == PersonRole.person_id)
            .where(PersonRole.role.in_(list(roles)), Person.active.is_(True))
        )
        return sorted(set(rows.scalars()))

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
                        Audit.submitted_at >= self._midnight(start),
                        Audit.submitted_at < self._midnight(end),
                    )
                )
            ).scalar_one()
        )

    async def add_moderation(self, audit_id: int, moderator_id: int, stream: str) -> int | None:
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

    # --- moderating -----------------------------------------------------------------------------

    async def moderation_of(self, audit_id: int, moderator_id: int) -> ModerationRow | None:
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
            _grade(row.original_grade),
            _grade(row.moderated_grade),
            row.reason,
        )

    async def save_moderation_draft(self, moderation_id: int, draft: Mapping[str, object]) -> None:
        await self.session.execute(
            update(Moderation)
            .where(Moderation.id == moderation_id)
            .values(draft=dict(draft), status="in_progress", updated_at=self.clock.now())
        )

    async def complete_moderation(self, result: ModerationResult, by: int, at: datetime) -> bool:
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
                cast(Table, Moderation.__table__)
                .join(cast(Table, Audit.__table__), M.audit_id == A.id)
                .join(cast(Table, Case.__table__), A.case_id == C.id)
                .join(cast(Table, Team.__table__), C.team_id == T.id)
                .join(cast(Table, ServiceArea.__table__), T.service_area_id == S.id)
                .outerjoin(practitioner, practitioner.c.id == A.practitioner_id)
            )
            .where(
                M.status == "completed",
                M.completed_at >= self._midnight(start),
                M.completed_at < self._midnight(end),
                M.original_grade.is_not(None),
                M.moderated_grade.is_not(None),
            )
        )
        connection = await self.session.connection()
        out = []
        for original, moderated, area, cohort, team, auditor in await connection.execute(query):
            first, second = _grade(original), _grade(moderated)
            if first is not None and second is not None:
                out.append(Moderated(first, second, area, cohort, team, auditor or "—"))
        return out

    # --- dip samples ------------------------------------------------------------------------------

    async def create_dip(self, theme: str, audit_id: int, by: int, at: datetime) -> int:
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

    async def dip(self, dip_id: int) -> DipRow | None:
        row = await self.session.get(DipSample, dip_id)
        return None if row is None else await self._dip_row(row)

    async def _dip_row(self, row: DipSample) -> DipRow:
        audit_id = (await self.session.execute(select(Audit.id).where(Audit.dip_sample_id == row.id))).scalar()
        history = row.terms.get("history") if isinstance(row.terms, dict) else None
        entries = history if isinstance(history, list) else []
        steps = tuple((str(h[0]), str(h[1]), h[2]) for h in entries if isinstance(h, list) and len(h) == 3)
        return DipRow(row.id, row.theme, row.status, audit_id, row.head_of_service_id, steps)

    async def dips(self) -> list[DipRow]:
        rows = (await self.session.execute(select(DipSample).order_by(DipSample.id.desc()).limit(50))).scalars()
        return [await self._dip_row(row) for row in rows]

    async def record_dip_step(
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

    async def add_dip_actions(self, dip_id: int, actions: Sequence[DipAction], at: datetime) -> None:
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

    async def has_role(self, person_id: int, role: Role) -> bool:
        found = await self.session.execute(
            select(PersonRole.person_id).where(PersonRole.person_id == person_id, PersonRole.role == role.value)
        )
        return found.first() is not None

    # --- follow-ups -------------------------------------------------------------------------------

    async def confirm_actions(self, audit_id: int, by: int, at: datetime) -> int:
        done = await self.session.execute(
            update(ActionItem)
            .where(ActionItem.audit_id == audit_id, ActionItem.status.in_(["open", "not_yet"]))
            .values(status="done", confirmed_by_id=by, confirmed_at=at, updated_at=at)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    async def actions_not_yet(self, audit_id: int, reason: str, at: datetime) -> int:
        marked = await self.session.execute(
            update(ActionItem)
            .where(ActionItem.audit_id == audit_id, ActionItem.status.in_(["open", "not_yet"]))
            .values(status="not_yet", not_yet_reason=reason, updated_at=at)
        )
        return int(marked.rowcount)  # type: ignore[attr-defined]

    async def cancel_pending(self, key_prefixes: tuple[str, ...], subject: str) -> int:
        """Pending timetable notices about `subject` (keys 'rule:subject:person') that are no longer needed."""
        cancelled = 0
        for prefix in key_prefixes:
            result = await self.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == "pending",
                    OutboxMessage.dedupe_key.like(f"{prefix}%:{subject}:%"),
                )
                .values(status="cancelled")
            )
            cancelled += int(result.rowcount)  # type: ignore[attr-defined]
        # and out of any digest still waiting to go
        digests = (
            await self.session.execute(
                select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.kind == "daily_digest")
            )
        ).scalars()
        for digest in digests:
            items = digest.payload.get("items")
            items = items if isinstance(items, list) else []

            def gone(item: object) -> bool:
                key = str(item.get("key", "")) if isinstance(item, dict) else ""
                return any(key.startswith(prefix) for prefix in key_prefixes) and f":{subject}:" in key

            kept = [i for i in items if not gone(i)]
            if len(kept) != len(items):
                cancelled += len(items) - len(kept)
                digest.payload = {**digest.payload, "items": kept}
                if not kept:
                    digest.status = "cancelled"
        await self.session.flush()
        return cancelled

    async def snooze(self, person_id: int, until: date) -> None:
        row = await self.session.get(SnoozeRow, person_id)
        if row is None:
            self.session.add(SnoozeRow(person_id=person_id, until=until))
        else:
            row.until = until
        await self.session.flush()

    async def mark_data_sent(self, cycle: str, by: int, at: datetime) -> tuple[bool, str, datetime] | None:
        """The cycle's case data marked as sent to QA: (newly marked, by whom, when); None: no such cycle.
        The first mark stands; a second press reports it."""
        row = (
            await self.session.execute(select(Cycle).where(Cycle.code == cycle).with_for_update())
        ).scalar_one_or_none()
        if row is None:
            return None
        fresh = row.data_sent_at is None
        if fresh:
            row.data_sent_at, row.data_sent_by_id = at, by
            await self.session.flush()
        name = await self.person_name(row.data_sent_by_id) if row.data_sent_by_id else "someone no longer listed"
        assert row.data_sent_at is not None
        return fresh, name, row.data_sent_at

    async def data_sent(self, cycle: str) -> tuple[str, datetime] | None:
        """Who marked the cycle's case data as sent, and when (None: not yet)."""
        found = (
            await self.session.execute(select(Cycle.data_sent_by_id, Cycle.data_sent_at).where(Cycle.code == cycle))
        ).first()
        if found is None or found[1] is None:
            return None
        return (await self.person_name(found[0]) if found[0] else "someone no longer listed"), found[1]

    # --- reports ---------------------------------------------------------------------------------

    async def report_scope(self, text: str | None) -> tuple[int | None, str]:
        return await report_store.report_scope(self.session, text)

    async def area_name(self, area_id: int) -> str:
        name = (await self.session.execute(select(ServiceArea.name).where(ServiceArea.id == area_id))).scalar()
        return name or f"service area {area_id}"

    async def highlight(self, period: Period, area_id: int | None, scope: str, now: datetime) -> HighlightReport:
        return await report_store.highlight_report(self.session, period, area_id, scope, now, self.clock.zone)

    # --- the timetable from chat -------------------------------------------------------------------

    async def timetable_state(self, rules: Sequence[Rule], day: date, *, with_open_audits: bool = False) -> State:
        return await load_state(self.session, rules, day, self.clock.zone, with_open_audits=with_open_audits)

    async def write_due(self, notices: Sequence[DueNotice]) -> int:
        # QA asked for them now: not in the day's digest
        written = await write_notices(self.session, notices, self.clock.now(), self.clock.zone, digest=False)
        self.notices_added += written
        return written

    async def people_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        rows = await self.session.execute(select(Person.id, Person.display_name).where(Person.id.in_(list(person_ids))))
        return {person: name for person, name in rows}

    async def failed_messages(self, limit: int) -> list[FailedMessage]:
        rows = await self.session.execute(
            select(
                OutboxMessage.id,
                Person.display_name,
                OutboxMessage.kind,
                OutboxMessage.status,
                OutboxMessage.attempts,
                OutboxMessage.last_error,
            )
            .outerjoin(Person, Person.id == OutboxMessage.person_id)
            .where(OutboxMessage.status.in_(["failed", "dead"]))
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
        return [
            FailedMessage(i, name or "nobody", kind, status, attempts, error or "")
            for i, name, kind, status, attempts, error in rows
        ]

    async def retry_message(self, outbox_id: int) -> bool:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status.in_(["failed", "dead"]))
            .values(status="pending", attempts=0, not_before=self.clock.now(), claimed_until=None)
        )
        retried = int(result.rowcount) == 1  # type: ignore[attr-defined]
        self.notices_added += int(retried)  # wakes the dispatcher after the turn
        return retried

    async def scope_teams(self, scope: str | None) -> tuple[str, ...] | None:
        """A team code or a service area name to its team codes; an unknown name is named with close ones."""
        if scope is None:
            return None
        teams = list((await self.session.execute(select(Team.code, ServiceArea.name).join(ServiceArea))).all())
        wanted = scope.strip().lower()
        found = tuple(code for code, area in teams if wanted in (code.lower(), area.lower()))
        if found:
            return found
        names = sorted({code for code, _ in teams} | {area for _, area in teams})
        close = difflib.get_close_matches(scope, names, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValidationFailed(f"there is no team or service area '{scope}'{hint}")

    async def status_figures(
        self, teams: tuple[str, ...] | None, starts: date, ends: date, today: date
    ) -> tuple[int, int, int, int, int, int, int]:
        """assigned, returned, outstanding, overdue (reviews of the cycle), moderated, actions open and overdue."""
        scoped = select(Audit.id).join(Case, Audit.case_id == Case.id).join(Team, Case.team_id == Team.id)
        scoped = scoped.where(
            Audit.form_id == "practice_learning_conversation", Audit.due_on >= starts, Audit.due_on <= ends
        )
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
