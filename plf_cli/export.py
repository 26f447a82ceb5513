"""`plf export AUDIT_ID`: the complete audit as printable HTML, the file uploaded to Azeus."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from cards.form_pages import display_value
from plf_core.audits import AuditView
from plf_core.vocabulary import GRADE_LABELS

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class PageRows:
    part: str
    rows: list[Row]


def audit_html(audit: AuditView, prefilled: dict[str, str], exported: datetime, chart_png: bytes | None = None) -> str:
    """The audit as printable HTML; `chart_png`: its outcomes chart, embedded (a Practice Learning Conversation's)."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    form = audit.form
    pages = [
        PageRows(
            page.part,
            [
                Row(
                    f.label,
                    prefilled.get(f.prefilled_from, "")
                    if f.prefilled_from
                    else display_value(f, audit.answers.get(f.id)),
                )
                for f in page.fields
            ],
        )
        for page in form.pages
    ]
    submitted = f"{audit.submitted_at:%d %B %Y %H:%M} UTC" if audit.submitted_at else ""
    return environment.get_template("audit.html.j2").render(
        audit=audit,
        form=form,
        pages=pages,
        case_ref=audit.case.azeus_number if audit.case else "—",
        team=audit.case.team_name if audit.case else "",
        submitted=submitted,
        grade=GRADE_LABELS[audit.final_grade] if audit.final_grade else "",
        exported=f"{exported.astimezone(UTC):%d %B %Y %H:%M} UTC",
        chart=f"data:image/png;base64,{base64.b64encode(chart_png).decode()}" if chart_png else None,
    )
