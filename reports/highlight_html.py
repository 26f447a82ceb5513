"""The highlight report as one self-contained, printable HTML page (charts embedded as PNG data),
and as CSV files, one per table."""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plf_core.highlight import HighlightReport
from reports import report_charts
from reports.spreadsheet import csv_text

TEMPLATES = Path(__file__).parent / "templates"
_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def _data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def highlight_html(report: HighlightReport) -> str:
    charts = {
        "How well did we do it?": _data_uri(report_charts.grades_by_area(report)),
        "Is anyone better off?": _data_uri(report_charts.outcomes_by_area(report)),
        "Trends": _data_uri(report_charts.trend(report)),
    }
    return _environment.get_template("highlight.html.j2").render(report=report, charts=charts)


def highlight_csv(report: HighlightReport) -> dict[str, str]:
    """File name -> CSV text, one per table, safe to open in a spreadsheet."""
    return {f"{report.period.code}-{table.key}.csv": csv_text(table.columns, table.rows) for table in report.tables}


def forbidden_html(message: str) -> str:
    return _environment.get_template("forbidden.html.j2").render(message=message)
