"""The in-memory repositories of the timetable, the outbox, conversations, reports and the access log."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from plf_core.audits import PLC_FORM
from plf_core.clock import Clock
from plf_core.delivery import NOT_SUMMARISED, SUMMARY, Claimed, is_urgent, waits_for_install
from plf_core.errors import ValidationFailed
from plf_core.figures import Figures
from plf_core.highlight import HighlightReport, PeriodFigures, highlight
from plf_core.outcomes import OutcomesPicture
from plf_core.people import Actor
from plf_core.periods import Period
from plf_core.ports import Notice, UnknownSender
from plf_core.timetable import CycleState, DueNotice, OpenAudit, Recipient, Rule, State
from plf_core.timetable_commands import FailedMessage
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, AuditStatus, OutboxStatus, Role
from tests.fakes.world import FakeRepository, OutboxRow, World

RETURNED = {AuditStatus.SUBMITTED.value, AuditStatus.COMPLETED.value, AuditStatus.UPLOADED.value}
OPEN = {s.value for s in OPEN_AUDIT_STATUSES}


class FakeTimetable(FakeRepository):
    def __init__(self, world: World, clock: Clock) -> None:
        super().__init__(world, clock)
        self.added = 0

    async def ensure_cycles(self, cycles: Sequence[Period]) -> int:
        new = [c for c in cycles if c.code not in self.world.cycles]
        for cycle in new:
            self.world.cycles[cycle.code] = (cycle.starts, cycle.due_on)
        return len(new)

    async def state(self, rules: Sequence[Rule], day: date, *, with_open_audits: bool = False) -> State:
        cycles = [CycleState(code, starts, due) for code, (starts, due) in self.world.cycles.items()]
        audits = []
        for a in self.world.audits.values():
            if a.form_id != PLC_FORM or a.status not in OPEN or a.due_on is None or a.case_id is None:
                continue
            case = self.world.cases[a.case_id]
            t = self.world.teams[case.team_id]
            leaders = (t.practice_lead_id, t.service_manager_id, t.head_of_service_id)
            audits.append(
                OpenAudit(a.id, case.azeus, t.code, a.due_on, a.practitioner_id, a.second_person_id, *leaders)
            )
        roles = {
            Recipient.SLT: (Role.SLT,),
            Recipient.DATA_AND_IMPACT: (Role.DATA_AND_IMPACT,),
            Recipient.DIRECTOR_OF_OPERATIONS: (Role.DIRECTOR_OF_OPERATIONS,),
            Recipient.QA: (Role.PRACTICE_LEARNING_REVIEWER, Role.QA_MANAGER),
        }
        by_role = {r: [p.id for p in self.world.people.values() if p.roles & set(rs)] for r, rs in roles.items()}
        return State(cycles=cycles, open_audits=audits, people_by_role=by_role)

    async def write_due(self, notices: Sequence[DueNotice], *, digest: bool) -> int:
        written = 0
        known = {row.dedupe_key for row in self.world.outbox.values()}
        for n in notices:
            if n.dedupe_key in known:
                continue
            row_id = self.world.next_id()
            status = "merged" if digest and not n.urgent else "pending"
            payload = {**n.data.to_payload(), "urgent": n.urgent}
            self.world.outbox[row_id] = OutboxRow(row_id, n.dedupe_key, n.person_id, n.kind, payload, n.send_at, status)
            known.add(n.dedupe_key)
            written += 1
        self.added += written
        return written


class FakeOutbox(FakeRepository):
    def __init__(self, world: World, clock: Clock) -> None:
        super().__init__(world, clock)
        self.added = 0

    async def add(self, notice: Notice) -> None:
        if any(row.dedupe_key == notice.dedupe_key for row in self.world.outbox.values()):
            return
        row_id = self.world.next_id()
        now = self.clock.now()
        self.world.outbox[row_id] = OutboxRow(
            row_id, notice.dedupe_key, notice.person_id, notice.kind, notice.data.to_payload(), now
        )
        self.added += 1

    async def written(self, dedupe_key: str) -> bool:
        return any(row.dedupe_key == dedupe_key for row in self.world.outbox.values())

    async def cancel_pending(self, key_prefixes: tuple[str, ...], subject: str) -> int:
        cancelled = 0
        for row in self.world.outbox.values():
            key = row.dedupe_key
            waiting = row.status in ("pending", "merged") or (
                row.status == "failed" and waits_for_install(row.last_error or "")
            )
            if waiting and key.startswith(key_prefixes) and f":{subject}:" in key:
                row.status = "cancelled"
                cancelled += 1
        return cancelled

    def _failures(self) -> list[OutboxRow]:
        return [r for r in self.world.outbox.values() if r.status in ("failed", "dead") and r.kind != SUMMARY]

    def _message(self, r: OutboxRow) -> FailedMessage:
        people = self.world.people
        name = people[r.person_id].name if r.person_id in people else "nobody"
        return FailedMessage(r.id, name, r.kind, r.status, r.attempts, r.last_error or "")

    async def failed(self, limit: int, offset: int = 0) -> list[FailedMessage]:
        rows = sorted(self._failures(), key=lambda r: (not is_urgent(r.kind), -r.id))
        return [self._message(r) for r in rows[offset : offset + limit]]

    async def failed_count(self) -> int:
        return len(self._failures())

    async def unreported_failures(self, limit: int) -> list[FailedMessage]:
        rows = sorted(
            (r for r in self._failures() if r.reported_on is None and r.kind not in NOT_SUMMARISED), key=lambda r: r.id
        )
        return [self._message(r) for r in rows[:limit]]

    async def mark_reported(self, outbox_ids: Sequence[int], day: date) -> None:
        for outbox_id in outbox_ids:
            self.world.outbox[outbox_id].reported_on = day

    async def summarised_on(self, day: date) -> bool:
        return any(r.dedupe_key.startswith(f"undelivered:{day.isoformat()}:") for r in self.world.outbox.values())

    async def retry(self, outbox_id: int) -> bool:
        row = self.world.outbox.get(outbox_id)
        if row is None or row.status not in ("failed", "dead"):
            return False
        row.status, row.attempts, row.not_before = "pending", 0, self.clock.now()
        self.added += 1
        return True

    async def claim(self, limit: int, claim_seconds: float) -> list[Claimed]:
        now = self.clock.now()
        installed = {r["person_id"] for r in self.world.references.values() if r["installed"]}
        for row in self.world.outbox.values():  # failed for want of a conversation, which there is now
            if (
                row.status == "failed"
                and (row.last_error or "").startswith("no conversation")
                and row.person_id in installed
            ):
                row.status, row.not_before = "pending", now
        until = now + timedelta(seconds=claim_seconds)
        due = [r for r in self.world.outbox.values() if r.status == "pending" and r.not_before <= now][:limit]
        for r in due:
            r.status, r.claimed_until = "sending", until
        return [Claimed(r.id, r.person_id, r.kind, dict(r.payload), r.attempts, r.dedupe_key, until) for r in due]

    async def renew(self, message: Claimed, claim_seconds: float) -> Claimed | None:
        return message

    async def mark_sent(self, message_id: int) -> None:
        row = self.world.outbox[message_id]
        row.status, row.attempts = "sent", row.attempts + 1

    async def mark_retry(self, message_id: int, delay_s: float, error: str) -> None:
        row = self.world.outbox[message_id]
        row.status, row.attempts, row.last_error = "pending", row.attempts + 1, error
        row.not_before = self.clock.now() + timedelta(seconds=delay_s)

    async def mark_failed(self, message_id: int, error: str, status: OutboxStatus) -> None:
        row = self.world.outbox[message_id]
        row.status, row.attempts, row.last_error = status.value, row.attempts + 1, error

    async def requeue_for(self, person_id: int) -> int:
        rows = [r for r in self.world.outbox.values() if r.person_id == person_id and r.status == "failed"]
        for r in rows:
            r.status, r.not_before = "pending", self.clock.now()
        return len(rows)


class FakeConversations(FakeRepository):
    async def remember(
        self,
        *,
        aad_object_id: str,
        person_id: int | None,
        tenant_id: str | None,
        service_url: str,
        conversation_id: str,
        reference: dict[str, Any],
    ) -> bool:
        known = self.world.references.get(aad_object_id)
        fresh = known is None or not known["installed"]
        self.world.references[aad_object_id] = {"person_id": person_id, "installed": True, "reference": reference}
        return fresh

    async def set_installed(self, aad_object_id: str, installed: bool) -> None:
        if aad_object_id in self.world.references:
            self.world.references[aad_object_id]["installed"] = installed

    async def mark_unreachable(self, person_id: int) -> None:
        self.world.people[person_id].reachable = False
        for ref in self.world.references.values():
            if ref["person_id"] == person_id:
                ref["installed"] = False

    async def reference_of(self, person_id: int) -> dict[str, Any] | None:
        refs = self.world.references.values()
        found = [r["reference"] for r in refs if r["person_id"] == person_id and r["installed"]]
        return dict(found[0]) if found else None

    async def teams_user_ids(self, person_ids: Collection[int]) -> dict[int, list[str]]:
        ids: dict[int, list[str]] = {}
        for r in self.world.references.values():
            if r["person_id"] in person_ids:
                ids.setdefault(r["person_id"], []).append(str(r["reference"].get("user", {}).get("id", "")))
        return ids


class FakeReports(FakeRepository):
    async def scope(self, text: str | None) -> tuple[int | None, str]:
        if not text:
            return None, "the whole service"
        for area_id, (code, name) in self.world.areas.items():
            if text.strip().lower() in (code.lower(), name.lower()):
                return area_id, name
        raise ValidationFailed(f"there is no service area '{text.strip()[:60]}'")

    def _figures(self, period: Period, area_id: int | None) -> PeriodFigures:
        start, end = period.starts, period.ends
        returned = [
            a
            for a in self.world.audits.values()
            if a.form_id == PLC_FORM and a.submitted_at and start <= self.local(a.submitted_at) < end
        ]
        return PeriodFigures(returned=len(returned))

    async def figures(self, period: Period, teams: tuple[str, ...] | None, today: date) -> Figures:
        """plf_core.figures's definitions over the fake world (the SQL store counts the same)."""
        w = self.world

        def in_scope(case_id: int | None) -> bool:
            return case_id is not None and (teams is None or w.teams[w.cases[case_id].team_id].code in teams)

        def within(moment: datetime | None) -> bool:
            return moment is not None and period.starts <= self.local(moment) < period.ends

        plc = [a for a in w.audits.values() if a.form_id == PLC_FORM and in_scope(a.case_id)]
        due = [a for a in plc if a.due_on and period.starts <= a.due_on < period.ends]
        out = [a for a in due if a.submitted_at is None or self.local(a.submitted_at) >= period.ends]
        ids = {a.id for a in plc}
        done = {m.audit_id for m in w.moderations.values() if m.status == "completed" and within(m.completed_at)}
        open_ = [
            x
            for x in w.actions.values()
            if x.audit_id in ids and x.status != "done" and (x.deadline is None or x.deadline < period.ends)
        ]
        return Figures(
            assigned=len(due),
            returned=sum(within(a.submitted_at) for a in plc),
            outstanding=len(out),
            overdue=sum(a.due_on is not None and a.due_on < today for a in out),
            moderated=len(done & ids),
            actions_open=len(open_),
            actions_overdue=sum(x.deadline is not None and x.deadline < today for x in open_),
        )

    async def team_of(self, team_id: int) -> tuple[str, str] | None:
        team = self.world.teams.get(team_id)
        return (team.code, team.code) if team else None

    async def highlight(
        self,
        period: Period,
        area_id: int | None,
        scope: str,
        progress: Callable[[str], None] = lambda s: None,
        team: str | None = None,
    ) -> HighlightReport:
        earlier = [(p, self._figures(p, area_id)) for p in (period.previous().previous(), period.previous())]
        figures = self._figures(period, area_id)
        return highlight(period, scope, figures, earlier, self.clock.now(), area_report=area_id is not None)

    async def outcomes_picture(self, audit_id: int) -> OutcomesPicture | None:
        return None


class FakeAccess(FakeRepository):
    async def log(
        self, actor: Actor | None, action: str, audit_id: int | None, activity_id: str | None, outcome: str
    ) -> None:
        self.world.access_log.append((actor.person_id if actor else None, action, audit_id, outcome))

    async def record_unknown_sender(self, aad_object_id: str, name: str, tenant_id: str | None) -> bool:
        now = self.clock.now()
        row = self.world.unknown.get(aad_object_id)
        if row is None:
            self.world.unknown[aad_object_id] = {"name": name, "first": now, "last": now, "messages": 1}
            return True
        row["last"], row["messages"] = now, row["messages"] + 1
        return False

    async def unknown_senders(self) -> list[UnknownSender]:
        known = {p.aad for p in self.world.people.values()}
        rows = [(aad, r) for aad, r in self.world.unknown.items() if aad not in known]
        return [UnknownSender(aad, r["name"], r["first"], r["last"], r["messages"]) for aad, r in rows]
