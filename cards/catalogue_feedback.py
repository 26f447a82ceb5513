"""The catalogue's cards of families' feedback: a link for each audience (the longest case id), one made
at closure, and the question to a worker when their case closes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from cards.base import CardDict
from cards.feedback_cards import feedback_link_card
from cards.notice_cards import notice_card
from cards.registry import CardContext
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
