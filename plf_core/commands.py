"""Chat commands: parsed by a route table into typed commands, each with who may use it.

Every command also works with a leading `plf` (`plf assign ...`), as typed in a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from plf_core.errors import ValidationFailed
from plf_core.people import Actor
from plf_core.sampling import PER_PRACTICE_LEAD, Criteria, Method


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


@dataclass(frozen=True)
class Sample:
    size: int
    method: Method
    criteria: Criteria
    seed: int | None = None
    confirm: str | None = None


@dataclass(frozen=True)
class Moderate:
    month: str | None = None
    confirm: str | None = None


@dataclass(frozen=True)
class AgreementReport:
    period: str | None = None
    dimension: str | None = None


@dataclass(frozen=True)
class DipThemes:
    pass


@dataclass(frozen=True)
class NewDip:
    theme: str


@dataclass(frozen=True)
class ApproveDip:
    dip_id: int


@dataclass(frozen=True)
class SendDip:
    dip_id: int
    person_ref: str


@dataclass(frozen=True)
class ListDips:
    pass


@dataclass(frozen=True)
class TimetableCmd:
    days: int = 14


@dataclass(frozen=True)
class Remind:
    scope: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class Escalate:
    dry_run: bool = False


@dataclass(frozen=True)
class OutboxCmd:
    pass


@dataclass(frozen=True)
class Status:
    scope: str | None = None


@dataclass(frozen=True)
class Report:
    period: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class ActionsDone:
    audit_id: int


@dataclass(frozen=True)
class AssignThematic:
    case_ref: str
    reviewer_ref: str
    due: str
    theme: str
    focus: str | None = None
    moderator_ref: str | None = None


@dataclass(frozen=True)
class AssignSupervision:
    supervisor_ref: str
    reviewer_ref: str
    supervisee_ref: str | None = None
    due: str | None = None


Command = (
    Help
    | MyAudits
    | Assign
    | MarkUploaded
    | ListUnknown
    | OpenAudit
    | Sample
    | Moderate
    | AgreementReport
    | DipThemes
    | NewDip
    | ApproveDip
    | SendDip
    | ListDips
    | AssignThematic
    | AssignSupervision
    | ActionsDone
    | TimetableCmd
    | Remind
    | Escalate
    | OutboxCmd
    | Status
    | Report
)


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], Command]
    usage: str
    what: str
    qa_only: bool = False
    also_slt: bool = False  # a QA command SLT may use too (read-only figures)
    also_heads: bool = False  # ... and Heads of Service and Service Managers (for their own service areas)

    def allowed(self, actor: Actor) -> bool:
        heads = self.also_heads and bool(actor.headed_area_ids or actor.managed_area_ids)
        return not self.qa_only or actor.is_qa or (self.also_slt and actor.is_slt) or heads


def _audit_id(text: str) -> int:
    return int(text.lstrip("#"))


_METHODS = {
    "random": Method.RANDOM,
    "systematic": Method.SYSTEMATIC,
    "by team": Method.BY_TEAM,
    "by cohort": Method.BY_COHORT,
}
_LISTS = {"cohort": "cohorts", "team": "teams", "area": "service_areas", "legal": "legal_statuses"}
SAMPLE_USAGE = (
    "sample <number|quota> [random|systematic|by team|by cohort] [cohort cp,cla] [team T1] [area North] "
    "[legal s20] [age 0-10] [ehcp yes|no] [unaudited 6] [seed 42]"
)


def parse_sample(rest: str) -> Sample:
    """`sample 12 by team cohort cp,cla age 0-10 seed 42 [confirm abc]` to a Sample."""
    words = rest.split()
    if not words:
        raise ValidationFailed(f"say how many cases: {SAMPLE_USAGE}")
    head = words.pop(0).lower()
    method = Method.QUOTA if head == "quota" else Method.RANDOM
    if head == "quota":
        size = PER_PRACTICE_LEAD
    elif head.isdigit() and 1 <= int(head) <= 10_000:
        size = int(head)
    else:
        raise ValidationFailed(f"'{head[:20]}' is not a number of cases (1-10000) or 'quota': {SAMPLE_USAGE}")
    lists: dict[str, set[str]] = {}
    numbers: dict[str, object] = {}
    seed: int | None = None
    confirm: str | None = None
    while words:
        word = words.pop(0).lower()
        if word == "by" and words and f"by {words[0].lower()}" in _METHODS and method is not Method.QUOTA:
            method = _METHODS[f"by {words.pop(0).lower()}"]
            continue
        if word in ("random", "systematic") and method is not Method.QUOTA:
            method = _METHODS[word]
            continue
        if not words:
            raise ValidationFailed(f"'{word[:20]}' needs a value: {SAMPLE_USAGE}")
        value = words.pop(0)
        if word in _LISTS:
            names = [v for v in value.split(",") if v]
            lists.setdefault(_LISTS[word], set()).update(v.lower() if word == "cohort" else v for v in names)
        elif word == "age":
            match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", value)
            if not match or int(match[1]) > int(match[2]):
                raise ValidationFailed(f"'age {value[:10]}' should be a range such as 'age 0-10'")
            numbers["min_age"], numbers["max_age"] = int(match[1]), int(match[2])
        elif word == "ehcp":
            if value.lower() not in ("yes", "no"):
                raise ValidationFailed("'ehcp' should be followed by yes or no")
            numbers["ehcp"] = value.lower() == "yes"
        elif word == "unaudited":
            if not value.isdigit() or not 1 <= int(value) <= 120:
                raise ValidationFailed("'unaudited' should be followed by a number of months (1-120)")
            numbers["not_audited_months"] = int(value)
        elif word == "seed":
            if not value.isdigit() or len(value) > 9:
                raise ValidationFailed("'seed' should be followed by a whole number")
            seed = int(value)
        elif word == "confirm":
            confirm = value.lower()
        else:
            raise ValidationFailed(f"I don't understand '{word[:20]}' in a sample: {SAMPLE_USAGE}")
    criteria = Criteria.from_json({**{k: sorted(v) for k, v in lists.items()}, **numbers})
    return Sample(size, method, criteria, seed, confirm)


def _moderate(m: re.Match[str]) -> Moderate:
    return Moderate(m[1], m[2].lower() if m[2] else None)


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
        re.compile(r"(?i)^done\s+#?(\d{1,9})$"),
        lambda m: ActionsDone(_audit_id(m[1])),
        "done <audit>",
        "confirm that an audit's actions are completed (stops the follow-ups)",
    ),
    Route(
        re.compile(r"(?i)^uploaded\s+#?(\d{1,9})$"),
        lambda m: MarkUploaded(_audit_id(m[1])),
        "uploaded <audit>",
        "record that a completed audit is uploaded to Azeus",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^sample(?:\s+(.*))?$"),
        lambda m: parse_sample(m[1] or ""),
        SAMPLE_USAGE,
        "draw a reproducible sample of cases and assign their audits (shows a preview first)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^moderate(?:\s+(\d{4}-\d{1,2}))?(?:\s+confirm\s+([0-9a-f]{16}))?$"),
        _moderate,
        "moderate [2026-11]",
        "choose the month's audits for moderation and ask the moderators (shows a preview first)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^agreement(?:\s+(\d{4}(?:-\d{1,2}|-?q[1-4])?))?(?:\s+by\s+(team|cohort|area|auditor))?$"),
        lambda m: AgreementReport(m[1], {"area": "service area"}.get(m[2].lower(), m[2].lower()) if m[2] else None),
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
        lambda m: AssignThematic(m[1], m[2], m[3], m[4], m[5], m[6]),
        "thematic <case> to <reviewer> due <YYYY-MM-DD> theme <theme> [focus <focus>] [moderator <person>]",
        "assign a thematic practice review (CiN & CP, or CLA & Care Leavers by the case's cohort)",
        qa_only=True,
    ),
    Route(
        re.compile(
            r"(?i)^supervision\s+(\S+)\s+to\s+(\S+)(?:\s+supervisee\s+(\S+))?(?:\s+due\s+(\d{4}-\d{2}-\d{2}))?$"
        ),
        lambda m: AssignSupervision(m[1], m[2], m[3], m[4]),
        "supervision <supervisor> to <reviewer> [supervisee <person>] [due <YYYY-MM-DD>]",
        "assign a review of a supervisor's records, and the supervisee's evaluation linked to it",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^timetable(?:\s+(\d{1,2}))?(?:\s+days?)?$"),
        lambda m: TimetableCmd(int(m[1]) if m[1] else 14),
        "timetable [days]",
        "the notices due in the next days (default 14), by rule and number of people",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^remind(?:\s+(?!--dry-run|dry\s+run)(.+?))?(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: Remind(m[1], bool(m[2])),
        "remind [team|service area] [--dry-run]",
        "send reminders now to everyone with open audits (a dry run shows who, and sends nothing)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^escalate(\s+(?:--dry-run|dry\s+run))?$"),
        lambda m: Escalate(bool(m[1])),
        "escalate [--dry-run]",
        "send SLT the overdue reviews now (a dry run shows who, and sends nothing)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^status(?:\s+(.+))?$"),
        lambda m: Status(m[1]),
        "status [team|service area|2026-Q4]",
        "returned, outstanding, moderated and overdue actions for this cycle",
        qa_only=True,
        also_slt=True,
    ),
    Route(
        re.compile(r"(?i)^report(?:\s+(month|quarter|\d{4}-\d{1,2}|\d{4}-?q[1-4]))?(?:\s+(.+))?$"),
        lambda m: Report(m[1], m[2]),
        "report [month|quarter|2026-10|2026-Q3] [service area]",
        "the highlight report: a summary here, the full report (printable) behind a link",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    Route(
        re.compile(r"(?i)^outbox$"),
        lambda m: OutboxCmd(),
        "outbox",
        "messages that could not be delivered, each with Retry",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+themes?$"),
        lambda m: DipThemes(),
        "dip themes",
        "the default annual themes, each with a button to start a dip sample",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+new\s+(.+)$"),
        lambda m: NewDip(m[1]),
        "dip new <theme>",
        "start a dip sample: its Terms of Reference open to fill in",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+approve\s+#?(\d{1,9})$"),
        lambda m: ApproveDip(int(m[1])),
        "dip approve <dip>",
        "approve a dip sample (QA manager)",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dip\s+send\s+#?(\d{1,9})\s+to\s+(\S+)$"),
        lambda m: SendDip(int(m[1]), m[2]),
        "dip send <dip> to <Head of Service>",
        "send an approved dip sample to its Head of Service to agree the actions within a week",
        qa_only=True,
    ),
    Route(
        re.compile(r"(?i)^dips$"),
        lambda m: ListDips(),
        "dips",
        "the dip samples and where each one is",
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
    return [r for r in ROUTES if r.allowed(actor)]
