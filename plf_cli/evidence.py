"""`plf evidence`: the inspection evidence pack for a quarter, as printable HTML and one CSV per table."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from composition import Core
from plf_cli.running import Subparsers, say, with_database
from plf_core import evidence, periods
from plf_core.errors import ValidationFailed
from plf_core.periods import Period
from plf_core.ports import UnitOfWorkFactory

#: what the pack reads, in order: the highlight report's four periods and its assembly,
#: then the volume and the good practice; then the HTML and the CSV are written
STEPS = 9


def register(sub: Subparsers) -> None:
    e = sub.add_parser("evidence", help="the inspection evidence pack for a quarter, as HTML and CSV")
    e.add_argument("period", nargs="?", help="quarter (the last whole one; default), 2026-Q3 or q3")
    e.add_argument("--quarter", metavar="YYYY-QN", help="a quarter, e.g. 2026-Q3 (the same as giving it as PERIOD)")
    e.add_argument("--out", help="the folder to write to (default var/evidence)")
    e.set_defaults(run=cmd_evidence)


def chosen_quarter(core: Core, args: argparse.Namespace) -> Period:
    if args.period and args.quarter:
        raise ValidationFailed("give the quarter once: PERIOD or --quarter")
    typed = args.quarter or args.period
    other = periods.parse_code(args.quarter) if args.quarter else None  # a month given as a quarter, say
    if other is not None and other.kind is not periods.Kind.QUARTER:
        raise ValidationFailed(f"--quarter {args.quarter[:20]}: use a quarter such as 2026-Q3 or q3")
    return periods.parse(typed, core.clock.today(), kinds=evidence.EVIDENCE_PERIODS)  # 2026-Q3, q3, quarter


async def cmd_evidence(core: Core, args: argparse.Namespace) -> int:
    """The evidence pack as HTML and CSV files, with progress on the terminal."""
    from reports.evidence_html import evidence_csv, evidence_html  # heavy: imported only when this command runs

    period = chosen_quarter(core, args)
    framework, clock = core.chat.framework, core.clock

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        with tqdm(total=STEPS, desc=f"evidence {period.label}", file=sys.stderr, leave=False) as bar:

            def advance(step: str) -> None:
                bar.set_postfix_str(step[:40])
                bar.update()

            async with uow() as unit:
                pack = await evidence.evidence_pack(unit, period, framework, clock.today(), clock.zone, advance)
            html = await asyncio.to_thread(evidence_html, pack)
            bar.update()
            files = evidence_csv(pack)
            bar.update()
        out = Path(args.out or "var/evidence")
        page = out / f"evidence-{period.code}.html"
        tables = out / f"evidence-{period.code}-csv"
        await asyncio.to_thread(tables.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(page.write_text, html, "utf-8")
        for name, text in files.items():
            await asyncio.to_thread((tables / name).write_text, text, "utf-8")
        say(f"wrote {page} ({len(html):,} bytes): the inspection evidence pack for {period.label}")
        say(f"wrote {len(files)} CSV files, one per table, in {tables}/")
        for label, value in pack.headline:
            say(f"  {label}: {value}")
        return 0

    return await with_database(core, work)
