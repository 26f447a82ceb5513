"""Feedback on SQL (plf_core.feedback): the one-time links and what families answered on them. A link is
used up by the same statement that finds it unused, so two tabs sending at once store one answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import func, insert, select, update

from plf_core.feedback.form import Audience
from plf_core.feedback.ports import FeedbackCase, GivenFeedback, NewRequest, RequestRow
from store.models import Case, FeedbackAnswer, FeedbackRequest, Team
from store.repository import SqlRepository


class SqlFeedback(SqlRepository):
    async def case(self, azeus_number: str) -> FeedbackCase | None:
        found = (
            await self.session.execute(
                select(
                    Case.id,
                    Case.azeus_number,
                    Case.team_id,
                    Team.service_area_id,
                    Case.allocated_worker_id,
                    Team.practice_lead_id,
                    Team.service_manager_id,
                    Case.closed_on,
                )
                .join(Team, Team.id == Case.team_id)
                .where(func.lower(Case.azeus_number) == azeus_number.lower())
            )
        ).first()
        return FeedbackCase(*found) if found is not None else None

    async def area_of(self, case_id: int) -> int | None:
        query = select(Team.service_area_id).join(Case, Case.team_id == Team.id).where(Case.id == case_id)
        return (await self.session.execute(query)).scalar()

    async def add_request(self, new: NewRequest) -> int:
        values = {**asdict(new), "audience": new.audience.value}
        result = await self.session.execute(insert(FeedbackRequest).values(values).returning(FeedbackRequest.id))
        return int(result.scalar_one())

    async def request_by_token(self, token_hash: str) -> RequestRow | None:
        found = (
            await self.session.execute(
                select(FeedbackRequest, Case.azeus_number)
                .join(Case, Case.id == FeedbackRequest.case_id)
                .where(FeedbackRequest.token_hash == token_hash)
            )
        ).first()
        if found is None:
            return None
        r, case_ref = found
        return RequestRow(
            r.id, r.case_id, Audience(r.audience), r.occasion, r.created_at, r.expires_at, r.used_at,
            r.requested_by_id, case_ref,
        )  # fmt: skip

    async def record(
        self,
        request: RequestRow,
        answers: Mapping[str, int | str],
        worded: Sequence[tuple[str, str]],
        received_at: datetime,
        flagged: bool,
    ) -> bool:
        used = await self.session.execute(
            update(FeedbackRequest)
            .where(FeedbackRequest.id == request.request_id, FeedbackRequest.used_at.is_(None))
            .values(used_at=received_at)
        )
        if not used.rowcount:  # type: ignore[attr-defined]
            return False
        await self.session.execute(
            insert(FeedbackAnswer).values(
                request_id=request.request_id,
                case_id=request.case_id,
                audience=request.audience.value,
                received_at=received_at,
                answers=dict(answers),
                worded=[list(pair) for pair in worded],
                flagged=flagged,
            )
        )
        return True

    async def latest(self, case_id: int, limit: int = 2) -> list[GivenFeedback]:
        rows = await self.session.execute(
            select(FeedbackAnswer, FeedbackRequest.occasion)
            .join(FeedbackRequest, FeedbackRequest.id == FeedbackAnswer.request_id)
            .where(FeedbackAnswer.case_id == case_id)
            .order_by(FeedbackAnswer.received_at.desc(), FeedbackAnswer.id.desc())
            .limit(limit)
        )
        return [
            GivenFeedback(
                a.request_id,
                Audience(a.audience),
                occasion,
                a.received_at,
                _answers(a.answers),
                a.flagged,
                tuple((str(p[0]), str(p[1])) for p in a.worded or [] if len(p) == 2),
            )
            for a, occasion in rows
        ]


def _answers(document: object) -> dict[str, int | str]:
    if not isinstance(document, dict):
        return {}
    return {str(k): v for k, v in document.items() if isinstance(v, int | str) and not isinstance(v, bool)}
