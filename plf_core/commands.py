"""Chat commands: parsed by a route table into typed commands, each with who may use it.

Every command also works with a leading `plf` (`plf assign ...`), as typed in a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from plf_core.errors import ValidationFailed
from plf_core.people import Actor


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class MyAudits:
    pass


@dataclass(frozen=True)
class Assign:
    case_ref: str
    person_ref: str
    second_person_ref: str | None = None


@dataclass(frozen=True)
class MarkUploaded:
    audit_id: int


@dataclass(frozen=True)
class ListUnknown:
    pass


@dataclass(frozen=True)
class OpenAudit:
    audit_id: int


Command = Help | MyAudits | Assign | MarkUploaded | ListUnknown | OpenAudit


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], Command]
    usage: str
    what: str
    qa_only: bool = False


def _audit_id(text: str) -> int:
    return int(text.lstrip("#"))


ROUTES: tuple[Route, ...] = (
    Route(re.compile(r"(?i)^(help|\?)$"), lambda m: Help(), "help", "what you can ask me"),
    Route(re.compile(r"(?i)^my\s+audits?$"), lambda m: MyAudits(), "my audits", "your open audits, each with Continue"),
    Route(
        re.compile(r"(?i)^open\s+#?(\d{1,9})$"),
        lambda m: OpenAudit(_audit_id(m[1])),
        "open <audit>",
        "open an audit you may see",
    ),
    Route(
        re.compile(r"(?i)^assign\s+(\S+)\s+to\s+(\S+)(?:\s+with\s+(\S+))?$"),
        lambda m: Assign(m[1], m[2], m[3]),
        "assign <case> to <person> [with <second person>]",
        "start a Practice Learning Conversation (people by email or id)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^uploaded\s+#?(\d{1,9})$"),
        lambda m: MarkUploaded(_audit_id(m[1])),
        "uploaded <audit>",
        "record that a completed audit is uploaded to Azeus",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^unknown(\s+people)?$"),
        lambda m: ListUnknown(),
        "unknown people",
        "people who wrote to the bot but are not in the directory",
        qa_only=True,
    ),
)
MAX_COMMAND_CHARS = 300


def parse(text: str) -> tuple[Command, Route]:
    """The command a message asks for, or ValidationFailed with what to type instead."""
    words = " ".join(text.strip().split())
    if len(words) > MAX_COMMAND_CHARS:
        raise ValidationFailed(f"that message is too long for a command ({len(words)} characters)")
    words = re.sub(r"^plf\s+", "", words, flags=re.IGNORECASE)
    for route in ROUTES:
        match = route.pattern.match(words)  # case ids and emails keep their spelling
        if match:
            return route.build(match), route
    raise ValidationFailed(f"I don't know the command '{words[:60]}'. Type 'help' to see what you can ask.")


def commands_for(actor: Actor) -> list[Route]:
    """Only the commands this person may use (what `help` lists)."""
    return [r for r in ROUTES if actor.is_qa or not r.qa_only]
