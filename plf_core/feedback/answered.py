"""When a family answers: the person who asked for the link is told, with a button to read the answers
(`feedback answers CASE`), so no answer waits unseen for the case's next audit; and what anyone who may
ask for feedback on a case reads with that command. The outbox holds no answer: the card says that
they answered, the command reads what."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from plf_core import command_hints as hints
from plf_core.audits import FamilySaid
from plf_core.errors import NotAllowed, NotFound
from plf_core.feedback.ports import RequestRow
from plf_core.feedback.rights import may_ask
from plf_core.notices import NoticeData, kind
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.routes import Route
from plf_core.turn import Turn

SHOWN = 2  # a case's latest answers on the card, whole (usually the child's and a parent's)


@kind
@dataclass(frozen=True)
class FeedbackAnswered(NoticeData):
    """To whoever asked for the link: the family has answered (and whether it raised a concern)."""

    KEYS: ClassVar[dict[str, str]] = {}
    KIND = "feedback_answered"
    case: str
    who: str  # "a parent or carer"
    received: str  # "Sat 05 Dec 2026"
    flagged: str = ""  # "yes": words in it went to the case's managers as an immediate concern


async def tell_who_asked(uow: AbstractUnitOfWork, request: RequestRow, flagged: bool, received: str) -> None:
    if request.requested_by_id is None:
        return
    notice = FeedbackAnswered(request.case_ref, request.audience.label, received, "yes" if flagged else "")
    await uow.outbox.add(Notice(f"feedback-answered:{request.request_id}", request.requested_by_id, notice))


@dataclass(frozen=True)
class FamilyAnswers:
    """`feedback answers CASE`: the case's latest answers from its family, newest first."""

    case: str
    answers: tuple[FamilySaid, ...]


@dataclass(frozen=True)
class ReadFeedback:
    case: str


async def read(t: Turn, command: ReadFeedback) -> FamilyAnswers:
    case = await t.uow.feedback.case(command.case)
    if case is None:
        raise NotFound(f"there is no case '{command.case[:30]}' (cases are known by their Azeus number)")
    if not may_ask(t.actor, case):
        await t.uow.access.log(t.actor, "feedback.read", None, t.activity_id, "refused")
        raise NotAllowed(
            f"case {case.azeus_number} is not one of yours: its allocated worker, its Practice Lead, its area's "
            "managers and QA can read what its family said",
            action="feedback.read",
        )
    given = await t.uow.feedback.latest(case.case_id, limit=SHOWN)
    await t.uow.access.log(t.actor, "feedback.read", None, t.activity_id, "ok")
    shown = tuple(FamilySaid(g.audience.value, g.received_at, tuple(g.worded), g.flagged) for g in given)
    return FamilyAnswers(case.azeus_number, shown)


ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(r"(?i)^(?:feed\s?back\s+(?:answers?|said|replies)|what\s+did\s+the\s+family\s+say)(?:\s+(?:for|on))?"
                   r"\s+(?:case\s+)?([A-Za-z0-9][A-Za-z0-9-]{0,19})[\s?.!]*$"),
        lambda m: ReadFeedback(m[1]),
        read,
        "feedback answers CASE",
        "what the case's family said on the feedback page, the latest first",
        hints.MY_WORK,
        "feedback answers DEMO-900100",
    ),
)  # fmt: skip
