"""Children and families' feedback for the Service Managers' quarterly performance meeting: "parental
feedback ... requested at point of closure, collated and fed into performance meetings quarterly" (the
framework's reviewing section). A timetable rule (`trigger: quarter_start`) sends each service area's
managers the quarter just ended in figures (plf_core.feedback.figures): answers received, satisfaction
and "felt listened to", by cohort, and what helped and what got in the way as themes; never a family's
own words. The store loads an `AreaFeedback` per service area when a quarter_start rule can be due.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Self

from plf_core.feedback.figures import FeedbackFigures
from plf_core.notices import BadPayload, NoticeData, day_of, iso, kind, listed, text_of, whole_number
from plf_core.report_tables import count

SERVICE_MANAGER, HEAD_OF_SERVICE = "service_manager", "head_of_service"  # plf_core.timetable.Recipient
MAX_COHORTS = 8
MAX_THEMES = 10


def _rows(payload: Mapping[str, Any], key: str, width: int) -> tuple[tuple[str, ...], ...]:
    found = []
    for row in listed(payload, key):
        if not isinstance(row, list | tuple) or len(row) != width:
            raise BadPayload(f"a row of '{key}' should have {width} cells")
        found.append(tuple(str(cell) for cell in row))
    return tuple(found)


@kind
@dataclass(frozen=True)
class FeedbackSummary(NoticeData):
    """A quarter's feedback for one service area, to one of its managers (`reader`: the full report's
    link is signed for them when the card is sent)."""

    KIND = "feedback_summary"
    TIMETABLE: ClassVar[bool] = True  # a card the timetable's rules may name
    quarter: str  # '2026-Q4'
    area_id: int
    area: str
    reader: int
    received: int
    figures: tuple[tuple[str, str], ...] = ()  # (what, value): answers by audience, satisfaction, listened to
    cohorts: tuple[tuple[str, ...], ...] = ()  # (cohort, answers, satisfaction)
    themes: tuple[tuple[str, ...], ...] = ()  # (theme, what helped, what got in the way)
    due: date | None = None
    rule: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "area": self.area_id,
            "area_name": self.area,
            "reader": self.reader,
            "received": self.received,
            "figures": [list(f) for f in self.figures],
            "cohorts": [list(c) for c in self.cohorts],
            "themes": [list(t) for t in self.themes],
            "due": iso(self.due),
            "rule": self.rule,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        figures = tuple((a, b) for a, b in _rows(payload, "figures", 2))
        return cls(
            text_of(payload, "quarter"),
            whole_number(payload, "area"),
            text_of(payload, "area_name"),
            whole_number(payload, "reader"),
            whole_number(payload, "received"),
            figures,
            _rows(payload, "cohorts", 3),
            _rows(payload, "themes", 3),
            day_of(payload.get("due")),
            text_of(payload, "rule"),
        )


def summary_of(figures: FeedbackFigures) -> dict[str, Any]:
    """The figures a summary card shows, as its notice's payload holds them (small numbers marked)."""
    whole = figures.whole
    shown = [(a.plural, count(n)) for a, n in figures.by_audience]
    shown += [
        ("Satisfied with our help (4 or 5 of 5)", f"{whole.satisfaction} of {count(whole.rated)} who answered"),
        ("Felt listened to (4 or 5 of 5)", f"{whole.felt_listened_to} of {count(whole.listened_rated)} who answered"),
    ]
    cohorts = [[c.name, count(c.answers), c.satisfaction] for c in figures.by_cohort[:MAX_COHORTS]]
    themes = [[t.theme, count(t.helped), count(t.in_the_way)] for t in figures.themes[:MAX_THEMES]]
    return {"received": figures.received, "figures": [list(f) for f in shown], "cohorts": cohorts, "themes": themes}


@dataclass(frozen=True)
class AreaFeedback:
    """One service area's feedback over the quarter just ended, as the timetable reads it: its rule counts
    from `starts` (the next quarter's first day) and tells the area's managers it names."""

    quarter: str
    starts: date
    area_id: int
    area: str
    service_manager_ids: tuple[int, ...]
    head_of_service_ids: tuple[int, ...]
    figures: FeedbackFigures

    def subjects(self, to: Collection[str]) -> list[tuple[date, str, set[int], dict[str, object], bool]]:
        """The timetable's subjects: one per manager the rule is `to` (service_manager, head_of_service),
        each with the notice's data for them."""
        people = {
            *(self.service_manager_ids if SERVICE_MANAGER in to else ()),
            *(self.head_of_service_ids if HEAD_OF_SERVICE in to else ()),
        }
        about = {"quarter": self.quarter, "area": self.area_id, "area_name": self.area, **summary_of(self.figures)}
        subject = f"{self.quarter}:{self.area_id}"
        return [(self.starts, subject, {person}, {**about, "reader": person}, False) for person in sorted(people)]
