"""The evidence repository (plf_core.evidence_ports.Evidence) on SQL: good-practice nominations read
from the answers already stored, the decisions on them, and the evidence pack's volume by service area.

A nomination is found in two steps so that a service's whole history costs little: the latest answers
of the pages that nominate (a Head of Service's page, a thematic review's good-practice page), of the
returned audits in scope; then, for those whose answers do nominate, the pages holding the example
(the manager's narrative) and the review's theme.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from plf_core import good_practice as gp
from plf_core.evidence_ports import Decision, NominatedAudit, VolumeRow
from plf_core.forms.validation import Value
from plf_core.periods import Period
from store import queries
from store.evidence_store import volume
from store.models import Answer, Audit, Case, GoodPracticeDecision, Person, ServiceArea, Team
from store.repository import SqlRepository

_N = cast(Table, Answer.__table__).c
_LATER = cast(Table, Answer.__table__).alias("later")
_PRACTITIONER = cast(Table, Person.__table__).alias("practitioner")
_SECOND = cast(Table, Person.__table__).alias("second_person")
_SAVER = cast(Table, Person.__table__).alias("saver")
_LATEST = _N.version == (
    select(func.max(_LATER.c.version))
    .where(_LATER.c.audit_id == _N.audit_id, _LATER.c.page_id == _N.page_id)
    .scalar_subquery()
)
NOMINATING_PAGES = frozenset(p for f in gp.FORMS for p in gp.nominating_pages(f))
MAX_NOMINATIONS = 2_000  # audits with a nominating page read for one list (the newest): narrowed by area or period


class SqlEvidence(SqlRepository):
    async def areas(self) -> list[tuple[int, str, str]]:
        rows = await self.session.execute(select(ServiceArea.id, ServiceArea.code, ServiceArea.name))
        return [(i, code, name) for i, code, name in rows]

    async def nominated(
        self, area_ids: Collection[int] | None, period: Period | None, audit_id: int | None = None
    ) -> list[NominatedAudit]:
        audits = await self._returned(area_ids, period, audit_id)
        if not audits:
            return []
        first = await self._pages(list(audits), NOMINATING_PAGES)
        nominating = [a for a in audits if gp.nominations_of(_view(audits[a], first.get(a, {})))]
        if not nominating:
            return []
        rest = {p for f in gp.FORMS for p in gp.pages_read(f)} - NOMINATING_PAGES
        more = await self._pages(nominating, rest)
        decisions = await self._decisions(nominating)
        for audit_id, pages in more.items():  # beside the nominating pages' answers and savers
            into = first.setdefault(audit_id, {"answers": {}, "saved_by": {}})
            into["answers"].update(pages["answers"])
            into["saved_by"].update(pages["saved_by"])
        return [
            _view(audits[a], first.get(a, {}), decisions.get(a, {}))
            for a in sorted(nominating, key=lambda a: (audits[a]["submitted_at"], a), reverse=True)
        ]

    async def _returned(
        self, area_ids: Collection[int] | None, period: Period | None, audit_id: int | None
    ) -> dict[int, dict[str, Any]]:
        """The returned audits of the nominating forms in scope with a nominating page saved, newest first."""
        statement = (
            select(
                Audit.id.label("audit_id"),
                Audit.form_id,
                Case.azeus_number.label("case"),
                Team.name.label("team"),
                ServiceArea.id.label("area_id"),
                ServiceArea.name.label("area"),
                Audit.final_grade.label("grade"),
                Audit.submitted_at,
                _PRACTITIONER.c.display_name.label("practitioner"),
                _SECOND.c.display_name.label("second_person"),
            )
            .select_from(queries.AUDIT_IN_AREA)
            .outerjoin(_PRACTITIONER, _PRACTITIONER.c.id == Audit.practitioner_id)
            .outerjoin(_SECOND, _SECOND.c.id == Audit.second_person_id)
            .where(Audit.form_id.in_(gp.FORMS), Audit.submitted_at.is_not(None))
            .where(Audit.id.in_(select(_N.audit_id).where(_N.page_id.in_(sorted(NOMINATING_PAGES)))))
        )
        if area_ids is not None:
            statement = statement.where(Team.service_area_id.in_(list(area_ids) or [-1]))
        if period is not None:
            start, end = period.bounds(self.clock.zone)
            statement = statement.where(Audit.submitted_at >= start, Audit.submitted_at < end)
        if audit_id is not None:
            statement = statement.where(Audit.id == audit_id)
        newest = statement.order_by(Audit.submitted_at.desc(), Audit.id.desc()).limit(MAX_NOMINATIONS)
        return {row.audit_id: dict(row._mapping) for row in await self.session.execute(newest)}

    async def _pages(self, audit_ids: Sequence[int], pages: Collection[str]) -> dict[int, dict[str, Any]]:
        """Each audit's latest answers of these pages, merged (a form's field ids are unique), and who saved each."""
        rows = await self.session.execute(
            select(_N.audit_id, _N.page_id, _N["values"], _SAVER.c.display_name)
            .outerjoin(_SAVER, _SAVER.c.id == _N.saved_by_id)
            .where(_N.audit_id.in_(list(audit_ids)), _N.page_id.in_(sorted(pages)), _LATEST)
        )
        found: dict[int, dict[str, Any]] = {}
        for audit_id, page_id, values, saver in rows:
            into = found.setdefault(audit_id, {"answers": {}, "saved_by": {}})
            into["answers"].update(values if isinstance(values, dict) else {})
            if saver:
                into["saved_by"][page_id] = saver
        return found

    async def _decisions(self, audit_ids: Sequence[int]) -> dict[int, dict[str, Decision]]:
        rows = await self.session.execute(
            select(GoodPracticeDecision, Person.display_name)
            .outerjoin(Person, Person.id == GoodPracticeDecision.decided_by_id)
            .where(GoodPracticeDecision.audit_id.in_(list(audit_ids)))
        )
        found: dict[int, dict[str, Decision]] = {}
        for row, name in rows:
            who = name or "someone no longer in the directory"
            decision = Decision(row.decision, who, row.decided_at, row.text_hash or "")
            found.setdefault(row.audit_id, {})[row.field_id] = decision
        return found

    async def decide(
        self, audit_id: int, field_id: str, decision: str, by: int, at: datetime, text_hash: str = ""
    ) -> Decision | None:
        table, key = cast(Table, GoodPracticeDecision.__table__), ["audit_id", "field_id"]
        values = {
            "audit_id": audit_id,
            "field_id": field_id,
            "decision": decision,
            "decided_by_id": by,
            "decided_at": at,
            "text_hash": text_hash or None,
        }
        once = (
            postgresql.insert(table).values(values).on_conflict_do_nothing(index_elements=key)
            if self.dialect == "postgresql"
            else sqlite.insert(table).values(values).on_conflict_do_nothing(index_elements=key)
        )
        added = await self.session.execute(once)
        if added.rowcount:  # type: ignore[attr-defined]
            return None
        earlier = (await self._decisions([audit_id]))[audit_id][field_id]
        if text_hash and earlier.text_hash and earlier.text_hash != text_hash:  # decided on other words: anew
            await self.session.execute(
                update(GoodPracticeDecision)
                .where(GoodPracticeDecision.audit_id == audit_id, GoodPracticeDecision.field_id == field_id)
                .values(decision=decision, decided_by_id=by, decided_at=at, text_hash=text_hash)
            )
            return None
        return earlier

    async def volume(self, period: Period, today: date) -> list[VolumeRow]:
        return await volume(self.session, period, today, self.clock.zone)


def _view(
    audit: Mapping[str, Any], pages: Mapping[str, Any], decisions: Mapping[str, Decision] | None = None
) -> NominatedAudit:
    answers: dict[str, Value] = dict(pages.get("answers", {}))
    return NominatedAudit(
        audit["audit_id"],
        audit["form_id"],
        audit["case"],
        audit["team"],
        audit["area_id"],
        audit["area"],
        audit["grade"],
        audit["submitted_at"],
        answers,
        dict(pages.get("saved_by", {})),
        audit["practitioner"],
        audit["second_person"],
        dict(decisions or {}),
    )
