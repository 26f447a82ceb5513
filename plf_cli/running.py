"""What every `plf` command shares: printing, the database it works on, and the QA officer it acts as."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from composition import Core, open_database
from plf_core.errors import ValidationFailed
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, UnitOfWorkFactory
from store.database import masked, normalise_url

#: a command's body: the core it runs with and its parsed arguments, to an exit status
Handler = Callable[[Core, argparse.Namespace], Awaitable[int]]
Subparsers = Any  # argparse's _SubParsersAction, private in typeshed


def say(message: str) -> None:
    print(message, flush=True)


def where(core: Core) -> str:
    return masked(normalise_url(core.settings.database_url))


BUSY_TRIES = 5


async def with_database(core: Core, work: Callable[[AsyncEngine, UnitOfWorkFactory], Awaitable[int]]) -> int:
    """`work` on the configured database. On SQLite, a command that read and then wrote while the
    running bot wrote meanwhile is refused at once ("database is locked": SQLite cannot wait for that
    case); its transaction was rolled back whole, so it is run again, a few times, before giving up."""
    async with open_database(core) as (engine, uow):
        for attempt in range(1, BUSY_TRIES + 1):
            try:
                return await work(engine, uow)
            except OperationalError as exc:
                if attempt == BUSY_TRIES or "database is locked" not in str(exc):
                    raise
                await asyncio.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


async def qa_actor(uow: AbstractUnitOfWork, by: str | None) -> Actor:
    """The QA person a terminal command acts as: --by EMAIL, or the first QA officer."""
    if by:
        found = await uow.people.find_person(by)
        if found is None:
            raise ValidationFailed(f"there is no person '{by}'")
        person_id = found.person_id
    else:
        qa = await uow.people.qa_people()
        if not qa:
            raise ValidationFailed("the directory has no QA officer to act as; give --by EMAIL")
        person_id = qa[0]
    actor = await uow.people.actor_of(person_id)
    if actor is None:
        raise ValidationFailed(f"person {person_id} is no longer active in the directory")
    return actor


def confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        say("Nothing was created. Run the same command with --yes to create it.")
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def card_lines(node: Any) -> list[str]:
    """A card's text and facts, in order, for a terminal."""
    lines: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            lines.append(str(node.get("text", "")))
        elif "title" in node and "value" in node and "type" not in node:
            lines.append(f"  {node['title']}: {node['value']}")
        for key, value in node.items():
            if key not in ("actions", "selectAction", "refresh"):
                lines += card_lines(value)
    elif isinstance(node, list):
        for value in node:
            lines += card_lines(value)
    return lines
