"""What the chat answers when someone asks for help, greets the bot, or mistypes a command.

Help is grouped by task and shows one real example of each command (the demo borough's values,
dates from today); a misspelt command gets "did you mean …?" with a button that runs it; a
command typed with the wrong words gets how it is typed and an example. Nothing here runs a command.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from plf_core import periods

#: The tasks help is grouped by, in the order shown.
MY_WORK, AUDITS, MODERATION, TIMETABLE, REPORTS, DIPS = (
    "Your work",
    "Audits",
    "Moderation",
    "Timetable and reminders",
    "Figures and reports",
    "Dip samples",
)
TASKS = (MY_WORK, AUDITS, MODERATION, TIMETABLE, REPORTS, DIPS)
#: The buttons at the top of help and of the answer to a greeting, when the reader may use them.
COMMON = ("my audits", "status", "timetable", "report")
SIMILAR = 0.72  # how alike a typed word and a command must be for "did you mean"


class Described(Protocol):
    """A chat command as help and hints see it (commands.Route)."""

    @property
    def usage(self) -> str: ...

    @property
    def what(self) -> str: ...

    @property
    def task(self) -> str: ...

    @property
    def example(self) -> str: ...


@dataclass(frozen=True)
class Option:
    label: str  # the button's title
    command: str  # what pressing it runs, exactly as if typed
    detail: str = ""  # shown beside it (a person's team and role)


@dataclass(frozen=True)
class Choice:
    """A question with buttons: did you mean, which person, assign anyway."""

    title: str
    text: str
    options: tuple[Option, ...]
    typed: bool = False  # the options are commands to type (did you mean), not decisions to take


@dataclass(frozen=True)
class HelpEntry:
    example: str
    what: str
    usage: str


@dataclass(frozen=True)
class HelpMenu:
    opening: str
    buttons: tuple[Option, ...]
    groups: tuple[tuple[str, tuple[HelpEntry, ...]], ...]


def keyword(route: Described) -> str:
    """The words a command starts with: 'assign', 'my audits', 'dip send'."""
    words = route.usage.split()
    return " ".join(words[:2]) if words[0] in ("my", "dip", "unknown", "good") else words[0]


def example(route: Described, today: date) -> str:
    """The route's example with today's dates: {quarter} this quarter, {last_quarter} and {month} the last
    whole quarter and month, {due} four weeks on."""
    return route.example.format(
        quarter=periods.quarter(today).code,
        last_quarter=periods.quarter(today).previous().code,
        month=periods.month(today).previous().code,
        due=(today + timedelta(days=28)).isoformat(),
    )


def help_menu(routes: Sequence[Described], opening: str, today: date) -> HelpMenu:
    by_task = {
        task: tuple(HelpEntry(example(r, today), r.what, r.usage) for r in routes if r.task == task) for task in TASKS
    }
    keywords = {keyword(r) for r in routes}
    buttons = tuple(Option(c.capitalize(), c) for c in COMMON if c in keywords)
    return HelpMenu(opening, buttons, tuple((task, entries) for task, entries in by_task.items() if entries))


def did_you_mean(words: str, routes: Sequence[Described]) -> Choice:
    """The answer to a command nobody knows: the closest command the reader may use, with a button."""
    typed = words.split()
    best, score = "", 0.0
    for phrase in sorted({keyword(r) for r in routes}, key=len, reverse=True):  # a tie goes to the longer
        n = len(phrase.split())
        said = " ".join(typed[:n]).lower()
        ratio = difflib.SequenceMatcher(None, said, phrase).ratio()
        if ratio > score:
            best, score = phrase, ratio
    shown = words[:60]
    if score < SIMILAR:
        return Choice(
            "I don't know that command",
            f"I don't know the command '{shown}'. Press Help to see what you can ask me, with an example of each.",
            (Option("Help", "help"),),
            typed=True,
        )
    rest = typed[len(best.split()) :]
    meant = " ".join([best, *rest])
    return Choice(
        "Did you mean …?",
        f"I don't know the command '{shown}'. Did you mean '{meant[:80]}'?",
        (Option(meant if len(meant) <= 40 else best, meant if len(meant) <= 300 else best), Option("Help", "help")),
        typed=True,
    )


def how_to_type(route: Described, today: date) -> str:
    """A command recognised by its first words, typed wrongly after them."""
    return (
        f"That is not quite how '{keyword(route)}' is typed. Type: {route.usage}. For example: {example(route, today)}"
    )
