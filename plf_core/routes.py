"""One chat command's route: how it is recognised, built and run, how it is typed and shown in help,
and who may use it (plf_core/commands.py holds the table)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from plf_core.people import Actor
from plf_core.turn import Turn

if TYPE_CHECKING:
    from plf_core.command_handlers import ChatScreen

C = TypeVar("C")


@dataclass(frozen=True)
class Route(Generic[C]):
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], C]
    run: Callable[[Turn, C], Awaitable[ChatScreen]]
    usage: str  # how it is typed, placeholders in capitals (never in angle brackets: Teams drops them)
    what: str
    task: str  # the heading help lists it under
    example: str  # one real example with the demo borough's values ({quarter}, {month}, {due} from today)
    qa_only: bool = False
    also_slt: bool = False  # a QA command SLT may use too (read-only figures)
    also_heads: bool = False  # ... and Heads of Service and Service Managers (for their own service areas)
    also_leads: bool = False  # ... and Practice Leads (for their own teams)

    @property
    def who_may(self) -> str:
        """Who may use it, in words, for a refusal ("the QA team, SLT, Heads of Service and Service Managers")."""
        who = ["the QA team"] + (["SLT"] if self.also_slt else [])
        if self.also_heads:
            who += ["Heads of Service", "Service Managers (for their own areas)"]
        if self.also_leads:
            who += ["Practice Leads (for their own teams)"]
        return ", ".join(who[:-1]) + (" and " if len(who) > 1 else "") + who[-1]

    def allowed(self, actor: Actor) -> bool:
        heads = self.also_heads and bool(actor.headed_area_ids or actor.managed_area_ids)
        leads = self.also_leads and bool(actor.led_team_ids)
        return not self.qa_only or actor.is_qa or (self.also_slt and actor.is_slt) or heads or leads
