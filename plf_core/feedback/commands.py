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
from plf_core.feedback import answered, asking, closure
from plf_core.feedback.form import Audience
from plf_core.feedback.ports import FeedbackCase
from plf_core.routes import Route
from plf_core.turn import Turn

REGISTERED = closure  # its notice kind is known wherever commands are
SHOWN_CASES = 6  # of the person's own cases, offered when the case typed is not one
SEARCHED_CASES = 200  # of their own cases, searched for a case typed by its number alone

#: the words people use for each audience ("feedback DEMO-900100 mum")
AUDIENCE_WORDS = {
    **dict.fromkeys(("child", "children", "young", "young person", "yp", "cyp", "kid", "teen", "teenager"), "child"),
    **dict.fromkeys(("parent", "parents", "carer", "carers", "parent or carer", "mum", "dad", "family"), "parent"),
    **dict.fromkeys(("foster carer", "foster", "grandparent", "guardian", "special guardian", "mother"), "parent"),
    **dict.fromkeys(("father", "grandma", "grandmother", "grandad", "grandfather", "nan", "gran"), "parent"),
    **dict.fromkeys(("aunt", "auntie", "uncle", "stepmum", "stepdad", "step mum", "step dad", "kinship"), "parent"),
}
#: words busy people put around a request, read past ("can I get a feedback link for DEMO-900100 dad please")
FILLERS = frozenset(
    {"for", "on", "case", "please", "pls", "plz", "link", "now", "a", "an", "the", "to", "send", "their", "my"}
    | {"of", "about", "with", "person", "or", "and", "at"}
)
CLOSING = frozenset({"closure", "closing", "closed", "close"})


@dataclass(frozen=True)
class AskForFeedback:
    case: str  # as typed: an Azeus number, or whatever was typed instead (a name, nothing)
    audience: str | None  # the words typed for who it is for; None: ask
    closure: bool = False


def _audience(words: str | None) -> Audience | None:
    """Who the words say the link is for; None if they say nobody, or both ("child parent": asked)."""
    if not words:
        return None
    spoken = " ".join(words.lower().replace("/", " ").replace("-", " ").split())
    spoken = re.sub(r"^(?:for\s+)?(?:the\s+|a\s+|an\s+|their\s+)?", "", spoken)
    whole = AUDIENCE_WORDS.get(spoken)
    if whole:
        return Audience(whole)
    found = {AUDIENCE_WORDS[w] for w in spoken.split() if w in AUDIENCE_WORDS}
    return Audience(found.pop()) if len(found) == 1 else None


def parse_request(rest: str) -> AskForFeedback:
    """What follows 'feedback': the case (the word with digits in it; 'demo 900011' is one), who the link is
    for, and 'closure'; with no case id, the other words are what was typed for the case (a name, perhaps)."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", rest)
    closure = any(w.lower() in CLOSING for w in words)
    joined: list[str] = []
    for word in (w for w in words if w.lower() not in CLOSING):
        if joined and word.isdigit() and joined[-1].isalpha() and joined[-1].lower() not in AUDIENCE_WORDS:
            joined[-1] = f"{joined[-1]}-{word}"
        else:
            joined.append(word)
    kept = [w for w in joined if w.lower() not in FILLERS]
    at = next((i for i, w in enumerate(kept) if any(ch.isdigit() for ch in w)), None)
    if at is not None:
        case = kept.pop(at)
        return AskForFeedback(case, " ".join(kept) or None, closure)
    said = [w for w in kept if w.lower() in AUDIENCE_WORDS]
    other = [w for w in kept if w.lower() not in AUDIENCE_WORDS]
    return AskForFeedback(" ".join(other), " ".join(said) or None, closure)


def _who_for(case: str, typed: str | None) -> AskFirst:
    unknown = f"'{typed[:30]}' is not one I know. " if typed else ""
    ref = f" {typed}" if typed else ""
    return AskFirst(
        "Who is the link for?",
        f"{unknown}Is the feedback link for case {case} for the child or young person, or for a parent or carer? "
        "Each gets their own version of the page.",
        (
            Answer("A child or young person", ref=ref, by="", add=" child"),
            Answer("A parent or carer", ref=ref, by="", add=" parent"),
        ),
    )


async def _find_case(t: Turn, typed: str) -> FeedbackCase | None:
    """The case as typed, or as meant: DEMO900011 is DEMO-900011, and 900011 one of the person's own cases."""
    if not typed:
        return None
    found = await t.uow.feedback.case(typed)
    split = re.fullmatch(r"([A-Za-z]+)-?\s*(\d+)", typed)
    if found is None and split:
        found = await t.uow.feedback.case(f"{split[1]}-{split[2]}")
    if found is None and typed.isdigit():
        mine = [c.azeus_number for c in await t.uow.people.cases_of(t.actor.person_id, limit=SEARCHED_CASES)]
        matches = [c for c in mine if c.split("-")[-1] == typed]
        found = await t.uow.feedback.case(matches[0]) if len(matches) == 1 else None
    return found


