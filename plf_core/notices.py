"""What each proactive message says, one frozen dataclass per kind, stored in the outbox as a payload.

`to_payload()` is what the outbox row holds (JSON: ids, case ids, dates, grades; never answers);
`from_payload()` reads it back, including rows written before these classes existed (positional list
rows such as `[audit, case, team, due]`). `parse(kind, payload)` finds the class by its KIND; an
unknown kind or a payload missing what the card needs raises `BadPayload`, and the dispatcher
dead-letters that row naming why. The timetable's notices (TIMETABLE = True) are the cards a rule
of the timetable file may name (plf_core.timetable.CARDS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Any, ClassVar, Self, TypeVar


@dataclass(frozen=True)
class DipAction:
    """One action of a dip sample's Terms of Reference: what, who, by when, and its RAG status."""

    text: str
    who: str
    by: date | None
    rag: str | None


class BadPayload(ValueError):
    """An outbox payload that cannot be read as its kind of notice."""


def _digits(text: str) -> bool:
    """0-9 only: "²".isdigit() is true, but int("²") raises."""
    return text.isascii() and text.isdigit()


def day_of(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise BadPayload(f"'{value[:20]}' is not a date") from None
    return None


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def whole_number(payload: Mapping[str, Any], key: str) -> int:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or not _digits(str(value).lstrip("-")):
        raise BadPayload(f"'{key}' should be a whole number")
    return int(value)


def text_of(payload: Mapping[str, Any], key: str, default: str = "") -> str:
    value = payload.get(key, default)
    return "" if value is None else str(value)


def listed(payload: Mapping[str, Any], key: str) -> list[Any]:
    value = payload.get(key) or []
    if not isinstance(value, list | tuple):
        raise BadPayload(f"'{key}' should be a list")
    return list(value)


@dataclass(frozen=True)
class NoticeData:
    """A notice of plain fields (whole numbers, text, dates) stored under their names, or under the
    keys KEYS gives (field -> key); a notice with lists in it overrides both methods."""

    KIND: ClassVar[str] = ""
    TIMETABLE: ClassVar[bool] = False
    KEYS: ClassVar[Mapping[str, str]] = {}

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[self.KEYS.get(f.name, f.name)] = iso(value) if f.type in DATES else value
        return out

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = cls.KEYS.get(f.name, f.name)
            if f.type == "int" and key not in payload and f.default is not MISSING:  # written before it was
                values[f.name] = f.default
            elif f.type == "int":
                values[f.name] = whole_number(payload, key)
            elif f.type in DATES:
                values[f.name] = day_of(payload.get(key))
            else:
                values[f.name] = text_of(payload, key)
        return cls(**values)


DATES = ("date | None", "date")


N = TypeVar("N", bound=type[NoticeData])
NOTICE_TYPES: dict[str, type[NoticeData]] = {}


def kind(cls: N) -> N:
    """Registers a notice class under its KIND."""
    NOTICE_TYPES[cls.KIND] = cls
    return cls


def parse(kind_name: str, payload: Mapping[str, Any]) -> NoticeData:
    found = NOTICE_TYPES.get(kind_name)
    if found is None:
        raise BadPayload(f"no notice of kind '{kind_name[:40]}'")
    try:
        return found.from_payload(payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadPayload(f"a '{kind_name}' notice: {exc}") from None


# --- one row of a list in a notice --------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    """An open review in a reminder or an escalation: the audit, its case, team and due date."""

    audit_id: int
    case: str
    team: str
    due: date | None

    def to_payload(self) -> dict[str, Any]:
        return {"audit": self.audit_id, "case": self.case, "team": self.team, "due": iso(self.due)}

    @classmethod
    def from_payload(cls, row: object) -> DueRow:
        if isinstance(row, list | tuple) and len(row) == 4:  # written before December 2026
            row = dict(zip(("audit", "case", "team", "due"), row, strict=True))
        if not isinstance(row, Mapping):
            raise BadPayload("a row of reviews should be a mapping")
        return cls(whole_number(row, "audit"), text_of(row, "case"), text_of(row, "team"), day_of(row.get("due")))


def due_rows(payload: Mapping[str, Any], key: str = "items") -> tuple[DueRow, ...]:
    return tuple(DueRow.from_payload(row) for row in listed(payload, key))


def _dip_action(row: object) -> DipAction:
    if isinstance(row, Mapping):
        row = [row.get("text"), row.get("who"), row.get("by"), row.get("rag")]
    if not isinstance(row, list | tuple) or len(row) != 4:
        raise BadPayload("a dip sample's action should be (text, who, by, RAG)")
    text, who, by, rag = row
    return DipAction(str(text), str(who), day_of(by), str(rag) or None if rag else None)


# --- the notices of the workflow --------------------------------------------------------------


@kind
@dataclass(frozen=True)
class AuditAssigned(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    KIND = "audit_assigned"
    audit_id: int
    case: str
    team: str
    due: date | None
    #: who reads it: "practitioner", or "second" (their Practice Lead); "" in notices written before
    reader: str = ""
    other: str = ""  # the other person's name, where known


@kind
@dataclass(frozen=True)
class AuditReady(NoticeData):
    """One contributor's part is complete: the next contributor is told the audit is ready for them."""

    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    KIND = "audit_ready"
    audit_id: int
    case: str
    done_by: str  # who completed their part
    sections: str  # what is left for the reader ("Manager judgement, Manager overall and Action plan")


@kind
@dataclass(frozen=True)
class RedAlert(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    KIND = "red_alert"
    audit_id: int
    case: str
    team: str
    by: str
    sources: str
    pim_due: date | None
    #: each source of the Red with who gave it ("the manager's judgement (Pat Leadwell)"); "" in
    #: notices written before it was recorded, whose `by` is the practitioner whatever the source
    graders: str = ""


@kind
@dataclass(frozen=True)
class PimRequest(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"pim_audit_id": "pim_audit", "audit_id": "audit"}
    KIND = "pim_request"
    pim_audit_id: int
    audit_id: int
    case: str
    team: str
    pim_due: date | None


@kind
@dataclass(frozen=True)
class OutcomesChart(NoticeData):
    """The practitioner's outcomes chart: its link is signed when the card is made, so it lasts."""

    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}

    KIND = "outcomes_chart"
    audit_id: int
    case: str


@kind
@dataclass(frozen=True)
class AuditFinal(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit", "form_title": "form"}
    KIND = "audit_final"
    audit_id: int
    case: str
    form_title: str
    grade: str


@kind
@dataclass(frozen=True)
class ModerationRequest(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    KIND = "moderation_request"
    audit_id: int
    case: str
    team: str
    reason: str
    due: date | None


@kind
@dataclass(frozen=True)
class ActionsNotYet(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    KIND = "actions_not_yet"
    audit_id: int
    case: str
    reason: str
    by: str


@kind
@dataclass(frozen=True)
class ReviewAssigned(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit", "form_id": "form"}
    KIND = "review_assigned"
    audit_id: int
    form_id: str
    case: str
    theme: str
    due: date | None


@kind
@dataclass(frozen=True)
class UnknownSenderNotice(NoticeData):
    KEYS: ClassVar[Mapping[str, str]] = {"aad_object_id": "aad"}
    KIND = "unknown_sender"
    name: str
    aad_object_id: str


@kind
@dataclass(frozen=True)
class DipSampleActions(NoticeData):
    KIND = "dip_sample_actions"
    dip_id: int
    theme: str
    agree_by: date | None
    actions: tuple[DipAction, ...]

    def to_payload(self) -> dict[str, Any]:
        rows = [{"text": a.text, "who": a.who, "by": iso(a.by), "rag": a.rag or ""} for a in self.actions]
        return {"dip": self.dip_id, "theme": self.theme, "agree_by": iso(self.agree_by), "actions": rows}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        actions = tuple(_dip_action(row) for row in listed(payload, "actions"))
        return cls(whole_number(payload, "dip"), text_of(payload, "theme"), day_of(payload.get("agree_by")), actions)


@dataclass(frozen=True)
class SectionOutcome:
    label: str
    original: str
    moderated: str
    reason: str


@kind
@dataclass(frozen=True)
class ModerationOutcome(NoticeData):
    KIND = "moderation_outcome"
    audit_id: int
    case: str
    original: str
    moderated: str
    sections: tuple[SectionOutcome, ...]
    actions: tuple[str, ...]

    def to_payload(self) -> dict[str, Any]:
        rows = [[s.label, s.original, s.moderated, s.reason] for s in self.sections]
        return {
            "audit": self.audit_id,
            "case": self.case,
            "original": self.original,
            "moderated": self.moderated,
            "sections": rows,
            "actions": list(self.actions),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        rows = [[str(v) for v in row] for row in listed(payload, "sections")]
        sections = tuple(SectionOutcome(*row) for row in rows if len(row) == 4)
        return cls(
            whole_number(payload, "audit"),
            text_of(payload, "case"),
            text_of(payload, "original"),
            text_of(payload, "moderated"),
            sections,
            tuple(str(a) for a in listed(payload, "actions")),
        )


@dataclass(frozen=True)
class FailedDelivery:
    outbox_id: int
    person: str
    what: str
    reason: str
    urgent: bool = False  # a red alert or a PIM request: listed first


@kind
@dataclass(frozen=True)
class DeliveryFailures(NoticeData):
    KIND = "delivery_failures"
    failures: tuple[FailedDelivery, ...]
    unreachable: tuple[str, ...]

    def to_payload(self) -> dict[str, Any]:
        rows = [
            {"outbox": f.outbox_id, "person": f.person, "kind": f.what, "reason": f.reason, "urgent": f.urgent}
            for f in self.failures
        ]
        return {"failures": rows, "unreachable": list(self.unreachable)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        failures = tuple(
            FailedDelivery(
                whole_number(f, "outbox"),
                text_of(f, "person"),
                text_of(f, "kind"),
                text_of(f, "reason"),
                f.get("urgent") is True,
            )
            for f in listed(payload, "failures")
        )
        return cls(failures, tuple(str(p) for p in listed(payload, "unreachable")))
