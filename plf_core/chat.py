"""Chat commands, run: the same for a message in Teams and for `plf <command>` in a terminal."""

from __future__ import annotations

from datetime import datetime

from plf_core import commands
from plf_core.command_handlers import MONTHS, ChatScreen
from plf_core.errors import NotAllowed
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.turn import ChatSettings, Turn

__all__ = ["MONTHS", "ChatScreen", "ChatSettings", "run"]


async def run(
    uow: AbstractUnitOfWork, actor: Actor, text: str, now: datetime, settings: ChatSettings, activity_id: str | None
) -> ChatScreen:
    """Parse what was typed, check who may, and run the command's handler from the route table."""
    command, route = commands.parse(text)
    if not route.allowed(actor):
        raise NotAllowed(f"only {route.who_may} can use '{route.usage.split()[0]}'", action="command")
    return await route.run(Turn(uow, actor, now, settings, activity_id), command)
