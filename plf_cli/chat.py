"""`plf remind`, `escalate`, `timetable`, `outbox`, `status`: the chat commands, run as a QA officer,
their card printed as text."""

from __future__ import annotations

import argparse

from sqlalchemy.ext.asyncio import AsyncEngine

from composition import Core
from plf_cli.running import Subparsers, card_lines, qa_actor, say, with_database
from plf_core import chat
from plf_core.ports import UnitOfWorkFactory

TERMINAL_CHAT = (
    ("remind", "send reminders now: [team|service area] [--dry-run]"),
    ("escalate", "send SLT the overdue reviews now: [--dry-run]"),
    ("timetable", "the notices due in the next [days] days"),
    ("outbox", "messages that could not be delivered"),
    ("status", "returned, outstanding, moderated, overdue actions: [team|service area|2026-Q4]"),
)


def register(sub: Subparsers) -> None:
    for name, what in TERMINAL_CHAT:
        t = sub.add_parser(name, help=what)
        t.add_argument("words", nargs="*", help="as in the chat command (e.g. a team or a number of days)")
        if name in ("remind", "escalate"):
            t.add_argument("--dry-run", action="store_true", help="show who would get what; send nothing")
        t.add_argument("--by", help="the QA person acting (email; default the first QA officer)")
        t.set_defaults(run=cmd_chat)


async def cmd_chat(core: Core, args: argparse.Namespace) -> int:
    """`plf remind CLA-N --dry-run` and the like."""
    from cards.screens import screen_card  # heavy: imported only when this command runs

    text = " ".join([args.command, *args.words, *(["--dry-run"] if getattr(args, "dry_run", False) else [])])

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with uow() as unit:
            actor = await qa_actor(unit, args.by)
            screen = await chat.run(unit, actor, text, core.clock.now(), core.chat, f"plf {args.command}")
            notices = unit.notices_added
        for line in card_lines(screen_card(screen)):
            say(line)
        if notices:
            say("(the running bot delivers the messages)")
        return 0

    return await with_database(core, work)
