"""The catalogue's cards of families' feedback: a link for each audience (the longest case id), one made
at closure, and the question to a worker when their case closes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from cards.base import CardDict
from cards.feedback_cards import family_answers_card, feedback_link_card
from cards.notice_cards import notice_card
from cards.registry import CardContext
from plf_core.audits import FamilySaid
from plf_core.concern_notices import ImmediateConcern
from plf_core.feedback.answered import FamilyAnswers, FeedbackAnswered
from plf_core.feedback.asking import FeedbackLink
from plf_core.feedback.closure import FeedbackAtClosure
from plf_core.feedback.form import Audience

DAY = date(2026, 12, 18)
LINK_KEY = "Synthetic-token-for-the-catalogue-only-0000"
CASE = "DEMO-90010000000000X"  # the longest case id a directory may hold


def feedback_cards() -> Iterator[tuple[str, CardDict]]:
    expires = datetime(2027, 1, 15, 10, tzinfo=UTC)
    url = "https://plf.example.org/feedback/" + LINK_KEY
    for audience in Audience:
        link = FeedbackLink(CASE, audience, LINK_KEY, expires, "asked", date(2027, 1, 15))
        yield f"feedback/link-{audience.value}", feedback_link_card(link, url)
    closing = FeedbackLink(CASE, Audience.PARENT, LINK_KEY, expires, "closure", date(2027, 1, 15))
    yield "feedback/link-at-closure", feedback_link_card(closing, url)
    notice = FeedbackAtClosure(CASE, DAY, "Children in Need & Protection North (demo)")
    yield "feedback/at-closure", notice_card(notice, CardContext(DAY))
    yield "feedback/worrying-answer-to-the-practice-lead", notice_card(_worrying(), CardContext(DAY))
    answered = FeedbackAnswered(CASE, "a parent or carer", "Fri 18 Dec 2026", "yes")
    yield "feedback/answered-to-who-asked", notice_card(answered, CardContext(DAY))
    yield "feedback/answers", family_answers_card(FamilyAnswers(CASE, family_said()))
    yield "feedback/answers-none", family_answers_card(FamilyAnswers(CASE, ()))


def family_said() -> tuple[FamilySaid, ...]:
    """The longest answers the page takes, from a child (one worrying) and from a parent."""
    long = ("Synthetic words, as long as the page takes: <b>bold</b> [a link](http://example.invalid). " * 30)[:2000]
    child = FamilySaid(
        "child",
        datetime(2026, 12, 18, 19, 40, tzinfo=UTC),
        (("Did we help you?", "2 of 5: Not really"), ("Is there anything else you want to tell us?", long)),
        flagged=True,
    )
    questions = ("What has changed for your family since we started working with you?", "What helped?")
    parent = FamilySaid("parent", datetime(2026, 12, 17, 9, tzinfo=UTC), tuple((q, long) for q in questions))
    return (child, parent)


def _worrying() -> ImmediateConcern:
    """A family's answer that held a worrying phrase, as its case's Practice Lead gets it (HTML as written)."""
    words = "My step-dad hits me when mum is out. <b>Please</b> don't tell him I said. " * 20
    description = (
        f"“{words[:1800]}” (Is there anything else you want to tell us?)\n\n"
        "Words that matched: ‘hits’. The link was given by Rowan Demoford."
    )  # as plf_core.feedback.asking writes it
    where = "the feedback page: their answer held words that may mean a child is not safe"
    return ImmediateConcern(
        104, 0, CASE, "Children in Need & Protection North (demo)", "a child or young person",
        "Fri 18 Dec 2026, 19:40", where, description, "yes", 0, "",
    )  # fmt: skip
