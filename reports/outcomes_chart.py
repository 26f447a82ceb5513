"""The outcomes chart: a radar of the child's six outcome areas as a PNG, drawn with matplotlib.

The practitioner's scale per area and the child's own ratings are overlaid, each labelled; the
manager scores only the overall outcomes, so their scale is a dashed ring at that value; the case's
earlier audit is drawn faintly, so distance travelled shows. The image names the case id, never
the child. (Not called an "outcome star": that is close to a trademarked product's name.)
"""

from __future__ import annotations

import io
import math
import threading
from typing import cast

import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from plf_core.outcomes import AREA_LABELS, AREAS, SCALE_MAX, OutcomeScales, OutcomesPicture

PRACTITIONER = "#1f5fa8"
CHILD = "#c2571a"
MANAGER = "#2e7d32"
EARLIER = "#9e9e9e"
ANGLES = [2 * math.pi * n / len(AREAS) for n in range(len(AREAS))]


def _closed(values: dict[str, int]) -> tuple[list[float], list[float]]:
    """The polygon through the scored areas (an unscored area leaves a gap)."""
    angles = [*ANGLES, ANGLES[0]]
    radii = [float(values[a]) if a in values else math.nan for a in (*AREAS, AREAS[0])]
    return angles, radii


def series_of(picture: OutcomesPicture) -> list[tuple[str, dict[str, int]]]:
    """The labelled series the chart draws, in drawing order (for the chart and its tests)."""
    out: list[tuple[str, dict[str, int]]] = []
    if picture.earlier is not None and picture.earlier.practitioner:
        when = f" ({picture.earlier_on:%d %b %Y})" if picture.earlier_on else ""
        out.append((f"Earlier audit{when}: practitioner's scale", picture.earlier.practitioner))
    if picture.scales.practitioner:
        out.append(("Practitioner's scale", picture.scales.practitioner))
    if picture.scales.child:
        out.append(("Child's own ratings", picture.scales.child))
    return out


def _manager_label(scales: OutcomeScales) -> str:
    return f"Manager's overall scale: {scales.manager_overall}"


class _Template:
    """The axes, grid and area labels drawn once; each chart restores them and draws only its series,
    legend and title on top (matplotlib's blitting), which keeps a chart well within 50 ms."""

    def __init__(self, dpi: int) -> None:
        self.figure = Figure(figsize=(7.2, 6.4), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        axes = cast(PolarAxes, self.figure.add_subplot(projection="polar"))
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(-1)
        axes.set_ylim(0, SCALE_MAX)
        axes.set_yticks(range(2, SCALE_MAX + 1, 2))
        axes.set_yticklabels([str(n) for n in range(2, SCALE_MAX + 1, 2)], fontsize=7, color="#555555")
        axes.set_xticks(ANGLES)
        axes.set_xticklabels([AREA_LABELS[a] for a in AREAS], fontsize=9)
        axes.tick_params(axis="x", pad=12)
        self.figure.text(0.99, 0.01, "Scale 1 (poor) to 10 (good)", ha="right", fontsize=7, color="#555555")
        self.figure.subplots_adjust(top=0.86, bottom=0.2)
        self.axes = axes
        self.canvas.draw()  # type: ignore[no-untyped-call]
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)  # type: ignore[no-untyped-call]
        self.lock = threading.Lock()


_templates: dict[int, _Template] = {}
_templates_lock = threading.Lock()


def _template(dpi: int) -> _Template:
    with _templates_lock:
        if dpi not in _templates:
            _templates[dpi] = _Template(dpi)
        return _templates[dpi]


def outcomes_chart_png(picture: OutcomesPicture, *, dpi: int = 100) -> bytes:
    """The chart as PNG bytes. Safe to call from several threads (each template is used by one at a time)."""
    template = _template(dpi)
    with template.lock:
        return _draw(template, picture)


def _draw(template: _Template, picture: OutcomesPicture) -> bytes:
    figure, axes, canvas = template.figure, template.axes, template.canvas
    canvas.restore_region(template.background)  # type: ignore[no-untyped-call]
    artists: list[Artist] = []
    for label, values in series_of(picture):
        angles, radii = _closed(values)
        filled = [0 if math.isnan(r) else r for r in radii]
        if label.startswith("Earlier"):
            artists += axes.plot(angles, radii, color=EARLIER, linewidth=1.2, alpha=0.6, label=label)
            artists += axes.fill(angles, filled, color=EARLIER, alpha=0.08)
        elif label.startswith("Practitioner"):
            artists += axes.plot(angles, radii, color=PRACTITIONER, linewidth=2.2, marker="o", label=label, zorder=3)
            artists += axes.fill(angles, filled, color=PRACTITIONER, alpha=0.15)
        else:
            # on top, thinner, with hollow markers: where the child rates an area as the practitioner does,
            # both stay visible (the practitioner's dot inside the child's square)
            artists += axes.plot(
                angles, radii, color=CHILD, linewidth=1.6, linestyle=(0, (4, 3)), label=label, zorder=5,
                marker="s", markersize=9, markerfacecolor="none", markeredgewidth=1.8,
            )  # fmt: skip
    if picture.scales.manager_overall is not None:
        ring = [2 * math.pi * n / 120 for n in range(121)]
        artists += axes.plot(
            ring,
            [picture.scales.manager_overall] * len(ring),
            color=MANAGER,
            linewidth=1.6,
            linestyle=":",
            label=_manager_label(picture.scales),
        )
    when = f", audit of {picture.audited_on:%d %B %Y}" if picture.audited_on else ""
    artists.append(
        figure.text(
            0.5, 0.95, f"Outcomes chart — case {picture.case_ref}{when}", ha="center", fontsize=12, fontweight="bold"
        )
    )
    if axes.get_legend_handles_labels()[0]:
        artists.append(axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=8, frameon=False))
    else:
        artists.append(axes.text(0, 0, "No outcome scales recorded", ha="center", va="center", fontsize=10))
    try:
        for artist in artists:
            figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)  # type: ignore[no-untyped-call]
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=3)
        return buffer.getvalue()
    finally:
        for artist in artists:
            artist.remove()
