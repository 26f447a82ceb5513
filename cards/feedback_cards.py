"""The cards of families' feedback, for staff: the one-time link with its QR code (`feedback CASE`), and
the question to a case's worker when the case closes. A case id only; the link holds not even that."""

from __future__ import annotations

import base64
import io

import segno
from microsoft_teams.cards import Image, TextBlock
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, as_written, card, execute, heading, para, toggled
from cards.notices import when
from cards.registry import CardContext, builds
from plf_core.audits import FamilySaid
from plf_core.card_actions import Verb
from plf_core.clock import LONDON
from plf_core.feedback.asking import FeedbackLink
from plf_core.feedback.closure import FeedbackAtClosure
from plf_core.feedback.form import Audience
from plf_core.periods import staff_date

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
            f"Give this link to {who}{closing}: read it out, text or email it, or print the QR code for them to scan "
            f"with their phone's camera. It works once, until {expires_on}."
        ),
        TextBlock(text=url, wrap=True, font_type="Monospace", size="Small"),
        Image(url=qr_data_uri(url), alt_text=f"QR code of the feedback link for {who}", size="Large"),
        para(
            "The link holds no name and no case id, and the page shows nothing about the case. Every question is "
            "optional. Their answers will show on the case's next audit. If anything they write suggests a child "
            "is not safe, the case's Practice Lead and Service Manager are told at once.",
            subtle=True,
        ),
        para("Please don't fill it in yourself: it works only once.", subtle=True),
    ]
    other = OTHER[link.audience]
    command = f"feedback {link.case} {other.value}" + (" closure" if link.occasion == "closure" else "")
    actions = [execute(f"A link for {WHO[other]}", Verb.COMMAND_RUN, {"command": command})]
    return card(body, actions, fallback_text=f"Feedback link for {link.audience.label}: case {link.case}")


def family_block(family: FamilySaid | None) -> list[CardElement]:
    """The case's latest feedback from its family, folded away under a button on every page of its audits:
    in the family's own words, shown as written."""
    if family is None:
        return []
    received = staff_date(family.received_at.astimezone(LONDON))
    items: list[CardElement] = [para(f"{family.who}, on {received}, on the feedback page:", subtle=True)]
    for question, answer in family.worded:
        items += [para(question, bold=True), para(as_written(answer))]
    if family.flagged:
        items.append(
            para(
                "Words in it may mean a child is not safe: it went at once to the case's Practice Lead and Service "
                "Manager as an immediate concern.",
                color="Attention",
            )
        )
    return toggled("family_feedback", f"What the family said ({family.who.lower()}, {received})", items)


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
