"""Feedback requests and answers in memory (store.feedback on SQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime

from plf_core.feedback.ports import FeedbackCase, GivenFeedback, NewRequest, RequestRow
from tests.fakes.world import FakeRepository


class FakeFeedback(FakeRepository):
    async def case(self, azeus_number: str) -> FeedbackCase | None:
        world = self.world
        case = next((c for c in world.cases.values() if c.azeus.lower() == azeus_number.lower()), None)
        if case is None:
            return None
        team = world.teams[case.team_id]
        return FeedbackCase(
            case.id, case.azeus, team.id, team.area_id, case.worker_id, team.practice_lead_id, team.service_manager_id
        )

    async def area_of(self, case_id: int) -> int | None:
        case = self.world.cases.get(case_id)
        return self.world.teams[case.team_id].area_id if case else None

    async def add_request(self, new: NewRequest) -> int:
        request_id = self.world.next_id()
        self.world.feedback_requests[request_id] = {**asdict(new), "used_at": None}
        return request_id

    async def request_by_token(self, token_hash: str) -> RequestRow | None:
        for request_id, r in self.world.feedback_requests.items():
            if r["token_hash"] == token_hash:
                return RequestRow(
                    request_id, r["case_id"], r["audience"], r["occasion"], r["created_at"], r["expires_at"],
                    r["used_at"], r["requested_by_id"], self.world.cases[r["case_id"]].azeus,
                )  # fmt: skip
        return None

    async def record(
        self,
        request: RequestRow,
        answers: Mapping[str, int | str],
        worded: Sequence[tuple[str, str]],
        received_at: datetime,
        flagged: bool,
    ) -> bool:
        stored = self.world.feedback_requests[request.request_id]
        if stored["used_at"] is not None:
            return False
        stored["used_at"] = received_at
        self.world.feedback_answers[request.request_id] = {
            "case_id": request.case_id, "audience": request.audience, "received_at": received_at,
            "answers": dict(answers), "worded": list(worded), "flagged": flagged, "occasion": request.occasion,
        }  # fmt: skip
        return True

    async def latest(self, case_id: int, limit: int = 2) -> list[GivenFeedback]:
        given = [
            GivenFeedback(
                rid, a["audience"], a["occasion"], a["received_at"], a["answers"], a["flagged"], tuple(a["worded"])
            )
            for rid, a in self.world.feedback_answers.items()
            if a["case_id"] == case_id
        ]
        return sorted(given, key=lambda g: (g.received_at, g.request_id), reverse=True)[:limit]
