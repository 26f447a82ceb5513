"""The inspection evidence pack as one printable HTML page (no scripts, no external resources: it prints
and opens offline as it is) and as CSV files, one per table, safe to open in a spreadsheet."""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plf_core.evidence import EvidencePack
from plf_core.report_tables import Table
from reports.highlight_html import TEMPLATES
from reports.spreadsheet import csv_text

#: a cell that reads as a figure (12, 3*, 44%, -0.01, 37.5*, —) is set to the right, as figures are
FIGURE = re.compile(r"[-+]?[0-9][0-9,.]*%?\*?|—")
_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def figure_columns(table: Table) -> frozenset[int]:
    """The columns (after the first) whose every cell is a figure."""
    return frozenset(
        i for i in range(1, len(table.columns)) if table.rows and all(FIGURE.fullmatch(r[i]) for r in table.rows)
    )


def evidence_html(pack: EvidencePack) -> str:
    figures = {t.key: figure_columns(t) for t in pack.tables}
    return _environment.get_template("evidence.html.j2").render(pack=pack, figures=figures)


def evidence_csv(pack: EvidencePack) -> dict[str, str]:
    """File name -> CSV text, one per table."""
    return {f"evidence-{pack.period.code}-{t.key}.csv": csv_text(t.columns, t.rows) for t in pack.tables}
