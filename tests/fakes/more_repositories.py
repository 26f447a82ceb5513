"""The in-memory repositories of the layered audit, sampling, dips and follow-ups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from plf_core.audits import PLC_FORM
from plf_core.dips import DipActionRow, DipRow
from plf_core.moderating import ModerationResult, ModerationRow
from plf_core.moderation import Moderated, Request, Returned
from plf_core.notices import DipAction
from plf_core.ports import ActionRecord, PlannedAction
from plf_core.sampling import CaseFacts, Draw
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, Grade
from tests.fakes.world import ActionRow, DipRowData, FakeRepository
from tests.fakes.world import ModerationRow as ModerationData

RETURNED = {AuditStatus.SUBMITTED.value, AuditStatus.COMPLETED.value, AuditStatus.UPLOADED.value}
OPEN = {s.value for s in OPEN_AUDIT_STATUSES}


class FakeModerations(FakeRepository):
    async def returned(self, start: date, end: date) -> list[Returned]:
        out = []
        for a in sorted(self.world.audits.values(), key=lambda a: a.id):
            if a.form_id != PLC_FORM or a.status not in RETURNED or a.submitted_at is None or a.case_id is None:
                continue
            if start <= self.local(a.submitted_at) < end:
                team = self.world.teams[self.world.cases[a.case_id].team_id]
                who = frozenset(p for p in (a.practitioner_id, a.second_person_id, a.submitted_by_id) if p)
                grade = Grade(a.final_grade) if a.final_grade else None
                case = self.world.cases[a.case_id].azeus
                out.append(Returned(a.id, grade, team.area_id, team.head_of_service_id, who, case, team.code))
        return out

    async def requests_for(self, audit_ids: Sequence[int]) -> list[Request]:
        wanted = set(audit_ids)
        rows = self.world.moderations.values()
        return [Request(m.audit_id, m.moderator_id, m.stream) for m in rows if m.audit_id in wanted]

    async def stream_count(self, stream: str, start: date, end: date) -> int:
        def in_period(audit_id: int) -> bool:
            submitted = self.world.audits[audit_id].submitted_at
            return submitted is not None and start <= self.local(submitted) < end

        return sum(1 for m in self.world.moderations.values() if m.stream == stream and in_period(m.audit_id))

    async def add(self, audit_id: int, moderator_id: int, stream: str) -> int | None:
        if any((m.audit_id, m.moderator_id) == (audit_id, moderator_id) for m in self.world.moderations.values()):
            return None
        moderation_id = self.world.next_id()
        now = self.clock.now()
        self.world.moderations[moderation_id] = ModerationData(moderation_id, audit_id, moderator_id, stream, now)
        return moderation_id

    async def of(self, audit_id: int, moderator_id: int) -> ModerationRow | None:
        for m in self.world.moderations.values():
            if (m.audit_id, m.moderator_id) == (audit_id, moderator_id):
                grade = _grade
                return ModerationRow(
                    m.id,
                    m.audit_id,
                    m.moderator_id,
                    m.stream,
                    m.status,
                    dict(m.draft),
                    grade(m.original_grade),
                    grade(m.moderated_grade),
                    m.reason,
                )
        return None

    async def save_draft(self, moderation_id: int, draft: Mapping[str, object]) -> None:
        row = self.world.moderations[moderation_id]
        row.draft, row.status = dict(draft), "in_progress"

    async def complete(self, result: ModerationResult, by: int, at: datetime) -> bool:
        row = self.world.moderations[result.moderation_id]
        if row.status == "completed":
            return False
        row.status, row.completed_at = "completed", at
        row.original_grade = result.original_grade.value if result.original_grade else None
        row.moderated_grade, row.reason = result.moderated_grade.value, result.reason or None
        audit = self.world.audits[result.audit_id]
        audit.final_grade, audit.version = result.moderated_grade.value, audit.version + 1
        if audit.status == AuditStatus.SUBMITTED.value:
            audit.status = AuditStatus.COMPLETED.value
        for text in result.actions:
            action_id = self.world.next_id()
            self.world.actions[action_id] = ActionRow(
                action_id, text, audit_id=audit.id, owner_id=audit.practitioner_id
            )
        return True

    async def moderated(self, start: date, end: date) -> list[Moderated]:
        out = []
        for m in self.world.moderations.values():
            if m.status != "completed" or m.completed_at is None or not start <= self.local(m.completed_at) < end:
                continue
            first, second = _grade(m.original_grade), _grade(m.moderated_grade)
            audit = self.world.audits[m.audit_id]
            if first is None or second is None or audit.case_id is None:
                continue
            case = self.world.cases[audit.case_id]
            team = self.world.teams[case.team_id]
            auditor = self.world.people[audit.practitioner_id].name
            out.append(Moderated(first, second, self.world.areas[team.area_id][1], case.cohort, team.code, auditor))
        return out


def _grade(value: str | None) -> Grade | None:
    return Grade(value) if value else None


class FakeSampling(FakeRepository):
    async def population(self, today: date) -> list[CaseFacts]:
        out = []
        for c in self.world.cases.values():
            team = self.world.teams[c.team_id]
            done = [a.submitted_at for a in self.world.audits.values() if a.case_id == c.id and a.submitted_at]
            last = self.local(max(done)) if done else None
            area = self.world.areas[team.area_id][1]
            out.append(
                CaseFacts(
                    c.id,
                    c.azeus,
                    team.code,
                    area,
                    c.cohort,
                    c.age,
                    c.legal_status,
                    c.ehcp,
                    c.worker_id,
                    team.practice_lead_id,
                    last,
                )
            )
        return out

    async def draw_with_fingerprint(self, fingerprint: str, seed: int) -> int | None:
        found = [i for i, key in self.world.draws.items() if key == (fingerprint, seed)]
        return found[0] if found else None

    async def record_draw(self, purpose: str, result: Draw, fingerprint: str, by: int) -> int:
        draw_id = self.world.next_id()
        self.world.draws[draw_id] = (fingerprint, result.seed)
        self.world.draw_made[draw_id] = (purpose, self.clock.now())
        return draw_id

    async def quota_drawn_since(self, day: date) -> bool:
        return any(p == "plc" and self.local(at) >= day for p, at in self.world.draw_made.values())


class FakeDips(FakeRepository):
    async def create(self, theme: str, audit_id: int, by: int, at: datetime) -> int:
        dip_id = self.world.next_id()
        self.world.dips[dip_id] = DipRowData(dip_id, theme, history=[("created", at.isoformat(), by)])
        self.world.audits[audit_id].dip_id = dip_id
        return dip_id

    def _row(self, d: DipRowData) -> DipRow:
        audit = [a.id for a in self.world.audits.values() if a.dip_id == d.id]
        return DipRow(d.id, d.theme, d.status, audit[0] if audit else None, d.head_of_service_id, tuple(d.history))

    async def get(self, dip_id: int) -> DipRow | None:
        return self._row(self.world.dips[dip_id]) if dip_id in self.world.dips else None

    async def recent(self) -> list[DipRow]:
        return [self._row(d) for d in sorted(self.world.dips.values(), key=lambda d: -d.id)][:50]

    async def record_step(
        self, dip_id: int, step: str, by: int, at: datetime, head_of_service_id: int | None = None
    ) -> bool:
        before = {"approved": "draft", "sent": "approved", "agreed": "sent"}[step]
        row = self.world.dips.get(dip_id)
        if row is None or row.status != before:
            return False
        row.status = step
        row.history.append((step, at.isoformat(), by))
        if step == "sent":
            row.sent_at, row.head_of_service_id = at, head_of_service_id
        return True

    async def add_actions(self, dip_id: int, actions: Sequence[DipAction], at: datetime) -> None:
        for a in actions:
            action_id = self.world.next_id()
            self.world.actions[action_id] = ActionRow(
                action_id, a.text, dip_id=dip_id, deadline=a.by, rag=a.rag, who=a.who
            )

    async def actions(self, dip_id: int) -> list[DipActionRow]:
        mine = sorted((a for a in self.world.actions.values() if a.dip_id == dip_id), key=lambda a: a.id)
        names = {p.id: p.name for p in self.world.people.values()}
        return [
            DipActionRow(
                a.id, a.text, a.who, a.deadline, a.rag, a.status, a.progress, names.get(a.confirmed_by_id or 0, "")
            )
            for a in mine
        ]

    async def link_draw(self, dip_id: int, draw_id: int) -> None:
        self.world.dips[dip_id].draw_id = draw_id

    async def update_action(self, action_id: int, progress: str, at: datetime) -> None:
        self.world.actions[action_id].progress = progress

    async def service_managers(self, head_of_service_id: int) -> list[int]:
        teams = self.world.teams.values()
        return sorted(
            {t.service_manager_id for t in teams if t.head_of_service_id == head_of_service_id and t.service_manager_id}
        )


class FakeFollowUps(FakeRepository):
    def _open_actions(self, audit_id: int) -> list[ActionRow]:
        return [a for a in self.world.actions.values() if a.audit_id == audit_id and a.status in ("open", "not_yet")]

    async def confirm_actions(self, audit_id: int, by: int, at: datetime) -> int:
        actions = self._open_actions(audit_id)
        for a in actions:
            a.status, a.confirmed_by_id = "done", by
        return len(actions)

    async def record_actions(self, audit_id: int, planned: Sequence[PlannedAction], at: datetime) -> list[ActionRecord]:
        recorded = []
        for p in planned:
            named = [x.id for x in self.world.people.values() if x.name.lower() == p.who.strip().lower()]
            owner = named[0] if len(named) == 1 else p.default_owner_id
            row = ActionRow(self.world.next_id(), p.text, audit_id, owner_id=owner, deadline=p.deadline)
            self.world.actions[row.id] = row
            recorded.append(ActionRecord(row.id, audit_id, p.text, owner, p.deadline, "open", row=p.row))
        return recorded

    async def action(self, action_id: int) -> ActionRecord | None:
        a = self.world.actions.get(action_id)
        if a is None:
            return None
        by = self.world.people[a.confirmed_by_id].name if a.confirmed_by_id else ""
        return ActionRecord(a.id, a.audit_id, a.text, a.owner_id, a.deadline, a.status, by, None)

    async def action_done(self, action_id: int, by: int, at: datetime) -> bool:
        a = self.world.actions.get(action_id)
        if a is None or a.status not in ("open", "not_yet"):
            return False
        a.status, a.confirmed_by_id = "done", by
        return True

    async def action_counts(self, audit_id: int) -> tuple[int, int]:
        mine = [a for a in self.world.actions.values() if a.audit_id == audit_id]
        return len([a for a in mine if a.status in ("open", "not_yet")]), len(mine)

    async def action_ids(self, audit_id: int) -> list[int]:
        return [a.id for a in self.world.actions.values() if a.audit_id == audit_id]

    async def actions_not_yet(self, audit_id: int, reason: str, at: datetime) -> int:
        actions = self._open_actions(audit_id)
        for a in actions:
            a.status, a.reason = "not_yet", reason
        return len(actions)

    async def snooze(self, person_id: int, until: date) -> None:
        self.world.snoozes[person_id] = until

    async def mark_data_sent(self, cycle: str, by: int, at: datetime) -> tuple[bool, str, datetime] | None:
        if cycle not in self.world.cycles:
            return None
        fresh = cycle not in self.world.data_sent
        if fresh:
            self.world.data_sent[cycle] = (by, at)
        who, when = self.world.data_sent[cycle]
        return fresh, self.world.people[who].name, when

    async def data_sent(self, cycle: str) -> tuple[str, datetime] | None:
        if cycle not in self.world.data_sent:
            return None
        who, when = self.world.data_sent[cycle]
        return self.world.people[who].name, when
