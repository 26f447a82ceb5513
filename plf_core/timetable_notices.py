"""The timetable's notices (sections 13, 14 and 18): one class per card a rule of the timetable file may
name, and the day's digest that gathers a person's reminders. Each carries the rule that sent it and
the day it was due (a reminder's cards count their deadlines from it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar, Self

from plf_core.notices import (
    NOTICE_TYPES,
    BadPayload,
    DueRow,
    NoticeData,
    day_of,
    due_rows,
    iso,
    kind,
    listed,
    parse,
    text_of,
    whole_number,
)


@dataclass(frozen=True)
class TimetableNotice(NoticeData):
    TIMETABLE: ClassVar[bool] = True


@kind
@dataclass(frozen=True)
class DataRequest(TimetableNotice):
    KIND = "data_request"
    cycle: str
    starts: date | None
    due: date | None
    rule: str = ""


@kind
@dataclass(frozen=True)
class DipFollowUp(TimetableNotice):
    KIND = "dip_follow_up"
    KEYS: ClassVar[Mapping[str, str]] = {"dip_id": "dip"}
    dip_id: int
    theme: str
    due: date | None
    rule: str = ""

    @property
    def asks_to_agree(self) -> bool:
        return self.rule == "dip_agree"


@kind
@dataclass(frozen=True)
class DipEscalation(TimetableNotice):
    KIND = "dip_escalation"
    KEYS: ClassVar[Mapping[str, str]] = {"dip_id": "dip"}
    dip_id: int
    theme: str
    due: date | None
    rule: str = ""
    after: int = 0  # how long after the first follow-up (plf_core.stated_delays); 0: not recorded
    after_unit: str = "days"


@kind
@dataclass(frozen=True)
class PimDue(TimetableNotice):
    KIND = "pim_due"
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    audit_id: int
    case: str
    due: date | None
    rule: str = ""
    meeting: date | None = None  # the day the meeting is due to be held by


@kind
@dataclass(frozen=True)
class ReviewDue(TimetableNotice):
    """A thematic or supervision review (or a supervisee's evaluation) near or past its deadline."""

    KIND = "review_due"
    KEYS: ClassVar[Mapping[str, str]] = {"audit_id": "audit"}
    audit_id: int
    form: str  # the form's title
    case: str  # '' for a supervision review
    deadline: date | None
    due: date | None
    rule: str = ""


@kind
@dataclass(frozen=True)
class ActionDue(TimetableNotice):
    """An action plan's action near or past its deadline: to its owner, then their managers."""

    KIND = "action_due"
    KEYS: ClassVar[Mapping[str, str]] = {"action_id": "action", "audit_id": "audit"}
    action_id: int
    audit_id: int
    case: str
    owner: str  # the owner's name from the directory ("" when the plan named nobody listed)
    deadline: date | None
    due: date | None
    rule: str = ""

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.due is not None and self.due > self.deadline


@dataclass(frozen=True)
class AssignedAction:
    """One of an owner's actions, by its place in the plan and its deadline: what was typed stays in
    the audit, never in a notice."""

    action_id: int
    row: int
    deadline: date | None


@kind
@dataclass(frozen=True)
class ActionsAssigned(NoticeData):
    """An audit's action plan, submitted: each owner is sent their actions, each with Done. The
    timetable then reminds them before each deadline (ActionDue)."""

    KIND = "actions_assigned"
    audit_id: int
    case: str
    page: str  # the action plan's page, to read the actions
    items: tuple[AssignedAction, ...]

    def to_payload(self) -> dict[str, Any]:
        rows = [{"action": i.action_id, "row": i.row, "deadline": iso(i.deadline)} for i in self.items]
        return {"audit": self.audit_id, "case": self.case, "page": self.page, "items": rows}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        items = []
        for row in listed(payload, "items"):
            if not isinstance(row, Mapping):
                raise BadPayload("an assigned action should be a mapping")
            items.append(
                AssignedAction(whole_number(row, "action"), whole_number(row, "row"), day_of(row.get("deadline")))
            )
        return cls(whole_number(payload, "audit"), text_of(payload, "case"), text_of(payload, "page"), tuple(items))


@dataclass(frozen=True)
class _Reviews(TimetableNotice):
    """A notice listing open reviews (`items`)."""

    items: tuple[DueRow, ...]
    due: date | None
    rule: str

    def _base(self) -> dict[str, Any]:
        return {"items": [row.to_payload() for row in self.items], "due": iso(self.due), "rule": self.rule}


@kind
@dataclass(frozen=True)
class ReminderDigest(_Reviews):
    KIND = "reminder_digest"
    month: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "month": self.month}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(due_rows(payload), day_of(payload.get("due")), text_of(payload, "rule"), text_of(payload, "month"))


