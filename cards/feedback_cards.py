"""The cards of families' feedback, for staff: the one-time link with its QR code (`feedback CASE`), and
the question to a case's worker when the case closes. A case id only; the link holds not even that."""

from __future__ import annotations

import base64
import io
import re

import segno
from microsoft_teams.cards import Container, Image, TextBlock
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, as_written, card, execute, heading, para, say
from cards.notices import when
from cards.registry import CardContext, builds
from plf_core.audits import FamilySaid
from plf_core.card_actions import Verb
from plf_core.clock import LONDON
from plf_core.feedback.answered import FamilyAnswers, FeedbackAnswered
from plf_core.feedback.asking import FeedbackLink
from plf_core.feedback.closure import FeedbackAtClosure
from plf_core.feedback.form import Audience
from plf_core.periods import staff_date


def flagged(case: str) -> str:
    return (
        f"Words in it may mean a child is not safe: it went at once to case {case}'s Practice Lead and Service "
        "Manager as an immediate concern, and they are asked to say who has it."
    )


RATED = re.compile(r"\d of \d: .*")  # a rating as worded ("4 of 5: Mostly"), not a family's own words
QR_SCALE = 5  # pixels a module: about 200 px across for a link of this length, easy for a phone to read
WHO = {Audience.CHILD: "the child or young person", Audience.PARENT: "the parent or carer"}
OTHER = {Audience.CHILD: Audience.PARENT, Audience.PARENT: Audience.CHILD}


def qr_png(url: str) -> bytes:
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=QR_SCALE, border=2)
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


def feedback_link_card(link: FeedbackLink, url: str) -> CardDict:
    who = WHO[link.audience]
    closing = " now that the case has closed" if link.occasion == "closure" else ""
    expires_on = when(link.expires_on or link.expires_at.date())
    body: list[CardElement] = [
        heading(f"Feedback link for {link.audience.label}: case {link.case}"),
        para(
            f"Give this link to {who}{closing}: text or email it, or show or print the QR code for them to scan with "
            f"their phone's camera. It works once, until {expires_on}."
        ),
        TextBlock(text=url, wrap=True, font_type="Monospace", size="Small"),
        Image(url=qr_data_uri(url), alt_text=f"QR code of the feedback link for {who}", size="Large"),
        para(
            "The link holds no name and no case id, and the page shows nothing about the case. Every question is "
            "optional. You are told when they answer, with a button to read it; their answers also show on the "
            "case's audits. If anything they write suggests a child is not safe, the case's Practice Lead and "
            "Service Manager are told at once.",
            subtle=True,
        ),
        para("Please don't fill it in yourself: it works only once.", subtle=True),
    ]
    other = OTHER[link.audience]
    command = f"feedback {link.case} {other.value}" + (" closure" if link.occasion == "closure" else "")
    actions = [execute(f"A link for {WHO[other]}", Verb.COMMAND_RUN, {"command": command})]
    return card(body, actions, fallback_text=f"Feedback link for {link.audience.label}: case {link.case}")


def family_block(families: tuple[FamilySaid, ...], case_ref: str) -> list[CardElement]:
    """On every page of the case's audits, the review and the read-only view: who in the family answered
    and when, their ratings, how much they wrote, and a button that brings their words below the card
    ('feedback answers CASE'). Their words are not on the page itself: a page card is near Teams' size
    limit, and a press there must not replace the page someone is typing in."""
    if not families:
        return []
    lines = []
    for family in families:
        received = staff_date(family.received_at.astimezone(LONDON))
        ratings = [f"{q} {a.split(':')[0]}" for q, a in family.worded if RATED.fullmatch(a)]
        wrote = sum(not RATED.fullmatch(a) for _, a in family.worded)
        words = [f"wrote {wrote} answer{'s' if wrote != 1 else ''}"] if wrote else []
        lines.append(f"{family.who}, {received}: " + "; ".join(ratings + words) + ".")
    items: list[CardElement] = [para("What the family said", bold=True), para("\n\n".join(lines), subtle=True)]
    if any(f.flagged for f in families):
        items.append(para(flagged(case_ref), color="Attention"))
    items.append(action_row([say("Read what the family said", f"feedback answers {case_ref}")]))
    return [Container(items=items, separator=True)]


def family_answers_card(screen: FamilyAnswers) -> CardDict:
    """`feedback answers CASE`: each of the family's latest answers in full, newest first."""
    body: list[CardElement] = [heading(f"What the family said: case {screen.case}")]
    if not screen.answers:
        body.append(para(f"Nobody in case {screen.case}'s family has answered a feedback link yet."))
    for family in screen.answers:
        received = staff_date(family.received_at.astimezone(LONDON))
        items: list[CardElement] = [para(f"{family.who}, on {received}", bold=True)]
        for question, answer in family.worded:  # each at most 2,000 characters: two families' fit in a card
            items += [para(question, subtle=True), para(as_written(answer))]
        if family.flagged:
            items.append(para(flagged(screen.case), color="Attention"))
        body.append(Container(items=items, separator=True))
    if screen.more:
        body.append(
            para("The latest two answers; earlier ones are kept with the case and counted in reports.", subtle=True)
        )
    command = f"feedback {screen.case}"
    return card(body, [execute("Ask for feedback", Verb.COMMAND_RUN, {"command": command})], fallback_text=command)


@builds(FeedbackAnswered)
def _answered(notice: FeedbackAnswered, context: CardContext) -> CardDict:
    body: list[CardElement] = [
        heading(f"The family answered: case {notice.case}"),
        para(f"{notice.who.capitalize()} answered the feedback link you gave them, on {notice.received}."),
    ]
    if notice.flagged:
        body.append(para(flagged(notice.case), color="Attention"))
    command = f"feedback answers {notice.case}"
    actions = [execute("Read their answers", Verb.COMMAND_RUN, {"command": command}, style="positive")]
    return card(body, actions, fallback_text=f"The family answered: case {notice.case}")


@builds(FeedbackAtClosure)
def _at_closure(notice: FeedbackAtClosure, context: CardContext) -> CardDict:
    closed = f" on {when(notice.closed_on)}" if notice.closed_on else ""
    team = f", of {notice.team}," if notice.team else ""
    body: list[CardElement] = [
        heading(f"Case {notice.case} has closed: ask the family how we did?"),
        para(
            f"The council's records show case {notice.case}{team} closed{closed}. Families are asked for their "
            "feedback when their case closes: it is how we learn whether our help made a difference."
        ),
        para(
            "Press a button for a one-time link and its QR code to give them. If now is not the right time, "
            "there is nothing to do: you can type 'feedback " + notice.case + "' later.",
            subtle=True,
        ),
    ]
    buttons = [
        execute("For a parent or carer", Verb.COMMAND_RUN, {"command": f"feedback {notice.case} parent closure"}),
        execute(
            "For the child or young person", Verb.COMMAND_RUN, {"command": f"feedback {notice.case} child closure"}
        ),
    ]
    body.append(action_row(buttons))
    return card(body, fallback_text=f"Case {notice.case} has closed: ask the family how we did?")
