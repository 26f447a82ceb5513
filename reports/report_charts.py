"""The highlight report's charts, as PNG bytes (matplotlib, Agg): the grade mix by service area,
outcome scales by area (practitioners and children), and the trend over the last periods."""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from plf_core.highlight import GRADES, HighlightReport
from plf_core.outcomes import AREA_LABELS, AREAS
from plf_core.vocabulary import GRADE_LABELS

GRADE_COLOURS = {"blue": "#1565c0", "green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def grades_by_area(report: HighlightReport) -> bytes | None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for area, _, _, grade, n in report.figures.grades:
        if grade:
            counts[area][grade] += n
    if not counts:
        return None
    areas = sorted(counts)
    figure = Figure(figsize=(7.5, 0.6 * len(areas) + 1.4))
    axes = figure.add_subplot()
    left = [0.0] * len(areas)
    for grade in GRADES:
        shares = [100 * counts[a].get(grade.value, 0) / max(1, sum(counts[a].values())) for a in areas]
        axes.barh(areas, shares, left=left, color=GRADE_COLOURS[grade.value], label=GRADE_LABELS[grade])
        left = [x + y for x, y in zip(left, shares, strict=True)]
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of audits returned")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4, frameon=False, fontsize=8)
    axes.set_title("Final grades by service area", fontsize=11)
    return _png(figure)


def outcomes_by_area(report: HighlightReport) -> bytes | None:
    scores = {(s, a): v for s, a, v, n in report.figures.outcomes}
    if not scores:
        return None
    figure = Figure(figsize=(7.5, 3.6))
    axes = figure.add_subplot()
    positions = list(range(len(AREAS)))
    for offset, source, label, colour in (
        (-0.2, "practitioner", "Practitioners' mean scale", "#1f5fa8"),
        (0.2, "child", "Children's mean rating", "#c2571a"),
    ):
        values = [scores.get((source, a), 0.0) for a in AREAS]
        axes.bar([p + offset for p in positions], values, width=0.4, color=colour, label=label)
    axes.set_xticks(positions, [textwrap.fill(AREA_LABELS[a].replace("\n", " "), 13) for a in AREAS], fontsize=7)
    axes.set_ylim(0, 10)
    axes.set_ylabel("1 (poor) to 10 (good)")
    axes.legend(fontsize=8, frameon=False)
    axes.set_title("Outcome scales by area", fontsize=11)
    return _png(figure)


def trend(report: HighlightReport) -> bytes | None:
    points = report.trend
    if not any(p.returned for p in points):
        return None
    figure = Figure(figsize=(7.5, 3.2))
    axes = figure.add_subplot()
    labels = [p.label for p in points]
    for values, label, colour in (
        ([p.good_pct for p in points], "Good or better (%)", "#2e7d32"),
        ([p.red_pct for p in points], "Red (%)", "#c62828"),
    ):
        axes.plot(labels, [v if v is not None else float("nan") for v in values], marker="o", color=colour, label=label)
    axes.set_ylim(0, 100)
    axes.legend(fontsize=8, frameon=False)
    axes.set_title(f"The last {len(points)} periods", fontsize=11)
    return _png(figure)
