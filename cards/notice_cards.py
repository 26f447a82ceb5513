"""Each kind of notice (plf_core.notices) to its card.

The dispatcher reads an outbox row back as its typed notice and asks `notice_card` for the card as it
sends it, with the day it is sent and whatever signs links (a chart's link is made then, so it lasts
its full lifetime from the moment the person receives it).
"""

from __future__ import annotations

from cards import concern_cards, feedback_cards, good_practice_cards, notice_builders, timetable_cards
from cards.base import CardDict
from cards.registry import BUILDERS, CardContext, LinkSigner
from plf_core import notices as n

__all__ = ["BUILDERS", "CardContext", "LinkSigner", "notice_card"]
REGISTERED = (
    concern_cards,
    notice_builders,
    timetable_cards,
    good_practice_cards,
    feedback_cards,
)  # importing registers them


def notice_card(notice: n.NoticeData, context: CardContext) -> CardDict:
    """The card of a notice; ValueError if it cannot be made (the dispatcher dead-letters the row)."""
    builder = BUILDERS.get(type(notice))
    if builder is None:
        raise ValueError(f"no card for notice kind '{notice.KIND}'")
    return builder(notice, context)
