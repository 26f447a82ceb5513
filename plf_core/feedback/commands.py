"""`feedback CASE [child|parent]`: a one-time feedback link for a child or young person, or a parent or
carer, with its QR code, to read out, text or print. The route joins the table in plf_core/commands.py;
an audit's "Ask for feedback" button and the prompt when a case closes run the same command."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from plf_core import command_hints as hints
from plf_core.errors import Answer, AskFirst, NotFound
from plf_core.feedback import asking, closure
from plf_core.feedback.form import Audience
from plf_core.routes import Route
from plf_core.turn import Turn

REGISTERED = closure  # its notice kind is known wherever commands are
SHOWN_CASES = 6  # of the person's own cases, offered when the case typed is not one

#: the words people use for each audience ("feedback DEMO-900100 mum")
AUDIENCE_WORDS = {
    **dict.fromkeys(("child", "children", "young", "young person", "yp", "cyp", "kid", "teen", "teenager"), "child"),
    **dict.fromkeys(("parent", "parents", "carer", "carers", "parent or carer", "mum", "dad", "family"), "parent"),
    **dict.fromkeys(("foster carer", "grandparent", "guardian", "mother", "father"), "parent"),
}
CLOSURE_WORDS = r"(?:\s+(?:at\s+|on\s+)?(clos(?:ure|ing|ed)))?"
FILLER = r"(?:\s+(?:please|pls|link|now))*"


@dataclass(frozen=True)
class AskForFeedback:
    case: str
    audience: str | None  # the words typed for who it is for; None: ask
    closure: bool = False


def _audience(words: str | None) -> Audience | None:
    if not words:
        return None
    spoken = " ".join(words.lower().replace("/", " ").split())
    spoken = re.sub(r"^(?:for\s+)?(?:the\s+|a\s+|an\s+|their\s+)?", "", spoken)
    found = AUDIENCE_WORDS.get(spoken) or AUDIENCE_WORDS.get(spoken.split()[0] if spoken else "")
    return Audience(found) if found else None


def _who_for(case: str, typed: str | None) -> AskFirst:
    unknown = f"'{typed[:30]}' is not one I know. " if typed else ""
    return AskFirst(
        "Who is the link for?",
        f"{unknown}Is the feedback link for case {case} for the child or young person, or for a parent or carer? "
        "Each gets their own version of the page.",
        (
            Answer("A child or young person", ref=typed or "", by="", add=" child"),
            Answer("A parent or carer", ref=typed or "", by="", add=" parent"),
        ),
    )


async def _not_a_case(t: Turn, typed: str) -> AskFirst | NotFound:
    """A name or a mistyped id: the person's own cases as buttons, or how cases are known."""
    mine = await t.uow.people.cases_of(t.actor.person_id, limit=SHOWN_CASES)
    how = "cases are known only by their Azeus number (such as DEMO-900100), never by a child's name"
    if not mine:
        return NotFound(f"There is no case '{typed[:30]}': {how}.")
    answers = tuple(Answer(c.azeus_number, c.team_name, typed, c.azeus_number) for c in mine)
    return AskFirst("Which case?", f"There is no case '{typed[:30]}': {how}. Your cases are …", answers)


async def run(t: Turn, command: AskForFeedback) -> asking.FeedbackLink:
    case = await t.uow.feedback.case(command.case)
    if case is None:
        raise await _not_a_case(t, command.case)
    audience = _audience(command.audience)
    if audience is None:
        raise _who_for(case.azeus_number, command.audience)
    occasion = "closure" if command.closure else "asked"
    days = t.settings.feedback_link_days
    link = await asking.ask(
        t.uow, t.actor, case.azeus_number, audience, t.now, days, occasion=occasion, activity=t.activity_id
    )
    last_day = (link.expires_at - timedelta(microseconds=1)).astimezone(t.settings.zone).date()
    return replace(link, expires_on=last_day)


def _build(m: re.Match[str]) -> AskForFeedback:
    return AskForFeedback(m[1], (m[2] or "").strip() or None, bool(m[3]))


ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(
            r"(?i)^(?:ask\s+(?:for\s+)?)?(?:family\s+)?feed\s?back(?:\s+link)?(?:\s+(?:for|on))?\s+(?:case\s+)?"
            rf"([A-Za-z0-9][A-Za-z0-9-]{{0,19}})(?:\s+(?:for\s+)?((?:(?!clos)[A-Za-z/ ]){{1,30}}?))?{CLOSURE_WORDS}"
            rf"{FILLER}[\s.!]*$"
        ),
        _build,
        run,
        "feedback CASE [child or parent]",
        "a one-time link (and its QR code) for a child or young person, or a parent or carer, to tell us how we did",
        hints.MY_WORK,
        "feedback DEMO-900100 parent",
    ),
)
