"""`plf sample` and `plf moderate`: the layered audit's draws from a terminal, previewed first."""

from __future__ import annotations

import argparse
import secrets

from sqlalchemy.ext.asyncio import AsyncEngine

from composition import Core
from plf_cli.running import Subparsers, confirmed, qa_actor, say, with_database
from plf_core import chat_commands, layered, periods
from plf_core.chat import MONTHS
from plf_core.ports import UnitOfWorkFactory

ACTING = "the QA person acting (email; default the first QA officer)"


def register(sub: Subparsers) -> None:
    sp = sub.add_parser(
        "sample",
        help="draw a reproducible sample and assign its audits (preview first)",
        description="WORDS as in the chat command: "
        "<number|quota> [random|systematic|by team|by cohort] [cohort cp,cla] [team T] [area A] [legal L] "
        "[age 0-10] [ehcp yes|no] [unaudited 6] [seed 42]",
    )
    sp.add_argument("words", nargs="+")
    sp.add_argument("--yes", action="store_true", help="create without asking")
    sp.add_argument("--by", help=ACTING)
    sp.set_defaults(run=cmd_sample)
    mo = sub.add_parser("moderate", help="choose a month's audits for moderation, ask the moderators (preview first)")
    mo.add_argument("month", nargs="?", help="YYYY-MM (default: this month)")
    mo.add_argument("--yes", action="store_true", help="send without asking")
    mo.add_argument("--by", help=ACTING)
    mo.set_defaults(run=cmd_moderate)


async def cmd_sample(core: Core, args: argparse.Namespace) -> int:
    """`plf sample 12 by team cohort cp seed 4`: the preview, then (confirmed) the audits."""
    spec = chat_commands.parse_sample(" ".join(args.words))
    seed = spec.seed if spec.seed is not None else secrets.randbelow(1_000_000)
    today = core.clock.today()

    async def run(uow: UnitOfWorkFactory, confirm: str | None) -> layered.SamplePreview | str:
        async with uow() as unit:
            actor = await qa_actor(unit, args.by)
            how = spec.size, spec.method, spec.criteria, seed, confirm, today
            return await layered.sample(unit, actor, *how, "plf sample", core.chat.framework, dip_id=spec.dip_id)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        preview = await run(uow, None)
        assert isinstance(preview, layered.SamplePreview)
        d = preview.draw
        say(f"Sample preview (nothing created yet): {d.method.value.replace('_', ' ')}, seed {d.seed}")
        say(f"  criteria: {d.criteria.describe()}")
        say(f"  cases matching: {d.population_size:,}; selected: {len(d.picks):,}")
        for name, count in d.strata.items():
            say(f"  {name}: {count}")
        for problem in d.shortfalls:
            say(f"  note: {problem}")
        say(f"  the same draw again: plf {preview.command}")
        if not confirmed(f"Create {len(d.picks)} audits?", args.yes):
            return 0
        done = await run(uow, preview.fingerprint)
        say(done if isinstance(done, str) else "The cases changed while you decided; nothing was created.")
        return 0 if isinstance(done, str) else 1

    return await with_database(core, work)


async def cmd_moderate(core: Core, args: argparse.Namespace) -> int:
    """`plf moderate [2026-11]`: the month's moderation choice, then (confirmed) the requests."""
    today = core.clock.today()
    month = periods.parse(args.month, today, kinds=MONTHS).starts if args.month else today.replace(day=1)

    async def run(uow: UnitOfWorkFactory, confirm: str | None) -> layered.ModeratePreview | str:
        async with uow() as unit:
            actor = await qa_actor(unit, args.by)
            return await layered.choose_moderations(unit, actor, month, core.chat.moderation, confirm, today)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        preview = await run(uow, None)
        if isinstance(preview, str):
            say(preview)
            return 0
        say(f"Moderation for {preview.month:%B %Y} (nothing sent yet): {preview.returned} audits returned")
        for stream, count in preview.selection.by_stream().items():
            say(f"  {stream.replace('_', ' ')}: {count}")
        for problem in preview.selection.problems:
            say(f"  note: {problem}")
        if not confirmed(f"Send {len(preview.selection.requests)} moderation requests?", args.yes):
            return 0
        done = await run(uow, preview.fingerprint)
        say(done if isinstance(done, str) else "The returns changed while you decided; nothing was sent.")
        return 0 if isinstance(done, str) else 1

    return await with_database(core, work)
