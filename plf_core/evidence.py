"""The inspection evidence pack (issue 18): for a quarter, what an inspector (ILACS) asks leaders to
show about the quality of practice, in seven sections of tables:

1. the audit programme's volume against plan, by service area;
2. final grades by service area and by cohort;
3. moderation agreement: weighted kappa with its 95% confidence interval, and the auditor × moderator grid;
4. actions completed on time, late, and overdue;
5. immediate concerns and the time to acknowledge them, by service area;
6. the confirmed examples of good practice (never those awaiting confirmation or declined);
7. the period's learning themes (low outcome scales, and what the dip samples found).

Sections 2, 3, 4 and 7 are the highlight report's own tables for the whole service (plf_core.highlight),
so the pack and the report never disagree; 5 is plf_core.concern_figures'. Case ids only, no names of
children; small numbers marked "*" as everywhere. Pure: the store reads, this module assembles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from plf_core import concern_figures, periods
from plf_core import good_practice as gp
from plf_core.errors import NotAllowed
from plf_core.evidence_ports import VolumeRow
from plf_core.framework_config import Framework
from plf_core.highlight import HighlightReport
from plf_core.moderation import GRADES, Agreement, Coefficient
from plf_core.people import Actor
from plf_core.periods import Period
from plf_core.ports import AbstractUnitOfWork
from plf_core.report_tables import SMALL, SMALL_NOTE, Section, Table, count, pct
from plf_core.vocabulary import GRADE_LABELS

EVIDENCE_PERIODS = frozenset({periods.Kind.QUARTER})
WHOLE_SERVICE = "the whole service"
REPORT_TABLES = {  # the highlight report's tables each section reuses, by key
    "grades": ("grades_by_service_area", "grades_by_cohort"),
    "agreement": ("moderation_agreement",),
    "actions": ("actions",),
    "themes": ("top_themes", "dip_samples"),
}


@dataclass(frozen=True)
class EvidencePack:
    period: Period
    generated_at: datetime
    sections: tuple[Section, ...]
    headline: tuple[tuple[str, str], ...]
    agreement: Agreement

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.sections for t in s.tables)


def may_read(actor: Actor) -> bool:
    """The pack is the whole service's: QA and SLT."""
    return actor.is_qa or actor.is_slt


def cycles_due_in(framework: Framework, period: Period) -> list[Period]:
    """The audit cycles whose audits fall due in the period (a quarter: one quarterly cycle, or three monthly)."""
    found, cycle = [], framework.cycle_containing(period.starts)
    while cycle.starts < period.ends:
        if period.contains(cycle.due_on):
            found.append(cycle)
        cycle = cycle.following()
    return found


def plan_note(framework: Framework, cycles: int) -> str:
    each = "the cycle" if cycles == 1 else f"each of the {cycles} cycles"
    return (
        f"Plan: {framework.audits_per_practice_lead} audits per Practice Lead for {each} due in the quarter (the "
        "quota drawn at each cycle's start), times the Practice Leads of the area's teams. Due: Practice Learning "
        "Conversations due in the quarter; against plan: those of them returned by its end; returned in the "
        f"quarter: every one returned in it, whenever due (as the highlight report counts). {SMALL_NOTE}"
    )


def volume_table(rows: Sequence[VolumeRow], per_lead: int, note: str) -> Table:
    """Each area's plan beside its audits due in the quarter, those of them returned by its end, those
    outstanding, and every audit returned in it (whenever due, as the highlight report counts)."""
    total = VolumeRow(
        concern_figures.TOTAL,
        sum(r.practice_leads for r in rows),
        sum(r.assigned for r in rows),
        sum(r.returned for r in rows),
        sum(r.outstanding for r in rows),
    )
    lines = tuple(
        (
            r.area,
            str(r.practice_leads),
            str(per_lead * r.practice_leads),
            count(r.assigned),
            count(r.assigned - r.outstanding),
            count(r.outstanding),
            pct(r.assigned - r.outstanding, per_lead * r.practice_leads),
            count(r.returned),
        )
        for r in [*rows, total]
    )
    columns = (
        "Service area",
        "Practice Leads",
        "Plan",
        "Due in the quarter",
        "Due and returned by its end",
        "Outstanding at its end",
        "Returned against plan",
        "Returned in the quarter (any cycle)",
    )
    return Table("volume_against_plan", "Audits against plan", columns, lines, note)


def grid_table(agreed: Agreement) -> Table:
    """The auditor × moderator grid: rows the auditor's final grade, columns the moderator's."""
    labels = [GRADE_LABELS[g] for g in GRADES]
    grid = agreed.grid or tuple((0,) * len(GRADES) for _ in GRADES)
    lines = [(label, *(count(n) for n in row), count(sum(row))) for label, row in zip(labels, grid, strict=True)]
    lines.append(("All", *(count(sum(row[j] for row in grid)) for j in range(len(GRADES))), count(agreed.n)))
    note = "Each cell: audits the auditor graded as its row and the moderator as its column. " + SMALL_NOTE
    columns = ("Auditor's grade", *(f"Moderator: {g.value.capitalize()}" for g in GRADES), "All")
    return Table("moderation_grid", "Auditor × moderator grid", columns, tuple(lines), note)


def _coefficient(name: str, value: Coefficient | None, n: int) -> tuple[str, str, str, str]:
    if value is None:
        return (name, "not defined", "—", "—")
    small = "*" if 0 < n < SMALL else ""
    return (name, f"{value.value:.2f}{small}", f"{value.low:.2f}", f"{value.high:.2f}")


