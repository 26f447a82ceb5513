"""The notices the framework's configuration schedules besides the timetable's rules: the cycle's quota
proposal, the reports that go out by themselves, the dip plan, a dip sample's findings and the
supervision reviews due. They go on their own (never in a digest) and are not named by rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Self

from plf_core.notices import BadPayload, NoticeData, day_of, iso, kind, listed, text_of, whole_number


@kind
@dataclass(frozen=True)
class QuotaProposal(NoticeData):
    """At a cycle's start, to QA: the cycle's quota of audits drawn as a preview, with Create (the
    command that creates exactly this draw, or shows the draw as it is then if the cases changed)."""

    KIND = "quota_proposal"
    cycle: str
    command: str  # 'sample quota seed N confirm FINGERPRINT'
    per_lead: int
    matching: int  # cases the draw chose from
    chosen: tuple[tuple[str, str, str], ...] = ()  # (case id, team, practitioner)
    problems: tuple[str, ...] = ()  # shortfalls: a Practice Lead with too few workers or cases

    def to_payload(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "command": self.command,
            "per_lead": self.per_lead,
            "matching": self.matching,
            "chosen": [list(c) for c in self.chosen],
            "problems": list(self.problems),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        chosen = []
        for row in listed(payload, "chosen"):
            if not isinstance(row, list | tuple) or len(row) != 3:
                raise BadPayload("a chosen case should be (case, team, practitioner)")
            chosen.append((str(row[0]), str(row[1]), str(row[2])))
        return cls(
            text_of(payload, "cycle"),
            text_of(payload, "command"),
            whole_number(payload, "per_lead"),
            whole_number(payload, "matching"),
            tuple(chosen),
            tuple(str(p) for p in listed(payload, "problems")),
        )


@kind
@dataclass(frozen=True)
class HighlightReportReady(NoticeData):
    """A period's highlight report, sent by itself to a manager: its headline figures for their scope
    (area 0: the whole service), and the full report behind a link signed for them when it is sent."""

    KIND = "highlight_report"
    period: str
    area_id: int
    scope: str
    reader: int
    headline: tuple[tuple[str, str], ...] = ()
    empty: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "area": self.area_id,
            "scope": self.scope,
            "reader": self.reader,
            "headline": [list(pair) for pair in self.headline],
            "empty": self.empty,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        headline = []
        for pair in listed(payload, "headline"):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise BadPayload("a headline figure should be (name, value)")
            headline.append((str(pair[0]), str(pair[1])))
        return cls(
            text_of(payload, "period"),
            whole_number(payload, "area"),
            text_of(payload, "scope"),
            whole_number(payload, "reader"),
            tuple(headline),
            payload.get("empty") is True,
        )


@kind
@dataclass(frozen=True)
class DipPlanned(NoticeData):
    """The year's plan of dip samples: its data request to Data & Impact two weeks before, or to QA on
    its first day, that it is due (with a button that starts it)."""

    KIND = "dip_planned"
    theme: str
    starts: date | None
    data_request: bool = False
    month: str = ""  # 'February 2027'

    def to_payload(self) -> dict[str, Any]:
        return {"theme": self.theme, "starts": iso(self.starts), "data_request": self.data_request, "month": self.month}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            text_of(payload, "theme"),
            day_of(payload.get("starts")),
            payload.get("data_request") is True,
            text_of(payload, "month"),
        )


@kind
@dataclass(frozen=True)
class DipFindings(NoticeData):
    """A dip sample's findings as it goes to its Head of Service (line 517): to SLT to read, and to the
    Service Managers who will update its actions."""

    KIND = "dip_findings"
    KEYS: ClassVar[Mapping[str, str]] = {"dip_id": "dip"}
    dip_id: int
    theme: str
    findings: str  # the Terms of Reference's recommendations
    actions: int
    to_update: int = 0  # 1: the reader updates the actions (a Service Manager)
    head: str = ""  # the Head of Service it was sent to


@kind
@dataclass(frozen=True)
class SupervisionDue(NoticeData):
    """At a cycle's start, to QA: the supervisors whose records have had no supervision review for a
    year (Appendix 12), each with the command that assigns one."""

    KIND = "supervision_due"
    cycle: str
    supervisors: tuple[str, ...]  # names, at most 60
    total: int

    def to_payload(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "supervisors": list(self.supervisors), "total": self.total}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        names = tuple(str(n) for n in listed(payload, "supervisors"))
        return cls(text_of(payload, "cycle"), names, whole_number(payload, "total"))
