"""The evidence repository in memory: good-practice nominations read from the world's answers, the
decisions on them, and each service area's volume for the evidence pack (as store/good_practice_store.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from plf_core import good_practice as gp
from plf_core.audits import PLC_FORM
from plf_core.evidence_ports import Decision, NominatedAudit, VolumeRow
from plf_core.periods import Period
from tests.fakes.world import AuditRow, FakeRepository


class FakeEvidence(FakeRepository):
    async def areas(self) -> list[tuple[int, str, str]]:
        return [(i, code, name) for i, (code, name) in self.world.areas.items()]

    def _name(self, person_id: int | None) -> str | None:
        person = self.world.people.get(person_id) if person_id is not None else None
        return person.name if person else None

    def _decisions(self, audit_id: int) -> dict[str, Decision]:
        return {
            f: Decision(d, self._name(by) or "?", at, text_hash)
            for (a, f), (d, by, at, text_hash) in self.world.good_practice.items()
            if a == audit_id
        }

    def _view(self, row: AuditRow) -> NominatedAudit:
        assert row.case_id is not None
        assert row.submitted_at is not None
        case = self.world.cases[row.case_id]
        team = self.world.teams[case.team_id]
        answers = {k: v for page in row.pages.values() for k, v in page.items()}
        saved = {page: self._name(by) or "" for page, by in row.saved_by.items()}
        return NominatedAudit(
            row.id,
            row.form_id,
            case.azeus,
            team.name,
            team.area_id,
            self.world.areas[team.area_id][1],
            row.final_grade,
            row.submitted_at,
            answers,
            saved,
            self._name(row.practitioner_id),
            self._name(row.second_person_id),
            self._decisions(row.id),
        )

    async def nominated(
        self, area_ids: Collection[int] | None, period: Period | None, audit_id: int | None = None
    ) -> list[NominatedAudit]:
        found = []
        for row in self.world.audits.values():
            if row.form_id not in gp.FORMS or row.submitted_at is None or row.case_id is None:
                continue
            if audit_id is not None and row.id != audit_id:
                continue
            if period is not None and not period.contains(self.local(row.submitted_at)):
                continue
            view = self._view(row)
            if (area_ids is None or view.area_id in area_ids) and gp.nominations_of(view):
                found.append(view)
        return sorted(found, key=lambda v: (v.submitted_at, v.audit_id), reverse=True)

    async def decide(
        self, audit_id: int, field_id: str, decision: str, by: int, at: datetime, text_hash: str = ""
    ) -> Decision | None:
        earlier = self.world.good_practice.get((audit_id, field_id))
        if earlier is not None and not (text_hash and earlier[3] and earlier[3] != text_hash):
            return self._decisions(audit_id)[field_id]
        self.world.good_practice[(audit_id, field_id)] = (decision, by, at, text_hash)
        return None

    async def volume(self, period: Period, today: date) -> list[VolumeRow]:
        rows = []
        for area_id, (_, name) in sorted(self.world.areas.items(), key=lambda a: a[1][1]):
            teams = [t for t in self.world.teams.values() if t.area_id == area_id]
            leads = {t.practice_lead_id for t in teams} - {None}
            plc = [
                a
                for a in self.world.audits.values()
                if a.form_id == PLC_FORM and a.case_id and self.world.cases[a.case_id].team_id in {t.id for t in teams}
            ]
            due = [a for a in plc if a.due_on and period.contains(a.due_on)]
            returned = [a for a in plc if a.submitted_at and period.contains(self.local(a.submitted_at))]
            out = [a for a in due if a.submitted_at is None or self.local(a.submitted_at) >= period.ends]
            rows.append(VolumeRow(name, len(leads), len(due), len(returned), len(out)))
        return rows
