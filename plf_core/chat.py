"""Chat commands, run: the same for a message in Teams and for `plf <command>` in a terminal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plf_core import command_hints as hints
from plf_core import commands
from plf_core.command_handlers import MONTHS, ChatScreen
from plf_core.errors import AskFirst, NotAllowed, ValidationFailed
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.turn import ChatSettings, Turn

__all__ = ["MONTHS", "ChatScreen", "ChatSettings", "run"]


async def run(
    uow: AbstractUnitOfWork, actor: Actor, text: str, now: datetime, settings: ChatSettings, activity_id: str | None
) -> ChatScreen:
    """Parse what was typed, check who may, and run the command's handler from the route table.

    A mistyped command gets "did you mean"; a command that needs a choice first (which person,
    another team's case) gets the choice as buttons, each running the command amended."""
    turn = Turn(uow, actor, now, settings, activity_id)
    try:
        command, route = commands.parse(text)
    except commands.Unrecognised as exc:
        if exc.route is None:
            return hints.did_you_mean(exc.words, commands.commands_for(actor))
        _require(exc.route, actor)
        raise ValidationFailed(hints.how_to_type(exc.route, turn.today)) from None
    except commands.BadArguments as exc:
        _require(exc.route, actor)
        raise
    _require(route, actor)
    try:
        return await route.run(turn, command)
    except AskFirst as exc:
        return _choice(exc, " ".join(text.split()))


def _require(route: commands.Route[Any], actor: Actor) -> None:
    if not route.allowed(actor):
        raise NotAllowed(f"only {route.who_may} can use '{hints.keyword(route)}'", action="command")


def _choice(asked: AskFirst, typed: str) -> hints.Choice:
    """Each answer as a button that runs what was typed, amended (a name replaced by an email, 'anyway' added)."""
    options = []
    for answer in asked.answers:
        command = typed
        if answer.ref:
            at = typed.lower().rfind(answer.ref.lower())
            command = typed[:at] + answer.by + typed[at + len(answer.ref) :] if at >= 0 else typed
        options.append(hints.Option(answer.label, command + answer.add, answer.detail))
    return hints.Choice(asked.title, str(asked), tuple(options))
