"""When a family answers: the person who asked for the link is told, with a button to read the answers
(`feedback answers CASE`, routed in plf_core.feedback.commands), so no answer waits unseen for the case's
next audit; and what anyone who may ask for feedback on a case reads with that command. The outbox holds
no answer: the card says that they answered, the command reads what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from plf_core.audits import FamilySaid
from plf_core.errors import NotAllowed
from plf_core.feedback.ports import FeedbackCase, RequestRow
from plf_core.feedback.rights import may_ask
from plf_core.notices import NoticeData, kind
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice

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
    more: bool = False  # earlier answers than those shown


async def read_answers(
    uow: AbstractUnitOfWork, actor: Actor, case: FeedbackCase, activity: str | None
) -> FamilyAnswers:
    if not may_ask(actor, case):
        await uow.access.log(actor, "feedback.read", None, activity, "refused")
        raise NotAllowed(
            f"case {case.azeus_number} is not one of yours: its allocated worker, its Practice Lead, its area's "
            "Service Managers and Head of Service, and QA can read what its family said",
            action="feedback.read",
        )
    given = await uow.feedback.latest(case.case_id, limit=SHOWN + 1)
    await uow.access.log(actor, "feedback.read", None, activity, "ok")
    shown = tuple(FamilySaid(g.audience.value, g.received_at, tuple(g.worded), g.flagged) for g in given[:SHOWN])
    return FamilyAnswers(case.azeus_number, shown, more=len(given) > SHOWN)
