"""The inspection evidence pack as one printable HTML page (no scripts, no external resources: it prints
and opens offline as it is) and as CSV files, one per table, safe to open in a spreadsheet."""

from __future__ import annotations

from plf_core.evidence import EvidencePack
from reports.highlight_html import _environment
from reports.spreadsheet import csv_text


def evidence_html(pack: EvidencePack) -> str:
    return _environment.get_template("evidence.html.j2").render(pack=pack)


def evidence_csv(pack: EvidencePack) -> dict[str, str]:
    """File name -> CSV text, one per table."""
    return {f"evidence-{pack.period.code}-{t.key}.csv": csv_text(t.columns, t.rows) for t in pack.tables}
