"""Immediate concerns in memory (store.concerns on SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from plf_core.concern_ports import ConcernRow, NewConcern
from tests.fakes.world import FakeRepository


class FakeConcerns(FakeRepository):
    async def add(self, new: NewConcern) -> int:
        concern_id = self.world.next_id()
        self.world.concerns[concern_id] = {
            **asdict(new), "level": 0, "acknowledged_by_id": None, "acknowledged_at": None
        }  # fmt: skip
        return concern_id

    def _row(self, concern_id: int, c: dict[str, Any]) -> ConcernRow:
        world = self.world
        case = world.cases.get(c["case_id"]) if c["case_id"] else None
        team = world.teams.get(case.team_id) if case else None
        dip = world.dips.get(c["dip_sample_id"]) if c["dip_sample_id"] else None
        audit = world.audits.get(c["audit_id"]) if c["audit_id"] else None

        def name(person: int | None) -> str:
            return world.people[person].name if person in world.people else ""

        return ConcernRow(
            concern_id, c["description"], c["at_risk_now"], c["raised_at"], c["level"],
            case.azeus if case else None, team.name if team else "", c["area_id"],
            world.areas.get(c["area_id"], ("", ""))[1], c["audit_id"], audit.form_id if audit else None,
            c["page_id"], c["dip_sample_id"], c["raised_by_id"], name(c["raised_by_id"]),
            c["next_escalation_at"], c["acknowledged_by_id"], name(c["acknowledged_by_id"]), c["acknowledged_at"],
            team.practice_lead_id if team else None, team.service_manager_id if team else None,
            team.head_of_service_id if team else (dip.head_of_service_id if dip else None),
        )  # fmt: skip

    async def get(self, concern_id: int, *, lock: bool = False) -> ConcernRow | None:
        found = self.world.concerns.get(concern_id)
        return self._row(concern_id, found) if found is not None else None

    async def of_action(self, action_id: int) -> int | None:
        return next((i for i, c in self.world.concerns.items() if c["action_id"] == action_id), None)

    async def acknowledge(self, concern_id: int, person_id: int, at: datetime) -> bool:
        c = self.world.concerns[concern_id]
        if c["acknowledged_at"] is not None:
            return False
        c.update(acknowledged_by_id=person_id, acknowledged_at=at, next_escalation_at=None)
        return True

    async def undelivered(self, concern_id: int, level: int) -> bool:
        return self._undelivered(concern_id, level)

    def _undelivered(self, concern_id: int, level: int) -> bool:
        sent = [r for r in self.world.outbox.values() if r.dedupe_key.startswith(f"concern:{concern_id}:{level}:")]
        return bool(sent) and all(r.status in ("failed", "dead") for r in sent)

    async def due_escalations(self, now: datetime, limit: int) -> list[ConcernRow]:
        due = [
            (c["next_escalation_at"], i) for i, c in self.world.concerns.items()
            if c["acknowledged_at"] is None and c["next_escalation_at"] is not None
            and (c["next_escalation_at"] <= now or self._undelivered(i, c["level"]))
        ]  # fmt: skip
        return [self._row(i, self.world.concerns[i]) for _, i in sorted(due)[:limit]]

    async def escalated(self, concern_id: int, level: int, next_at: datetime | None) -> None:
        self.world.concerns[concern_id].update(level=level, next_escalation_at=next_at)

    async def listed(self, area_ids: Sequence[int] | None, since: datetime, limit: int) -> list[ConcernRow]:
        rows = [
            self._row(i, c) for i, c in self.world.concerns.items()
            if c["raised_at"] >= since and (area_ids is None or c["area_id"] in area_ids)
        ]  # fmt: skip
        return sorted(rows, key=lambda r: r.raised_at, reverse=True)[:limit]
