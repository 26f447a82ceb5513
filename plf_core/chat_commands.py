"""Chat commands as typed values: what a message asks for, before anyone decides whether it may."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plf_core.errors import ValidationFailed
from plf_core.sampling import Criteria, Method


@dataclass(frozen=True)
class Help:
    greeting: str = ""  # "hello" or "thanks" when the message was one, answered with the menu
    topic: str = ""  # 'help team report': how that command is typed


@dataclass(frozen=True)
class MyAudits:
    pass


@dataclass(frozen=True)
class Assign:
    case_ref: str
    person_ref: str
    second_person_ref: str | None = None
    anyway: bool = False  # assign another team's case without asking


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
class OpenCase:
    case_ref: str


@dataclass(frozen=True)
class Sample:
    size: int
    method: Method
    criteria: Criteria
    seed: int | None = None
    confirm: str | None = None
    dip_id: int | None = None  # the dip sample whose cohort this is


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
class TeamReport:
    period: str | None = None


@dataclass(frozen=True)
class DipActions:
    dip_id: int


@dataclass(frozen=True)
class DipModerate:
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
    page: int = 1


@dataclass(frozen=True)
class Status:
    scope: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Report:
    period: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class GoodPractice:
    words: str = ""  # service area, theme and period, in any order (plf_core.good_practice.read_words)


@dataclass(frozen=True)
class Evidence:
    period: str | None = None


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
    | OpenCase
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
    | GoodPractice
    | Evidence
)


_METHODS = {
    "random": Method.RANDOM,
    "systematic": Method.SYSTEMATIC,
    "by team": Method.BY_TEAM,
    "by cohort": Method.BY_COHORT,
}
_LISTS = {"cohort": "cohorts", "team": "teams", "area": "service_areas", "legal": "legal_statuses"}
SAMPLE_USAGE = (
    "sample NUMBER or quota [random, systematic, by team or by cohort] [cohort cp,cla] [team FDA-N] "
    "[area North] [legal s20] [age 0-10] [ehcp yes or no] [unaudited 6] [dip 1]"
)


def parse_sample(rest: str) -> Sample:
    """`sample 12 by team cohort cp,cla age 0-10 seed 42 [confirm abc]` to a Sample."""
    words = rest.split()
    if not words:
        raise ValidationFailed(f"say how many cases: {SAMPLE_USAGE}")
    head = words.pop(0).lower()
    method = Method.QUOTA if head == "quota" else Method.RANDOM
    if head == "quota":
        size = 0  # the configured quota per Practice Lead (framework 'audits_per_practice_lead')
    elif head.isascii() and head.isdigit() and 1 <= int(head) <= 10_000:
        size = int(head)
    else:
        raise ValidationFailed(f"'{head[:20]}' is not a number of cases (1-10000) or 'quota': {SAMPLE_USAGE}")
    options: dict[str, object] = {}
    while words:
        word = words.pop(0).lower()
        if word == "by" and words and f"by {words[0].lower()}" in _METHODS and method is not Method.QUOTA:
            method = _METHODS[f"by {words.pop(0).lower()}"]
        elif word in ("random", "systematic") and method is not Method.QUOTA:
            method = _METHODS[word]
        elif not words:
            raise ValidationFailed(f"'{word[:20]}' needs a value: {SAMPLE_USAGE}")
        else:
            _sample_option(word, words.pop(0), options)
    seed, confirm, dip = options.pop("seed", None), options.pop("confirm", None), options.pop("dip", None)
    assert seed is None or isinstance(seed, int)
    assert confirm is None or isinstance(confirm, str)
    assert dip is None or isinstance(dip, int)
    if dip is not None and method is Method.QUOTA:
        raise ValidationFailed("a quota is the cycle's audits, not a dip sample's cohort: leave out 'dip'")
    return Sample(size, method, Criteria.from_json(options), seed, confirm, dip)


def _sample_option(word: str, value: str, options: dict[str, object]) -> None:
    """One `word value` of a sample into `options` (criteria as Criteria.from_json reads them, seed, confirm)."""
    if word in _LISTS:
        names = [v.lower() if word == "cohort" else v for v in value.split(",") if v]
        known = options.get(_LISTS[word], [])
        assert isinstance(known, list)
        options[_LISTS[word]] = sorted({*known, *names})
    elif word == "age":
        match = re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})", value)
        if not match or int(match[1]) > int(match[2]):
            raise ValidationFailed(f"'age {value[:10]}' should be a range such as 'age 0-10'")
        options["min_age"], options["max_age"] = int(match[1]), int(match[2])
    elif word == "ehcp":
        if value.lower() not in ("yes", "no"):
            raise ValidationFailed("'ehcp' should be followed by yes or no")
        options["ehcp"] = value.lower() == "yes"
    elif word == "unaudited":
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 120:
            raise ValidationFailed("'unaudited' should be followed by a number of months (1-120)")
        options["not_audited_months"] = int(value)
    elif word in ("dip", "seed"):
        digits = value.lstrip("#") if word == "dip" else value
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
            example = "a dip sample's number, such as 'dip 1'" if word == "dip" else "a whole number"
            raise ValidationFailed(f"'{word}' should be followed by {example}")
        options[word] = int(digits)
    elif word == "confirm":
        options["confirm"] = value.lower()
    else:
        raise ValidationFailed(f"I don't understand '{word[:20]}' in a sample: {SAMPLE_USAGE}")


# --- the typed values of what was typed (plf_core/commands.py's route table calls these) ---

DAYS_AHEAD = 1, 120  # how far `timetable` looks: a whole cycle and the week after it


def audit_id(text: str) -> int:
    return int(text.lstrip("#"))


def moderate(m: re.Match[str]) -> Moderate:
    return Moderate(m[1], m[2].lower() if m[2] else None)


def open_command(m: re.Match[str]) -> OpenAudit | OpenCase:
    ref = m[1]
    return OpenAudit(audit_id(ref)) if re.fullmatch(r"#?\d{1,9}", ref) else OpenCase(ref)


def timetable(m: re.Match[str]) -> TimetableCmd:
    low, high = DAYS_AHEAD
    if m[1] is None:
        return TimetableCmd(14)
    if not (m[1].isascii() and m[1].isdigit()) or not low <= int(m[1]) <= high:
        raise ValidationFailed(
            f"'timetable' looks {low} to {high} days ahead, not '{m[1][:12]}': for example 'timetable 30'"
        )
    return TimetableCmd(int(m[1]))
