"""`plf report`: the highlight report for a month or a quarter, as HTML and one CSV per table."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from composition import Core
from plf_cli.running import Subparsers, say, with_database
from plf_core import periods
from plf_core.errors import ValidationFailed
from plf_core.highlight import HighlightReport
from plf_core.periods import Period
from plf_core.ports import UnitOfWorkFactory
from plf_core.report_command import REPORT_PERIODS


def register(sub: Subparsers) -> None:
    r = sub.add_parser("report", help="the highlight report for a month or a quarter, as HTML and CSV")
    r.add_argument("period", nargs="?", help="month, quarter (the last whole one; default), 2026-10 or 2026-Q3")
    r.add_argument("--quarter", metavar="YYYY-QN", help="a quarter, e.g. 2026-Q3 (the same as giving it as PERIOD)")
    r.add_argument("--month", metavar="YYYY-MM", help="a month, e.g. 2026-10")
    r.add_argument("--service", help="one service area (code or name); default the whole service")
    r.add_argument("--out", help="the folder to write to (default var/reports)")
    r.set_defaults(run=cmd_report)


def chosen_period(core: Core, args: argparse.Namespace) -> Period:
    given = [p for p in (args.period, args.quarter, args.month) if p]
    if len(given) > 1:
        raise ValidationFailed("give one period: PERIOD, --quarter or --month")
    for flag, typed, kind, example in (
        ("--quarter", args.quarter, periods.Kind.QUARTER, "2026-Q3"),
        ("--month", args.month, periods.Kind.MONTH, "2026-10"),
    ):
        if typed and getattr(periods.parse_code(typed), "kind", None) is not kind:
            raise ValidationFailed(f"{flag} {typed[:20]}: use a {kind} such as {example}")
    return periods.parse(given[0] if given else None, core.clock.today(), kinds=REPORT_PERIODS)


async def cmd_report(core: Core, args: argparse.Namespace) -> int:
    """The highlight report as HTML and CSV files, with progress on the terminal."""
    from reports.highlight_html import highlight_csv, highlight_html  # heavy: imported only when this command runs

    period = chosen_period(core, args)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        steps = ["scope"] + ["count"] * 4 + ["assemble", "html", "csv"]
        with tqdm(total=len(steps), desc=f"report {period.label}", file=sys.stderr, leave=False) as bar:
            async with uow() as unit:
                area_id, scope = await unit.reports.scope(args.service)
                bar.update()

                def advance(step: str) -> None:
                    bar.update()

                report = await unit.reports.highlight(period, area_id, scope, advance)
            html = await asyncio.to_thread(highlight_html, report)
            bar.update()
            files = highlight_csv(report)
            bar.update()
        await _write(Path(args.out or "var/reports"), period, scope, area_id, report, html, files)
        return 0

    return await with_database(core, work)


async def _write(
    out: Path,
    period: Period,
    scope: str,
    area_id: int | None,
    report: HighlightReport,
    html: str,
    files: dict[str, str],
) -> None:
    slug = period.code + ("" if area_id is None else "-" + re.sub(r"[^a-z0-9]+", "-", scope.lower()).strip("-"))
    page = out / f"highlight-{slug}.html"
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(page.write_text, html, "utf-8")
    tables = out / f"highlight-{slug}-csv"
    await asyncio.to_thread(tables.mkdir, exist_ok=True)
    for name, text in files.items():
        await asyncio.to_thread((tables / name).write_text, text, "utf-8")
    if report.empty:
        say(f"nothing was assigned, returned or moderated in {period.label} for {scope}: the report says so")
    say(f"wrote {page} ({len(html):,} bytes): {period.label}, {scope}")
    say(f"wrote {len(files)} CSV files, one per table, in {tables}/")
    for label, value in report.headline:
        say(f"  {label}: {value}")
