"""Chat commands: a route table from what people type to a typed command, who may use it, and its handler.

Every command also works with a leading `plf` (`plf assign ...`), as typed in a terminal. The
commands are values (`plf_core/chat_commands.py`); what each does is in `plf_core/command_handlers.py`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from plf_core import chat_commands as c
from plf_core import command_handlers as h
from plf_core import workflow
from plf_core.command_handlers import ChatScreen
from plf_core.errors import ValidationFailed
from plf_core.people import Actor
from plf_core.turn import Turn

C = TypeVar("C")


@dataclass(frozen=True)
class Route(Generic[C]):
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], C]
    run: Callable[[Turn, C], Awaitable[ChatScreen]]
    usage: str
    what: str
    qa_only: bool = False
    also_slt: bool = False  # a QA command SLT may use too (read-only figures)
    also_heads: bool = False  # ... and Heads of Service and Service Managers (for their own service areas)

    @property
    def who_may(self) -> str:
        """Who may use it, in words, for a refusal ("the QA team, SLT, Heads of Service and Service Managers")."""
        who = ["the QA team"] + (["SLT"] if self.also_slt else [])
        if self.also_heads:
            who += ["Heads of Service", "Service Managers (for their own areas)"]
        return ", ".join(who[:-1]) + (" and " if len(who) > 1 else "") + who[-1]

    def allowed(self, actor: Actor) -> bool:
        heads = self.also_heads and bool(actor.headed_area_ids or actor.managed_area_ids)
        return not self.qa_only or actor.is_qa or (self.also_slt and actor.is_slt) or heads


def _audit_id(text: str) -> int:
    return int(text.lstrip("#"))


#: "help", and the greetings and thanks people type to a bot: each answered kindly, with the menu.
HELP = re.compile(
    r"(?i)^(?:(help|\?)|(hi|hello|hey|hiya|morning|good\s+(?:morning|afternoon|evening))"
    r"|(thanks|thank\s+you|thx|cheers|ta))(?:\s+(?:there|bot|all|again|very\s+much|so\s+much))?[\s!.,?:)]*$"
)
OPENINGS = {"hello": "Hello! ", "thanks": "You're welcome. "}


async def _help(t: Turn, command: c.Help) -> ChatScreen:
    lines = [f"{r.usage}: {r.what}" for r in commands_for(t.actor)]
    return workflow.Reply(OPENINGS.get(command.greeting, "") + "You can type:\n\n" + "\n\n".join(lines))


def _moderate(m: re.Match[str]) -> c.Moderate:
    return c.Moderate(m[1], m[2].lower() if m[2] else None)


ROUTES: tuple[Route[Any], ...] = (
    Route(
        HELP,
        lambda m: c.Help("thanks" if m[3] else "hello" if m[2] else ""),
        _help,
        "help",
        "what you can ask me",
    ),
    Route(
        re.compile(r"(?i)^my\s+audits?$"),
        lambda m: c.MyAudits(),
        h.my_audits,
        "my audits",
        "your open audits, each with Continue",
    ),
    Route(
        re.compile(r"(?i)^open\s+#?(\d{1,9})$"),
        lambda m: c.OpenAudit(_audit_id(m[1])),
        h.open_audit,
        "open <audit>",
        "open an audit you may see",
    ),
    Route(
        re.compile(r"(?i)^assign\s+(\S+)\s+to\s+(\S+)(?:\s+with\s+(\S+))?$"),
        lambda m: c.Assign(m[1], m[2], m[3]),
        h.assign,
        "assign <case> to <person> [with <second person>]",
        "start a Practice Learning Conversation (people by email or id)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^done\s+#?(\d{1,9})$"),
        lambda m: c.ActionsDone(_audit_id(m[1])),
        h.actions_done,
        "done <audit>",
        "confirm that an audit's actions are completed (stops the follow-ups)",
    ),
    Route(
        re.compile(r"(?i)^uploaded\s+#?(\d{1,9})$"),
        lambda m: c.MarkUploaded(_audit_id(m[1])),
        h.mark_uploaded,
        "uploaded <audit>",
        "record that a completed audit is uploaded to Azeus",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^sample(?:\s+(.*))?$"),
        lambda m: c.parse_sample(m[1] or ""),
        h.sample,
        c.SAMPLE_USAGE,
        "draw a reproducible sample of cases and assign their audits (shows a preview first)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^moderate(?:\s+(\d{4}-\d{1,2}))?(?:\s+confirm\s+([0-9a-f]{16}))?$"),
        _moderate,
        h.moderate,
        "moderate [2026-11]",
        "choose the month's audits for moderation and ask the moderators (shows a preview first)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^agreement(?:\s+(\d{4}(?:-\d{1,2}|-?q[1-4])?))?(?:\s+by\s+(team|cohort|area|auditor))?$"),
        lambda m: c.AgreementReport(m[1], {"area": "service area"}.get(m[2].lower(), m[2].lower()) if m[2] else None),
        h.agreement,
        "agreement [2026-11|2026-Q3|2026] [by team|cohort|area|auditor]",
        "how far moderators agreed with auditors: agreement, kappa and AC2",
        qa_only=True,
        also_slt=True,
    ),
    Route(
        re.compile(
            r"(?i)^thematic\s+(\S+)\s+to\s+(\S+)\s+due\s+(\d{4}-\d{2}-\d{2})\s+theme\s+(.+?)"
            r"(?:\s+focus\s+(.+?))?(?:\s+moderator\s+(\S+))?$"
        ),
        lambda m: c.AssignThematic(m[1], m[2], m[3], m[4], m[5], m[6]),
        h.assign_thematic,
        "thematic <case> to <reviewer> due <YYYY-MM-DD> theme <theme> [focus <focus>] [moderator <person>]",
        "assign a thematic practice review (CiN & CP, or CLA & Care Leavers by the case's cohort)",
        qa_only=True,
    ),
    Route(
        re.compile(
            r"(?i)^supervision\s+(\S+)\s+to\s+(\S+)(?:\s+supervisee\s+(\S+))?(?:\s+due\s+(\d{4}-\d{2}-\d{2}))?$"
        ),
        lambda m: c.AssignSupervision(m[1], m[2], m[3], m[4]),
        h.assign_supervision,
        "supervision <supervisor> to <reviewer> [supervisee <person>] [due <YYYY-MM-DD>]",
        "assign a review of a supervisor's records, and the supervisee's evaluation linked to it",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^timetable(?:\s+(\d{1,2}))?(?:\s+days?)?$"),
        lambda m: c.TimetableCmd(int(m[1]) if m[1] else 14),
        h.timetable,
        "timetable [days]",
        "the notices due in the next days (default 14), by rule and number of people",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^remind(?:\s+(?!--dry-run|dry\s+run)(.+?))?(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: c.Remind(m[1], bool(m[2])),
        h.remind,
        "remind [team|service area] [--dry-run]",
        "send reminders now to everyone with open audits (a dry run shows who, and sends nothing)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^escalate(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: c.Escalate(bool(m[1])),
        h.escalate,
        "escalate [--dry-run]",
        "send SLT the overdue reviews now (a dry run shows who, and sends nothing)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^status(?:\s+(.+))?$"),
        lambda m: c.Status(m[1]),
        h.status,
        "status [team|service area|2026-Q4]",
        "returned, outstanding, moderated and overdue actions for this cycle",
        qa_only=True,
        also_slt=True,
    ),
    Route(
        re.compile(r"(?i)^report(?:\s+(month|quarter|\d{4}-\d{1,2}|\d{4}-?q[1-4]))?(?:\s+(.+))?$"),
        lambda m: c.Report(m[1], m[2]),
        h.report,
        "report [month|quarter|2026-10|2026-Q3] [service area]",
        "the highlight report: a summary here, the full report (printable) behind a link",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    Route(
        re.compile(r"(?i)^outbox$"),
        lambda m: c.OutboxCmd(),
        h.outbox,
        "outbox",
        "messages that could not be delivered, each with Retry",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+themes?$"),
        lambda m: c.DipThemes(),
        h.dip_themes,
        "dip themes",
        "the default annual themes, each with a button to start a dip sample",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+new\s+(.+)$"),
        lambda m: c.NewDip(m[1]),
        h.new_dip,
        "dip new <theme>",
        "start a dip sample: its Terms of Reference open to fill in",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+approve\s+#?(\d{1,9})$"),
        lambda m: c.ApproveDip(int(m[1])),
        h.approve_dip,
        "dip approve <dip>",
        "approve a dip sample (QA manager)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+send\s+#?(\d{1,9})\s+to\s+(\S+)$"),
        lambda m: c.SendDip(int(m[1]), m[2]),
        h.send_dip,
        "dip send <dip> to <Head of Service>",
        "send an approved dip sample to its Head of Service to agree the actions within a week",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dips$"),
        lambda m: c.ListDips(),
        h.list_dips,
        "dips",
        "the dip samples and where each one is",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^unknown(\s+people)?$"),
        lambda m: c.ListUnknown(),
        h.unknown_people,
        "unknown people",
        "people who wrote to the bot but are not in the directory",
        qa_only=True,
    ),
)
MAX_COMMAND_CHARS = 300


def parse(text: str) -> tuple[c.Command, Route[Any]]:
    """The command a message asks for, or ValidationFailed with what to type instead."""
    words = " ".join(text.strip().split())
    if "\x00" in words:
        raise ValidationFailed("that message holds a NUL character (U+0000): please type the command again")
    if len(words) > MAX_COMMAND_CHARS:
        raise ValidationFailed(f"that message is too long for a command ({len(words)} characters)")
    words = re.sub(r"^plf\s+", "", words, flags=re.IGNORECASE)
    for route in ROUTES:
        match = route.pattern.match(words)  # case ids and emails keep their spelling
        if match:
            return route.build(match), route
    raise ValidationFailed(f"I don't know the command '{words[:60]}'. Type 'help' to see what you can ask.")


def commands_for(actor: Actor) -> list[Route[Any]]:
    """Only the commands this person may use (what `help` lists)."""
    return [r for r in ROUTES if r.allowed(actor)]