def coefficients_table(agreed: Agreement) -> Table:
    rows = (
        _coefficient("Weighted kappa (Cohen, linear weights)", agreed.kappa, agreed.n),
        _coefficient("Gwet's AC2 (linear weights)", agreed.ac2, agreed.n),
    )
    note = (
        "95% confidence intervals by Gwet's methods (irrCAC). Kappa misleads when one grade dominates: read "
        "AC2 beside it. * fewer than 5 moderations: a small number."
    )
    columns = ("Coefficient", "Value", "95% CI from", "95% CI to")
    return Table("agreement_coefficients", "Agreement between auditors and moderators", columns, rows, note)


def good_practice_table(examples: Sequence[gp.Nomination]) -> Table:
    rows = tuple(
        (
            n.case,
            n.team,
            n.grade_label,
            n.form_title + (f" ({n.theme})" if n.theme else ""),
            n.text,
            n.nominated_by,
            f"{n.decided_by}, {periods.staff_date(n.decided_on)}" if n.decided_on else n.decided_by,
        )
        for n in examples
    )
    note = (
        "Examples from audits returned in the quarter, each confirmed by a Head of Service or the QA team. "
        "Nominations awaiting confirmation, and declined ones, are not evidence and are not listed."
    )
    columns = ("Case", "Team", "Grade", "Review", "Example of good practice", "Nominated by", "Confirmed by")
    return Table("good_practice", "Confirmed examples of good practice", columns, rows, note)


def _from_report(report: HighlightReport, part: str) -> tuple[Table, ...]:
    by_key = {t.key: t for t in report.tables}
    return tuple(by_key[k] for k in REPORT_TABLES[part] if k in by_key)


def _headline(volume: Table, agreed: Agreement, report: HighlightReport, examples: int) -> tuple[tuple[str, str], ...]:
    total = volume.rows[-1]
    kappa = agreed.kappa
    shown = "—" if kappa is None else f"{kappa.value:.2f} (95% CI {kappa.low:.2f} to {kappa.high:.2f})"
    return (
        ("Audits due and returned", f"{total[4]} (plan {total[2]})"),
        ("Moderated", count(agreed.n)),
        ("Weighted kappa", shown + ("*" if 0 < agreed.n < SMALL else "")),
        *concern_figures.headline(report.figures.concerns),
        ("Confirmed examples of good practice", str(examples)),
    )


def assemble(
    report: HighlightReport,
    volume: Sequence[VolumeRow],
    examples: Sequence[gp.Nomination],
    framework: Framework,
) -> EvidencePack:
    """The pack for the report's period, from its whole-service highlight report and what else was read."""
    cycles = len(cycles_due_in(framework, report.period))
    per_lead = framework.audits_per_practice_lead * cycles
    volume_part = volume_table(volume, per_lead, plan_note(framework, cycles))
    confirmed = [n for n in examples if n.confirmed]
    agreed = report.agreement
    sections = (
        Section("1. The audit programme: volume against plan", (volume_part,)),
        Section("2. Grades by service area and cohort", _from_report(report, "grades")),
        Section(
            "3. Moderation agreement",
            (coefficients_table(agreed), grid_table(agreed), *_from_report(report, "agreement")),
        ),
        Section("4. Actions on time, late and overdue", _from_report(report, "actions")),
        Section(
            "5. Immediate concerns and time to acknowledge",
            (concern_figures.concerns_table(report.figures.concerns),),
        ),
        Section("6. Confirmed examples of good practice", (good_practice_table(confirmed),)),
        Section("7. Learning themes", _from_report(report, "themes")),
    )
    headline = _headline(volume_part, agreed, report, len(confirmed))
    return EvidencePack(report.period, report.generated_at, sections, headline, agreed)


async def evidence_pack(
    uow: AbstractUnitOfWork,
    period: Period,
    framework: Framework,
    today: date,
    zone: tzinfo,
    progress: Callable[[str], None] = lambda step: None,
) -> EvidencePack:
    """Read everything the pack shows for a quarter, in one unit of work, and assemble it."""
    report = await uow.reports.highlight(period, None, WHOLE_SERVICE, progress)
    progress("the audit programme's volume")
    volume = await uow.evidence.volume(period, today)
    progress("the confirmed examples of good practice")
    examples = gp.nominations(await uow.evidence.nominated(None, period), zone)
    return assemble(report, volume, gp.in_order(examples), framework)


@dataclass(frozen=True)
class EvidenceSummary:
    """The `evidence` command's answer: the headline figures, and what the pack's link names."""

    period: Period
    reader_id: int
    headline: tuple[tuple[str, str], ...]


async def evidence(
    uow: AbstractUnitOfWork,
    actor: Actor,
    period_text: str | None,
    framework: Framework,
    today: date,
    zone: tzinfo,
    activity: str | None = None,
) -> EvidenceSummary:
    """`evidence [QUARTER]` (the last whole quarter unless one is named): QA and SLT."""
    if not may_read(actor):
        raise NotAllowed("the inspection evidence pack is the whole service's: it is for QA and SLT", action="evidence")
    said = " ".join((period_text or "").lower().split())
    if said in ("last quarter", "this quarter"):  # as people say it: the last whole one, or the one under way
        period_text = "quarter" if said == "last quarter" else periods.containing(periods.Kind.QUARTER, today).code
    period = periods.parse(period_text, today, kinds=EVIDENCE_PERIODS)
    pack = await evidence_pack(uow, period, framework, today, zone)
    await uow.access.log(actor, f"evidence {period.code}", None, activity, "ok")
    return EvidenceSummary(period, actor.person_id, pack.headline)
