"""The registry of notice cards: which builder makes the card of each kind of notice, and what a
builder is given besides the notice (the day, and whatever signs links)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from cards.base import CardDict
from plf_core import notices as n


class LinkSigner(Protocol):
    """Makes the signed, expiring links the cards carry (bot.links.SignedLinks)."""

    @property
    def lifetime_days(self) -> int: ...

    def chart_url(self, audit_id: int) -> str: ...

    def report_url(self, reader: int, period: str, area_id: int | None, team_id: int | None = None) -> str: ...

    def evidence_url(self, reader: int, period: str) -> str: ...

    def feedback_url(self, token: str) -> str: ...


@dataclass(frozen=True)
class CardContext:
    today: date  # the day the card is made, in the framework's zone
    links: LinkSigner | None = None


Notice = TypeVar("Notice", bound=n.NoticeData)
Builder = Callable[[Any, CardContext], CardDict]
BUILDERS: dict[type[n.NoticeData], Builder] = {}


def builds(kind: type[Notice]) -> Callable[[Callable[[Notice, CardContext], CardDict]], Callable[..., CardDict]]:
    def register(builder: Callable[[Notice, CardContext], CardDict]) -> Callable[..., CardDict]:
        BUILDERS[kind] = builder
        return builder

    return register
