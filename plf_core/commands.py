"""Chat commands: a route table from what people type to a typed command, who may use it, and its handler.

Every command also works with a leading `plf` (`plf assign ...`), as typed in a terminal. The
commands are values (`plf_core/chat_commands.py`); what each does is in `plf_core/command_handlers.py`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from plf_core import chat_commands as c
from plf_core import command_handlers as h
from plf_core import command_hints as hints
from plf_core import concern_commands, evidence_routes
from plf_core.command_handlers import ChatScreen
from plf_core.errors import ValidationFailed
from plf_core.feedback import commands as feedback_commands
from plf_core.people import Actor
from plf_core.routes import Route as Route
from plf_core.turn import Turn
from plf_core.workflow import Reply

#: "help", and the greetings and thanks people type to a bot: each answered kindly, with the menu.
HELP = re.compile(
    r"(?i)^(?:(help|\?)|(hi|hello|hey|hiya|morning|good\s+(?:morning|afternoon|evening))"
    r"|(thanks|thank\s+you|thx|cheers|ta))(?:\s+(?:there|bot|all|again|very\s+much|so\s+much))?[\s!.,?:)]*$"
)
OPENINGS = {"hello": "Hello! ", "thanks": "You're welcome. "}
FILLERS = frozenset({"me", "please", "pls", "plz", "menu", "me please", "please help"})  # 'help me': the menu
#: A word that starts like a period (2026-Q3, 2026-10, 2026) is read as one, and named as a bad one if it is not.
PERIODISH = r"month|quarter|year|\d{4}\S*|[qQ][1-4]"


async def _help(t: Turn, command: c.Help) -> ChatScreen:
    mine = commands_for(t.actor)
    if command.topic:
        return _help_on(command.topic, mine, t.today)
    return hints.help_menu(mine, OPENINGS.get(command.greeting, ""), t.today)


def _help_on(topic: str, mine: list[Route[Any]], today: date) -> ChatScreen:
    """'help dip actions': how each command the person may use that starts so is typed, with an example;
    a mistyped one gets 'did you mean'."""
    wanted = topic.lower().strip()
    found = [r for r in mine if r.usage.lower().startswith(wanted) or hints.keyword(r) == wanted.split()[0]]
    if not found:
        return hints.did_you_mean(topic, mine)
    lines = [f"{r.usage}: {r.what}. For example: {hints.example(r, today)}" for r in found[:8]]
    return Reply("\n\n".join(lines))


ROUTES: tuple[Route[Any], ...] = (
    Route(
        HELP,
        lambda m: c.Help("thanks" if m[3] else "hello" if m[2] else ""),
        _help,
        "help",
        "what you can ask me",
        hints.MY_WORK,
        "help",
    ),
    Route(
        re.compile(r"(?i)^my\s+audits?$"),
        lambda m: c.MyAudits(),
        h.my_audits,
        "my audits",
        "your open audits, each with Continue",
        hints.MY_WORK,
        "my audits",
    ),
    Route(
        re.compile(r"(?i)^open\s+(\S+)$"),
        c.open_command,
        h.open_audit,
        "open AUDIT or CASE",
        "open an audit you may see, by its number or its case",
        hints.MY_WORK,
        "open DEMO-900100",
    ),
    Route(
        re.compile(r"(?i)^done\s+#?(\d{1,9})$"),
        lambda m: c.ActionsDone(c.audit_id(m[1])),
        h.actions_done,
        "done AUDIT",
        "confirm that an audit's actions are completed (stops the follow-ups)",
        hints.MY_WORK,
        "done 12",
    ),
    Route(
        re.compile(r"(?i)^assign\s+(\S+)\s+to\s+(.+?)(?:\s+with\s+(.+?))?(\s+anyway)?$"),
        lambda m: c.Assign(m[1], m[2], m[3], bool(m[4])),
        h.assign,
        "assign CASE to PERSON [with SECOND PERSON]",
        "start a Practice Learning Conversation; people by name, email or id; the second person is "
        "the practitioner's Practice Lead unless you say 'with' someone",
        hints.AUDITS,
        "assign DEMO-900100 to Juniper Samplewell",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^uploaded\s+#?(\d{1,9})$"),
        lambda m: c.MarkUploaded(c.audit_id(m[1])),
        h.mark_uploaded,
        "uploaded AUDIT",
        "record that a completed audit is uploaded to Azeus",
        hints.AUDITS,
        "uploaded 12",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^sample(?:\s+(.*))?$"),
        lambda m: c.parse_sample(m[1] or ""),
        h.sample,
        c.SAMPLE_USAGE,
        "draw a reproducible sample of cases and assign their audits (shows the cases first)",
        hints.AUDITS,
        "sample 12 by team cohort cp,cla",
        qa_only=True,
    ),
    Route(
        re.compile(
            r"(?i)^thematic\s+(\S+)\s+to\s+(.+?)\s+due\s+(\S+)\s+theme\s+(.+?)"
            r"(?:\s+focus\s+(.+?))?(?:\s+moderator\s+(.+?))?$"
        ),
        lambda m: c.AssignThematic(m[1], m[2], m[3], m[4], m[5], m[6]),
        h.assign_thematic,
        "thematic CASE to REVIEWER due DATE theme THEME [focus FOCUS] [moderator PERSON]",
        "assign a thematic practice review (CiN & CP, or CLA & Care Leavers by the case's cohort)",
        hints.AUDITS,
        "thematic DEMO-900100 to Ember Placeholme due {due} theme Voice of the child",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^supervision\s+(.+?)\s+to\s+(.+?)(?:\s+supervisee\s+(.+?))?(?:\s+due\s+(\S+))?$"),
        lambda m: c.AssignSupervision(m[1], m[2], m[3], m[4]),
        h.assign_supervision,
        "supervision SUPERVISOR to REVIEWER [supervisee PERSON] [due DATE]",
        "assign a review of a supervisor's records, and the supervisee's evaluation linked to it",
        hints.AUDITS,
        "supervision Ember Fictionby to Fern Stubworth",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^unknown(\s+people)?$"),
        lambda m: c.ListUnknown(),
        h.unknown_people,
        "unknown people",
        "people who wrote to the bot but are not in the directory",
        hints.AUDITS,
        "unknown people",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^moderate(?:\s+(\d{4}-\d{1,2}))?(?:\s+confirm\s+([0-9a-f]{16}))?$"),
        c.moderate,
        h.moderate,
        "moderate [MONTH]",
        "choose a month's audits for moderation and ask the moderators (shows them first; "
        "the last whole month unless you name one)",
        hints.MODERATION,
        "moderate {month}",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^agreement(?:\s+(\d{4}(?:-\d{1,2}|-?q[1-4])?))?(?:\s+by\s+(team|cohort|area|auditor))?$"),
        lambda m: c.AgreementReport(m[1], {"area": "service area"}.get(m[2].lower(), m[2].lower()) if m[2] else None),
        h.agreement,
        "agreement [PERIOD] [by team, cohort, area or auditor]",
        "how far moderators agreed with auditors: agreement, kappa and AC2",
        hints.MODERATION,
        "agreement {quarter} by team",
        qa_only=True,
        also_slt=True,
    ),
    Route(
        re.compile(r"(?i)^timetable(?:\s+(\S+?))?(?:\s+days?)?$"),
        c.timetable,
        h.timetable,
        "timetable [DAYS]",
        "the notices due in the next days (default 14, at most 120), by rule and number of people",
        hints.TIMETABLE,
        "timetable 30",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^remind(?:\s+(?!--dry-run|dry\s+run)(.+?))?(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: c.Remind(m[1], bool(m[2])),
        h.remind,
        "remind [TEAM or SERVICE AREA] [dry run]",
        "send reminders now to everyone with open audits (a dry run shows who, and sends nothing)",
        hints.TIMETABLE,
        "remind FDA-N dry run",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^escalate(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: c.Escalate(bool(m[1])),
        h.escalate,
        "escalate [dry run]",
        "send SLT the overdue reviews now (a dry run shows who, and sends nothing)",
        hints.TIMETABLE,
        "escalate dry run",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^outbox(?:\s+(?:page\s+)?(\d{1,4}))?$"),
        lambda m: c.OutboxCmd(int(m[1]) if m[1] else 1),
        h.outbox,
        "outbox [PAGE]",
        "messages that could not be delivered, urgent first, each with Retry",
        hints.TIMETABLE,
        "outbox",
        qa_only=True,
    ),
    Route(
        re.compile(rf"(?i)^status(?:\s+({PERIODISH}))?(?:\s+(.+))?$"),
        lambda m: c.Status(m[2], m[1]),
        h.status,
        "status [QUARTER] [TEAM or SERVICE AREA]",
        "returned, outstanding, moderated and open actions for a quarter (this one unless you name one)",
        hints.REPORTS,
        "status {quarter} FDA-N",
        qa_only=True,
        also_slt=True,
    ),
    Route(
        re.compile(rf"(?i)^report(?:\s+({PERIODISH}))?(?:\s+(.+))?$"),
        lambda m: c.Report(m[1], m[2]),
        h.report,
        "report [PERIOD] [SERVICE AREA]",
        "the highlight report (the last whole quarter unless you name a period): a summary here, the full "
        "report (printable) behind a link",
        hints.REPORTS,
        "report {last_quarter}",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    Route(
        re.compile(rf"(?i)^team\s+report(?:\s+({PERIODISH}))?$"),
        lambda m: c.TeamReport(m[1]),
        h.team_report,
        "team report [PERIOD]",
        "your own team's highlight report (the last whole quarter unless you name one): a summary here, the "
        "full report behind a link",
        hints.REPORTS,
        "team report {last_quarter}",
    ),
    Route(
        re.compile(r"(?i)^dip\s+themes?$"),
        lambda m: c.DipThemes(),
        h.dip_themes,
        "dip themes",
        "the default annual themes, each with a button to start a dip sample",
        hints.DIPS,
        "dip themes",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+new\s+(.+)$"),
        lambda m: c.NewDip(m[1]),
        h.new_dip,
        "dip new THEME",
        "start a dip sample: its Terms of Reference open to fill in",
        hints.DIPS,
        "dip new Voice of the child",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+approve\s+#?(\d{1,9})$"),
        lambda m: c.ApproveDip(int(m[1])),
        h.approve_dip,
        "dip approve DIP",
        "approve a dip sample (QA manager)",
        hints.DIPS,
        "dip approve 1",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+send\s+#?(\d{1,9})\s+to\s+(.+)$"),
        lambda m: c.SendDip(int(m[1]), m[2]),
        h.send_dip,
        "dip send DIP to HEAD OF SERVICE",
        "send an approved dip sample to its Head of Service to agree the actions (by the date the framework sets)",
        hints.DIPS,
        "dip send 1 to Bramble Samplewell",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+actions?\s+#?(\d{1,9})$"),
        lambda m: c.DipActions(int(m[1])),
        h.dip_actions,
        "dip actions DIP",
        "a sent dip sample's actions: Service Managers write each one's update and mark it done",
        hints.DIPS,
        "dip actions 1",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+moderate\s+#?(\d{1,9})$"),
        lambda m: c.DipModerate(int(m[1])),
        h.dip_moderate,
        "dip moderate DIP",
        "write a moderator's comments on a dip sample's Terms of Reference (reviewers and the AD QA)",
        hints.DIPS,
        "dip moderate 1",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dips$"),
        lambda m: c.ListDips(),
        h.list_dips,
        "dips",
        "the dip samples and where each one is (managers: those sent to their Head of Service)",
        hints.DIPS,
        "dips",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    *concern_commands.ROUTES,
    *feedback_commands.ROUTES,
    *evidence_routes.ROUTES,  # good practice, evidence
)
MAX_COMMAND_CHARS = 300


class Unrecognised(ValidationFailed):
    """What was typed is no command: `route` is the command it starts like, if any (to say how it is typed)."""

    def __init__(self, message: str, words: str, route: Route[Any] | None = None) -> None:
        super().__init__(message)
        self.words = words
        self.route = route


class BadArguments(ValidationFailed):
    """A command recognised, with arguments that break a rule (the route, to check who may first)."""

    def __init__(self, error: ValidationFailed, route: Route[Any]) -> None:
        super().__init__(str(error), error.problems)
        self.route = route


def parse(text: str) -> tuple[c.Command, Route[Any]]:
    """The command a message asks for, or ValidationFailed with what to type instead."""
    words = " ".join(text.strip().split())
    if "\x00" in words:
        raise ValidationFailed("that message holds a NUL character (U+0000): please type the command again")
    if len(words) > MAX_COMMAND_CHARS:
        raise ValidationFailed(f"that message is too long for a command ({len(words)} characters)")
    words = re.sub(r"^plf\s+", "", words, flags=re.IGNORECASE)
    topic = re.match(r"(?i)^help\s+(\S.*)$", words)
    if topic is not None and not HELP.match(words):  # 'help dip actions': how that is typed; 'help me': the menu
        filler = topic[1].lower().rstrip("!.?") in FILLERS
        return (c.Help() if filler else c.Help(topic=topic[1])), ROUTES[0]
    for route in ROUTES:
        match = route.pattern.match(words)  # case ids and emails keep their spelling
        if match:
            try:
                return route.build(match), route
            except ValidationFailed as exc:
                raise BadArguments(exc, route) from None
    lowered = words.lower() + " "
    started = [r for r in ROUTES if lowered.startswith(hints.keyword(r) + " ")]
    message = f"I don't know the command '{words[:60]}'. Type 'help' to see what you can ask."
    raise Unrecognised(message, words, max(started, key=lambda r: len(hints.keyword(r)), default=None))


def commands_for(actor: Actor) -> list[Route[Any]]:
    """Only the commands this person may use (what `help` lists)."""
    return [r for r in ROUTES if r.allowed(actor)]
