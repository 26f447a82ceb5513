"""`plf migrate`, `demo`, `import`, `people` and `serve`: the database and the directory in it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from composition import Core
from plf_cli.running import Subparsers, say, where, with_database
from plf_cli.workers import MAX_WORKERS
from plf_core.demo_borough import build_demo_borough
from plf_core.errors import PlfError, ValidationFailed
from plf_core.ports import UnitOfWorkFactory
from plf_core.vocabulary import Role
from store import directory, migrate
from store.database import is_sqlite, normalise_url, session_factory
from store.demo import load_demo, load_feedback_history, load_history
from store.importer import ImportKind, ImportReport, import_csv

MISSING_SHOWN = 20


def register(sub: Subparsers) -> None:
    m = sub.add_parser("migrate", help="apply database migrations (or --down REV to go back)")
    m.add_argument("--down", metavar="REV", help="downgrade to this revision ('base' for none)")
    m.set_defaults(run=cmd_migrate)
    d = sub.add_parser("demo", help="load the synthetic demo borough")
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--if-empty", action="store_true", help="only if the database has no people or cases")
    d.add_argument(
        "--history",
        action="store_true",
        help="also a synthetic year of returned audits (for reports and outcomes charts), if there are no audits yet",
    )
    d.set_defaults(run=cmd_demo)
    i = sub.add_parser("import", help="import teams, people or cases from a CSV file")
    i.add_argument("kind", choices=[k.value for k in ImportKind])
    i.add_argument("file")
    i.add_argument("--skip-bad", action="store_true", help="import the good rows and list the bad ones")
    i.add_argument("--yes", action="store_true", help="let empty cells clear stored values (each is listed first)")
    i.set_defaults(run=cmd_import)
    p = sub.add_parser("people", help="list people with their ids, roles and team")
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--team")
    p.set_defaults(run=cmd_people)
    s = sub.add_parser("serve", help="serve the bot (POST /api/messages, GET /healthz)")
    s.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes sharing the port, to use every core (PostgreSQL only; default 1)",
    )
    s.set_defaults(run=cmd_serve)


def counts_line(core: Core, counts: directory.DirectoryCounts) -> str:
    return (
        f"database {where(core)}: {counts.people} people, {counts.teams} teams in "
        f"{counts.service_areas} service areas, {counts.cases} cases"
    )


async def cmd_migrate(core: Core, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        before = await migrate.current_revision(engine)
        if args.down:
            await migrate.downgrade(engine, args.down)
        else:
            await migrate.upgrade(engine)
        after = await migrate.current_revision(engine)
        say(f"database {where(core)}: schema {before or 'empty'} -> {after or 'empty'}")
        if not args.down:
            await _calendar(core, engine)
        return 0

    return await with_database(core, work)


async def _calendar(core: Core, engine: AsyncEngine) -> None:
    """The cycle calendar the configuration sets; a broken timetable leaves it to the bot's first sweep
    (the schema is migrated all the same, and the bot will not start until the timetable is mended)."""
    try:
        framework = core.chat.framework
    except ValidationFailed as exc:
        print(f"audit cycles not made: {exc}", file=sys.stderr, flush=True)
        return
    added = await migrate.ensure_calendar(engine, framework, core.clock.today())
    cycles = framework.cycles_around(core.clock.today())
    say(f"audit cycles ({framework.cycle}ly): {cycles[0].label} to {cycles[-1].label}, {added} added")


async def cmd_demo(core: Core, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        sessions = session_factory(engine)
        async with sessions() as session:
            existing = await directory.counts(session)
        if args.if_empty and existing.people + existing.cases > 0:
            say(counts_line(core, existing) + " (kept as it is: not empty)")
        else:
            counts = await load_demo(sessions, build_demo_borough(seed=args.seed), core.clock)
            say(f"loaded the synthetic demo borough (seed {args.seed})")
            say(counts_line(core, counts))
        if args.history:
            written = await load_history(sessions, core.clock.today(), args.seed)
            say(
                f"added a synthetic year of {written:,} returned audits (grades, outcome scales, moderations, actions)"
                if written
                else "the database already holds audits: no synthetic history added"
            )
            answered = await load_feedback_history(sessions, core.feedback_form, core.clock.today(), args.seed)
            if answered:
                say(f"added {answered:,} synthetic families' feedback answers on the demo cases")
        return 0

    return await with_database(core, work)


async def cmd_import(core: Core, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    kind = ImportKind(args.kind)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        total = max(0, data.count(b"\n") - 1)
        shown = None if total > 2000 else True  # a progress bar only for a long file
        with tqdm(total=total, unit="row", desc=f"import {kind}", file=sys.stderr, disable=shown, leave=False) as bar:
            report = await import_csv(
                session_factory(engine),
                kind,
                data,
                now=core.clock.now(),
                skip_bad=args.skip_bad,
                clear=args.yes,
                progress=bar.update,
            )
        _print_import(path, report)
        return 0

    return await with_database(core, work)


def _print_import(path: Path, report: ImportReport) -> None:
    kind = report.kind
    say(
        f"{path.name}: {report.rows} {kind} row(s) read: {report.new} new, "
        f"{report.changed} changed, {report.unchanged} unchanged"
    )
    if report.cleared:
        say(f"cleared (--yes): {', '.join(report.cleared)}")
    if report.feedback_not_asked:
        shown = ", ".join(report.feedback_not_asked[:MISSING_SHOWN])
        say(
            f"{len(report.feedback_not_asked)} case(s) closed on a day over 28 days ago or still to come, so "
            f"nobody was asked about closure feedback (check the closed_on dates): {shown}"
        )
    if report.feedback_asked:
        say(
            f"{report.feedback_asked} case(s) closed: each allocated worker is asked, by card, whether to send "
            "the family a feedback link"
        )
    for note in report.notes:
        say(f"note: {note}")
    if report.skipped:
        say(f"skipped {len(report.skipped)} problem(s) (--skip-bad):")
        for problem in report.skipped:
            say(f"  {problem}")
    if report.missing:
        shown = ", ".join(report.missing[:MISSING_SHOWN])
        more = f" and {len(report.missing) - MISSING_SHOWN} more" if len(report.missing) > MISSING_SHOWN else ""
        say(f"{len(report.missing)} {kind} in the database are not in this file (kept, not deleted): {shown}{more}")


async def cmd_people(core: Core, args: argparse.Namespace) -> int:
    role = Role(args.role) if args.role else None

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with session_factory(engine)() as session:
            if args.team and args.team.lower() not in await directory.team_ids(session):
                raise ValidationFailed(f"unknown team '{args.team}'")
            people = await directory.list_people(session, role=role, team_code=args.team)
        # the email first after the id: it is what `make playground AS=...` and `assign` take
        say(f"{'id':>5}  {'email':40}  {'team':8}  {'name':28}  {'Entra object id':36}  roles")
        for p in people:
            flag = "" if p.reachable else "  (unreachable)"
            say(
                f"{p.id:>5}  {p.email or '-':40}  {p.team_code or '-':8}  {p.display_name:28}  "
                f"{p.aad_object_id:36}  {','.join(r.value for r in p.roles)}{flag}"
            )
        say(f"{len(people)} people")
        return 0

    return await with_database(core, work)


async def cmd_serve(core: Core, args: argparse.Namespace) -> int:
    """Checks before serving: the timetable and the schema; then main() serves (outside this event loop)."""
    rules = core.chat.rules  # a bad timetable stops start-up, naming the line and the rule
    _check_workers(core, args.workers)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        revision = await migrate.current_revision(engine)
        if revision != migrate.head_revision():
            raise PlfError(
                f"the database schema is at {revision or 'nothing'}, not "
                f"{migrate.head_revision()}: run `plf migrate` first"
            )
        async with session_factory(engine)() as session:
            say(counts_line(core, await directory.counts(session)))
        return 0

    status = await with_database(core, work)
    if status == 0:
        from app import describe_start

        say(f"timetable: {len(rules)} rules from {core.settings.timetable_file or 'the shipped default'}")
        say(describe_start(core.settings))
        say(f"health check: http://{core.settings.host}:{core.settings.port}/healthz")
        if args.workers > 1:
            say(f"{args.workers} worker processes share the port")
    return status


def _check_workers(core: Core, workers: int) -> None:
    if not 1 <= workers <= MAX_WORKERS:
        raise PlfError(f"--workers is 1 to {MAX_WORKERS}, not {workers}")
    if workers > 1 and is_sqlite(normalise_url(core.settings.database_url)):
        raise PlfError(
            f"--workers {workers} needs PostgreSQL: an SQLite file takes one writer at a time, "
            "so one process serves it (leave out --workers, or set DATABASE_URL to PostgreSQL)"
        )