async def _not_a_case(t: Turn, typed: str) -> AskFirst | NotFound:
    """A name, a mistyped id or none: the person's own cases as buttons, or how cases are known."""
    mine = await t.uow.people.cases_of(t.actor.person_id, limit=SEARCHED_CASES)
    how = "cases are known here only by their Azeus number (such as DEMO-900100), not by anyone's name"
    if not typed:
        question = "Which case?"
    elif any(ch.isdigit() for ch in typed):
        question = f"There is no case {typed[:30]}: check the number."
    else:
        question = f"There is no case '{typed[:30]}': {how}."
    if not mine:
        return NotFound(f"{question[0].lower()}{question[1:].rstrip('.?')}: type the case's Azeus number")
    more = (
        f" (the first {SHOWN_CASES} of your {len(mine)}: type the case id for another)"
        if len(mine) > SHOWN_CASES
        else ""
    )
    answers = tuple(
        Answer(c.azeus_number, c.team_name, typed, c.azeus_number) if typed
        else Answer(c.azeus_number, c.team_name, add=f" {c.azeus_number}")
        for c in mine[:SHOWN_CASES]
    )  # fmt: skip
    return AskFirst("Which case?", f"{question} {more or 'Your cases are …'}", answers)


async def run(t: Turn, command: AskForFeedback) -> asking.FeedbackLink:
    case = await _find_case(t, command.case)
    if case is None:
        raise await _not_a_case(t, command.case)
    await asking.refuse_unless_may_ask(t.uow, t.actor, case, None, t.activity_id)  # before asking who for
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


@dataclass(frozen=True)
class ReadFeedback:
    case: str  # as typed, as for AskForFeedback


async def read(t: Turn, command: ReadFeedback) -> answered.FamilyAnswers:
    case = await _find_case(t, command.case)
    if case is None:
        raise await _not_a_case(t, command.case)
    return await answered.read_answers(t.uow, t.actor, case, t.activity_id)


ANSWERS = r"(?:feed\s?back\s+(?:answers?|said|replies)|what\s+did\s+the\s+family\s+say|family\s+answers)\b"
ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(rf"(?i)^{ANSWERS}(.{{0,120}})$"),
        lambda m: ReadFeedback(parse_request(m[1]).case),
        read,
        "feedback answers CASE",
        "what the case's family said on the feedback page, the latest first",
        hints.MY_WORK,
        "feedback answers DEMO-900100",
    ),
    Route(
        re.compile(
            r"(?i)^(?:(?:can|could)\s+i\s+(?:get|have)\s+|i\s+need\s+|please\s+)?(?:a\s+)?(?:ask\s+(?:for\s+)?)?"
            r"(?:the\s+)?(?:family\s+)?feed\s?back\b(?!\s+(?:answers?|said|replies)\b)(.{0,120})$"
        ),
        lambda m: parse_request(m[1]),
        run,
        "feedback CASE [child or parent]",
        "a one-time link (and its QR code) for a child or young person, or a parent or carer, to tell us how we did",
        hints.MY_WORK,
        "feedback DEMO-900100 parent",
    ),
)
