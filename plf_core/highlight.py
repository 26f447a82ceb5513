"""The highlight report (sections 12, 21 and 22 of the framework): how much did we do, how well (with
children and families' satisfaction), is anyone better off (with what helped and what got in the way,
as families told us), the top themes, and the trend over the last four periods, for a month or a
quarter, for the whole service or one service area.

Pure: the store counts (`PeriodFigures`), this module turns the counts into the report's tables.
Service-wide tables are aggregate; a cell resting on fewer than 5 audits is marked as a small
number ("3*"), not hidden. Case ids appear only in a service area's overdue actions, for the
managers of that area.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from plf_core import concern_figures
from plf_core.concern_figures import ConcernRow
from plf_core.feedback import figures as feedback
from plf_core.feedback.figures import FeedbackFigures
from plf_core.moderation import Agreement, agreement
from plf_core.outcomes import AREA_LABELS, AREAS
from plf_core.periods import Period
from plf_core.report_tables import SMALL as SMALL  # these stay importable from here
from plf_core.report_tables import SMALL_NOTE, count, mean, pct, signed
from plf_core.report_tables import Section as Section
from plf_core.report_tables import Table as Table
from plf_core.vocabulary import COHORT_LABELS, GRADE_LABELS, GRADE_ORDER, Cohort, Grade

LOW_SCALE = 4  # an outcome scale at or below this is low: "what needs to be different"
GRADES = GRADE_ORDER
TREND_PERIODS = 4
COHORT_VALUES = {c.value for c in Cohort}


@dataclass(frozen=True)
class PeriodFigures:
    """What the store counts for one period and scope."""

    assigned: int = 0
    returned: int = 0
    outstanding: int = 0
    moderated: int = 0
    dips_sent: int = 0
    pims_held: int = 0
    #: (service area, cohort, team, final grade or None, audits) for the audits returned
    grades: Sequence[tuple[str, str, str, str | None, int]] = ()
    #: (who: practitioner | manager | moderator, grade, how many)
    graded_by: Sequence[tuple[str, str, int]] = ()
    #: (auditor's grade, moderator's grade, how many) for the moderations completed
    moderation_pairs: Sequence[tuple[str, str, int]] = ()
    #: actions completed on time and late (due in the period), and open (plf_core.figures) overdue and not yet due
    actions: tuple[int, int, int, int] = (0, 0, 0, 0)
    #: (source: practitioner | child, area, mean, how many audits)
    outcomes: Sequence[tuple[str, str, float, int]] = ()
    #: (area, mean change of the practitioner's scale, re-audited cases) against the previous period
    change: Sequence[tuple[str, float, int]] = ()
    #: (area, audits with the practitioner's scale at or below LOW_SCALE)
    low: Sequence[tuple[str, int]] = ()
    #: (case id, team, deadline) of the actions past their deadline (a service area's report only)
    overdue_actions: Sequence[tuple[str, str, date]] = ()
    #: (form, returned, due in the period and not returned) of the thematic and supervision reviews
    reviews: Sequence[tuple[str, int, int]] = ()
    #: (theme, actions, actions done, findings) of the dip samples sent in the period
    dips: Sequence[tuple[str, int, int, str]] = ()
    #: the immediate concerns raised in the period (plf_core.concern_figures)
    concerns: Sequence[ConcernRow] = ()
    #: children and families' feedback received in the period (plf_core.feedback.figures)
    feedback: FeedbackFigures = feedback.NO_FEEDBACK

    @property
    def empty(self) -> bool:
        done = self.assigned or self.returned or self.outstanding or self.moderated or self.dips_sent
        return not (done or self.feedback.received)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    returned: int
    good_pct: float | None  # Blue or Green
    red_pct: float | None
    mean_scale: float | None  # the practitioners' mean outcome scale, all areas


@dataclass(frozen=True)
class HighlightReport:
    period: Period
    scope: str
    generated_at: datetime
    figures: PeriodFigures
    sections: tuple[Section, ...]
    trend: tuple[TrendPoint, ...]
    agreement: Agreement
    headline: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return self.figures.empty

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.sections for t in s.tables)


def _grade_table(key: str, title: str, by: str, counts: dict[str, dict[str, int]]) -> Table:
    rows = []
    for name in sorted(counts):
        cells = counts[name]
        total = sum(cells.values())
        rows.append((name, *(count(cells.get(g.value, 0)) for g in GRADES), count(cells.get("", 0)), count(total)))
    columns = (by, *(GRADE_LABELS[g] for g in GRADES), "Not graded", "Returned")
    return Table(key, title, columns, tuple(rows), SMALL_NOTE)


def _how_much(f: PeriodFigures) -> Section:
    rows = (
        ("Audits due in the period", count(f.assigned)),
        ("Audits returned", count(f.returned)),
        ("Audits outstanding (due in the period, not returned)", count(f.outstanding)),
        ("Audits moderated", count(f.moderated)),
        ("Dip samples sent to Heads of Service", count(f.dips_sent)),
        ("Practice Improvement Meetings held", count(f.pims_held)),
    )
    return Section("How much did we do?", (Table("how_much", "Activity", ("Measure", "Number"), rows, SMALL_NOTE),))


def _dips_and_reviews(f: PeriodFigures) -> Section:
    """What the dip samples found (line 517) and the thematic and supervision reviews (line 479)."""
    dips = tuple((theme, f"{done} of {actions}", findings or "—") for theme, actions, done, findings in f.dips)
    reviews = tuple((form, count(r), count(o)) for form, r, o in f.reviews)
    return Section(
        "What did the dip samples and reviews find?",
        (
            Table("dip_samples", "Dip samples sent to Heads of Service", ("Theme", "Actions done", "Findings"), dips),
            Table("reviews", "Thematic and supervision reviews", ("Review", "Returned", "Outstanding"), reviews),
        ),
    )


def _how_well(f: PeriodFigures, agreed: Agreement) -> Section:
    by_area: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_cohort: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_team: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for area, cohort, team, grade, n in f.grades:
        cohort_label = COHORT_LABELS[Cohort(cohort)] if cohort in COHORT_VALUES else cohort
        for table, name in ((by_area, area), (by_cohort, cohort_label), (by_team, team)):
            table[name][grade or ""] += n
    who: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, grade, n in f.graded_by:
        who[source][grade] += n
    who_rows = []
    for source, label in (("practitioner", "Practitioner"), ("manager", "Manager"), ("moderator", "Moderator")):
        cells = who.get(source, {})
        total = sum(cells.values())
        who_rows.append((label, *(count(cells.get(g.value, 0)) for g in GRADES), count(total)))
    on_time, late, overdue, open_ = f.actions
    due = on_time + late + overdue + open_
    action_rows = (
        ("Completed on time", count(on_time), pct(on_time, due)),
        ("Completed late", count(late), pct(late, due)),
        ("Overdue (past the deadline, not confirmed)", count(overdue), pct(overdue, due)),
        ("Open, not yet due", count(open_), pct(open_, due)),
    )
    coefficient = (
        "not defined"
        if agreed.kappa is None
        else f"{agreed.kappa.value:.2f} (95% CI {agreed.kappa.low:.2f} to {agreed.kappa.high:.2f})"
    )
    agreement_rows = (
        ("Moderations completed", count(agreed.n)),
        ("Exact agreement", pct(round(agreed.exact_pct * agreed.n / 100), agreed.n)),
        ("Within one grade", pct(round(agreed.within_one_pct * agreed.n / 100), agreed.n)),
        ("Moderator graded higher", pct(round(agreed.moved_up_pct * agreed.n / 100), agreed.n)),
        ("Moderator graded lower", pct(round(agreed.moved_down_pct * agreed.n / 100), agreed.n)),
        ("Weighted kappa", coefficient + ("*" if 0 < agreed.n < SMALL else "")),
    )
    return Section(
        "How well did we do it?",
        (
            _grade_table("grades_by_service_area", "Final grades by service area", "Service area", by_area),
            _grade_table("grades_by_cohort", "Final grades by cohort", "Cohort", by_cohort),
            _grade_table("grades_by_team", "Final grades by team", "Team", by_team),
            Table(
                "grades_by_who",
                "Overall grades given by practitioners, managers and moderators",
                ("Graded by", *(GRADE_LABELS[g] for g in GRADES), "Grades"),
                tuple(who_rows),
                SMALL_NOTE,
            ),
            Table("moderation_agreement", "Moderation agreement", ("Measure", "Value"), agreement_rows, SMALL_NOTE),
            Table(
                "actions",
                "Actions due in the period",
                ("Actions", "Number", "Share"),
                action_rows,
                SMALL_NOTE,
            ),
            feedback.received_table(f.feedback),
            *feedback.satisfaction_tables(f.feedback),
        ),
    )


def _better_off(f: PeriodFigures) -> Section:
    scores = {(source, area): (value, n) for source, area, value, n in f.outcomes}
    change = {area: (value, n) for area, value, n in f.change}
    rows = []
    for area in AREAS:
        p_value, p_n = scores.get(("practitioner", area), (None, 0))
        c_value, c_n = scores.get(("child", area), (None, 0))
        d_value, d_n = change.get(area, (None, 0))
        rows.append(
            (
                AREA_LABELS[area].replace("\n", " "),
                mean(p_value, p_n),
                count(p_n),
                mean(c_value, c_n),
                count(c_n),
                signed(d_value, d_n),
                count(d_n),
            )
        )
    columns = (
        "Outcome area",
        "Practitioners' mean scale",
        "Audits",
        "Children's mean rating",
        "Ratings",
        "Change since the previous period",
        "Re-audited cases",
    )
    note = (
        "Scales run from 1 (poor) to 10 (good). The change compares each re-audited case's scale with its scale "
        "in the previous period. " + SMALL_NOTE
    )
    outcomes = Table("outcomes", "Outcome scales by area", columns, tuple(rows), note)
    return Section("Is anyone better off?", (outcomes, feedback.themes_table(f.feedback)))


def _themes(f: PeriodFigures) -> Section:
    low = sorted(((n, area) for area, n in f.low if n), key=lambda x: (-x[0], AREAS.index(x[1])))
    rows = tuple((str(rank), AREA_LABELS[area].replace("\n", " "), count(n)) for rank, (n, area) in enumerate(low, 1))
    note = f"Audits whose practitioner's scale for the area was {LOW_SCALE} or lower. {SMALL_NOTE}"
    title = "What needs to be different, by outcome area"
    return Section("Top themes", (Table("top_themes", title, ("Rank", "Outcome area", "Low scales"), rows, note),))


def trend_point(period: Period, f: PeriodFigures) -> TrendPoint:
    graded: dict[str, int] = defaultdict(int)
    for _, _, _, grade, n in f.grades:
        graded[grade or ""] += n
    total = sum(n for g, n in graded.items() if g)
    good = graded.get(Grade.BLUE.value, 0) + graded.get(Grade.GREEN.value, 0)
    practitioner = [(value, n) for source, _, value, n in f.outcomes if source == "practitioner"]
    scored = sum(n for _, n in practitioner)
    return TrendPoint(
        period.label,
        f.returned,
        100 * good / total if total else None,
        100 * graded.get(Grade.RED.value, 0) / total if total else None,
        sum(v * n for v, n in practitioner) / scored if scored else None,
    )


def _trend_table(points: Sequence[TrendPoint]) -> Table:
    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}%"

    rows = tuple(
        (
            p.label,
            count(p.returned),
            percent(p.good_pct) + ("*" if 0 < p.returned < SMALL and p.good_pct is not None else ""),
            percent(p.red_pct) + ("*" if 0 < p.returned < SMALL and p.red_pct is not None else ""),
            "—" if p.mean_scale is None else f"{p.mean_scale:.1f}",
        )
        for p in points
    )
    columns = ("Period", "Audits returned", "Good or better", "Red (Inadequate)", "Mean outcome scale")
    return Table("trend", f"The last {len(points)} periods", columns, rows, SMALL_NOTE)


def _overdue(f: PeriodFigures) -> Table:
    rows = tuple((case, team, f"{deadline:%d %b %Y}") for case, team, deadline in f.overdue_actions)
    return Table(
        "overdue_actions",
        "Overdue actions in this service area (case ids for its managers)",
        ("Case", "Team", "Deadline"),
        rows,
        "Listed by case id only. Ask the Practice Lead for the detail.",
    )


def highlight(
    period: Period,
    scope: str,
    figures: PeriodFigures,
    earlier: Sequence[tuple[Period, PeriodFigures]],
    now: datetime,
    *,
    area_report: bool,
    agreement_of: Callable[[Sequence[tuple[Grade, Grade]]], Agreement] = agreement,
) -> HighlightReport:
    """The report for `period` and `scope`; `earlier` holds the periods before it (oldest first)."""
    pairs = [(Grade(a), Grade(m)) for a, m, n in figures.moderation_pairs for _ in range(n)]
    agreed = agreement_of(pairs)
    trend = tuple(trend_point(p, f) for p, f in [*earlier, (period, figures)][-TREND_PERIODS:])
    sections = [_how_much(figures), _how_well(figures, agreed), _better_off(figures), _themes(figures)]
    sections.append(_dips_and_reviews(figures))
    sections.append(Section("Immediate concerns", (concern_figures.concerns_table(figures.concerns),)))
    sections.append(Section("Trends", (_trend_table(trend),)))
    if area_report:
        sections.append(Section("Overdue actions", (_overdue(figures),)))
    latest = trend[-1]
    headline = (
        ("Audits returned", count(figures.returned)),
        ("Outstanding", count(figures.outstanding)),
        ("Good or better", "—" if latest.good_pct is None else f"{latest.good_pct:.0f}%"),
        ("Red (Inadequate)", "—" if latest.red_pct is None else f"{latest.red_pct:.0f}%"),
        ("Moderated", count(figures.moderated)),
        ("Exact agreement", "—" if agreed.n == 0 else f"{agreed.exact_pct:.0f}%" + ("*" if agreed.n < SMALL else "")),
        ("Actions open", count(figures.actions[2] + figures.actions[3])),
        ("Actions past their deadline", count(figures.actions[2])),
        *concern_figures.headline(figures.concerns),
        *feedback.headline(figures.feedback),
    )
    return HighlightReport(period, scope, now, figures, tuple(sections), trend, agreed, headline)