@kind
@dataclass(frozen=True)
class OutstandingList(_Reviews):
    KIND = "outstanding_list"
    cycle: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "cycle": self.cycle}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(due_rows(payload), day_of(payload.get("due")), text_of(payload, "rule"), text_of(payload, "cycle"))


COUNTS = ("moderations", "actions", "after")  # an SLT escalation's whole numbers (0 when written before them)


@kind
@dataclass(frozen=True)
class SltEscalation(_Reviews):
    KIND = "slt_escalation"
    cycle: str = ""
    moderations: int = 0  # moderations asked for and not done
    actions: int = 0  # actions past their deadline
    quota_missing: str = ""  # the cycle that started with none of its audits drawn
    after: int = 0  # how long after the due date SLT are told (plf_core.stated_delays); 0: not recorded
    after_unit: str = "days"

    def to_payload(self) -> dict[str, Any]:
        counts = {"moderations": self.moderations, "actions": self.actions, "after": self.after}
        more = {"quota_missing": self.quota_missing, "after_unit": self.after_unit}
        return {**self._base(), "cycle": self.cycle, **counts, **more}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        head = (due_rows(payload), day_of(payload.get("due")), text_of(payload, "rule"), text_of(payload, "cycle"))
        moderations, actions, after = (whole_number(payload, k) if k in payload else 0 for k in COUNTS)
        missing, unit = text_of(payload, "quota_missing"), text_of(payload, "after_unit", "days")
        return cls(*head, moderations, actions, missing, after, unit)


@dataclass(frozen=True)
class _Actions(TimetableNotice):
    audit_id: int
    case: str
    actions: tuple[str, ...]
    due: date | None
    rule: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {
            "audit": self.audit_id,
            "case": self.case,
            "actions": list(self.actions),
            "due": iso(self.due),
            "rule": self.rule,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        actions = tuple(str(a) for a in listed(payload, "actions"))
        return cls(
            whole_number(payload, "audit"),
            text_of(payload, "case"),
            actions,
            day_of(payload.get("due")),
            text_of(payload, "rule"),
        )


@kind
@dataclass(frozen=True)
class ActionFollowUp(_Actions):
    KIND = "action_follow_up"

    @property
    def number(self) -> int:
        """The first follow-up, or the second (which includes the Service Manager)."""
        return 2 if self.rule.endswith("2") else 1


@kind
@dataclass(frozen=True)
class ActionEscalation(_Actions):
    KIND = "action_escalation"
    after: int = 0  # how long after the first follow-up (plf_core.stated_delays); 0: not recorded
    after_unit: str = "days"

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "after": self.after, "after_unit": self.after_unit}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        after = whole_number(payload, "after") if "after" in payload else 0
        return replace(super().from_payload(payload), after=after, after_unit=text_of(payload, "after_unit", "days"))


@dataclass(frozen=True)
class DigestItem:
    key: str  # the reminder's own dedupe key: a confirmation takes it out of the digest
    notice: NoticeData


@kind
@dataclass(frozen=True)
class DailyDigest(NoticeData):
    """A person's reminders for one day, in one message."""

    KIND = "daily_digest"
    day: date | None
    items: tuple[DigestItem, ...]

    def to_payload(self) -> dict[str, Any]:
        rows = [{"kind": i.notice.KIND, "data": i.notice.to_payload(), "key": i.key} for i in self.items]
        return {"day": iso(self.day), "items": rows}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        items = []
        for row in listed(payload, "items"):
            if not isinstance(row, Mapping) or not isinstance(row.get("data"), Mapping):
                raise BadPayload("a digest's item should have a kind and its data")
            if NOTICE_TYPES.get(str(row.get("kind")), NoticeData).TIMETABLE:  # others never join a digest
                items.append(DigestItem(text_of(row, "key"), parse(str(row["kind"]), row["data"])))
        return cls(day_of(payload.get("day")), tuple(items))


from plf_core.feedback import meeting as _feedback_meeting  # noqa: E402  (its summary is a timetable card)

#: the cards a rule of the timetable file may name
TIMETABLE_CARDS = frozenset(name for name, cls in NOTICE_TYPES.items() if cls.TIMETABLE)


# the notices the framework's configuration schedules besides the rules (quota, reports, dip plan):
from plf_core.scheduled_notices import DipFindings as DipFindings  # noqa: E402
from plf_core.scheduled_notices import DipPlanned as DipPlanned  # noqa: E402
from plf_core.scheduled_notices import HighlightReportReady as HighlightReportReady  # noqa: E402
from plf_core.scheduled_notices import QuotaProposal as QuotaProposal  # noqa: E402
from plf_core.scheduled_notices import SupervisionDue as SupervisionDue  # noqa: E402

FeedbackSummary = _feedback_meeting.FeedbackSummary  # a quarter's feedback for a performance meeting
