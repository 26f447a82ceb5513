"""Asking a family for feedback, and a family answering.

From Teams, the case's worker, its leaders or QA ask for a link for a child or young person, or for a
parent or carer (`feedback CASE`, an audit's button, or the prompt when a case closes). On the open web,
whoever holds the link opens the page and answers once; nothing about the case is shown to them. An
answer holding a worrying phrase goes at once to the case's Practice Lead and Service Manager as an
immediate concern (plf_core.concerns), escalated like any other until someone has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plf_core import concerns
from plf_core.concern_ports import NewConcern
from plf_core.errors import NotAllowed, NotFound
from plf_core.feedback import answered
from plf_core.feedback.answers import Checked, check_answers, worded, worrying
from plf_core.feedback.form import Audience, FeedbackForm, Kind
from plf_core.feedback.links import LinkState, new_token, state_of, token_hash, well_formed
from plf_core.feedback.ports import FeedbackCase, NewRequest, RequestRow
from plf_core.feedback.rights import may_ask
from plf_core.framework_config import Framework
from plf_core.people import Actor
from plf_core.periods import staff_date
from plf_core.ports import AbstractUnitOfWork
from plf_core.working_days import Hours


@dataclass(frozen=True)
class FeedbackLink:
    """A link made for one family member: the token (shown once, never stored) and until when it works."""

    case: str
    audience: Audience
    token: str
    expires_at: datetime
    occasion: str = "asked"
    expires_on: date | None = None  # the last day it works, in the framework's zone


async def ask(
    uow: AbstractUnitOfWork,
    actor: Actor,
    case_ref: str,
    audience: Audience,
    now: datetime,
    days: int,
    *,
    occasion: str = "asked",
    audit_id: int | None = None,
    activity: str | None = None,
) -> FeedbackLink:
    case = await uow.feedback.case(case_ref.strip())
    if case is None:
        await uow.access.log(actor, "feedback.ask", audit_id, activity, "not found")
        raise NotFound(f"there is no case {case_ref.strip()[:20]}: check the case id (its Azeus number)")
    await refuse_unless_may_ask(uow, actor, case, audit_id, activity)
    token = new_token()
    expires = now + timedelta(days=days)
    new = NewRequest(token_hash(token), case.case_id, audience, occasion, actor.person_id, audit_id, now, expires)
    await uow.feedback.add_request(new)
    await uow.access.log(actor, f"feedback.ask {audience.value}", audit_id, activity, "ok")
    return FeedbackLink(case.azeus_number, audience, token, expires, occasion)


async def refuse_unless_may_ask(
    uow: AbstractUnitOfWork, actor: Actor, case: FeedbackCase, audit_id: int | None, activity: str | None
) -> None:
    if not may_ask(actor, case):
        await uow.access.log(actor, "feedback.ask", audit_id, activity, "refused")
        raise NotAllowed(
            f"case {case.azeus_number} is not one of yours: its allocated worker, its Practice Lead, its area's "
            "Service Managers and Head of Service, or QA can ask for feedback on it"
        )


async def _request(uow: AbstractUnitOfWork, token: str) -> RequestRow | None:
    if not well_formed(token):
        return None
    return await uow.feedback.request_by_token(token_hash(token))


async def open_link(uow: AbstractUnitOfWork, token: str, now: datetime) -> tuple[LinkState, Audience | None]:
    """Whether the link still works, and whose version of the page it opens."""
    request = await _request(uow, token)
    state = state_of(request.times if request else None, now)
    return state, (request.audience if request is not None and state is LinkState.OPEN else None)


@dataclass(frozen=True)
class Answered:
    """What the family sees next: thanks (state OPEN, nothing wrong), the page again with what they typed
    and why (problems, or nothing answered), or the kind page of a link that no longer works."""

    state: LinkState
    audience: Audience | None = None
    checked: Checked | None = None

    @property
    def thanked(self) -> bool:
        checked = self.checked
        return self.state is LinkState.OPEN and checked is not None and not checked.problems and not checked.empty


async def answer(
    uow: AbstractUnitOfWork,
    form: FeedbackForm,
    token: str,
    sent: Mapping[str, str],
    now: datetime,
    timing: tuple[Framework, Hours],
) -> Answered:
    request = await _request(uow, token)
    state = state_of(request.times if request else None, now)
    if request is None or state is not LinkState.OPEN:
        return Answered(state)
    version = form.version(request.audience)
    checked = check_answers(version, sent)
    if checked.problems or checked.empty:
        return Answered(state, request.audience, checked)
    phrases = worrying(form, checked.answers)
    said = worded(version, checked.answers)
    if not await uow.feedback.record(request, checked.answers, said, now, bool(phrases)):
        return Answered(LinkState.USED)  # answered a moment ago from another tab
    if phrases:
        await _raise_concern(uow, form, request, (checked, phrases), now, timing)
    await answered.tell_who_asked(uow, request, bool(phrases), staff_date(now.astimezone(timing[1].zone)))
    return Answered(state, request.audience, checked)


async def _raise_concern(
    uow: AbstractUnitOfWork,
    form: FeedbackForm,
    request: RequestRow,
    found: tuple[Checked, list[str]],
    now: datetime,
    timing: tuple[Framework, Hours],
) -> None:
    """The family's own words (every answer in them, so the worrying one is read in its place), the words
    that matched and who gave them the link, to the case's Practice Lead and Service Manager at once. It
    climbs by the clock, day and night, as a concern about a child at risk now does: families answer in
    the evening and at weekends, and their words should not wait for Monday."""
    checked, phrases = found
    version = form.version(request.audience)
    texts = {q.text for q in version.questions if q.kind is Kind.TEXT}
    lines = [f"“{a}” ({q})" for q, a in worded(version, checked.answers) if q in texts]
    matched = ", ".join(f"‘{p.rstrip('*')}’" for p in phrases)
    given = await uow.people.person_name(request.requested_by_id) if request.requested_by_id else "the bot"
    description = "\n\n".join(lines) + f"\n\nWords that matched: {matched}. The link was given by {given}."
    framework, hours = timing
    due = concerns.first_escalation(framework, hours, now, True)
    area = await uow.feedback.area_of(request.case_id)
    page = f"{concerns.FAMILY_PAGE}:{request.audience.value}"
    new = NewConcern(description, True, None, now, due, request.case_id, None, page, area_id=area)
    concern_id = await uow.concerns.add(new)
    row = await uow.concerns.get(concern_id)
    assert row is not None
    people, reason = await concerns.first_recipients(uow, row)
    await concerns.send(uow, row, people, reason, hours.zone)
