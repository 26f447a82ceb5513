"""`plf retention` and `plf legal-hold`: the council's retention schedule, applied with a record."""

from __future__ import annotations

import argparse

import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from composition import Core
from plf_cli.running import Subparsers, say, with_database
from plf_core.errors import ValidationFailed
from plf_core.ports import UnitOfWorkFactory
from plf_core.retention import Candidates, RecordType, Schedule, parse_schedule
from store import retention_store
from store.database import session_factory


def register(sub: Subparsers) -> None:
    rt = sub.add_parser(
        "retention", help="apply the retention schedule (RETENTION_FILE): --dry-run lists, --apply deletes"
    )
    mode = rt.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what would be deleted; delete nothing")
    mode.add_argument("--apply", action="store_true", help="delete it, and write the deletion to the access log")
    rt.set_defaults(run=cmd_retention)
    lh = sub.add_parser("legal-hold", help="put a case under legal hold (nothing about it is deleted), or --release it")
    lh.add_argument("case", help="the case's Azeus number")
    lh.add_argument("--release", action="store_true")
    lh.set_defaults(run=cmd_legal_hold)


async def cmd_retention(core: Core, args: argparse.Namespace) -> int:
    """What the retention schedule would delete (--dry-run), or delete it (--apply)."""
    path = core.settings.retention_file
    if path is None:
        say("no retention schedule (RETENTION_FILE is not set): nothing is ever deleted")
        return 0
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(f"{path}: cannot read the retention schedule: {exc}") from None
    schedule = parse_schedule(document)

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with session_factory(engine)() as session, session.begin():
            if args.apply:
                found = await retention_store.apply(session, schedule, core.clock, "plf retention --apply")
            else:
                found = await retention_store.candidates(session, schedule, core.clock)
        _print(schedule, found, applied=args.apply)
        return 0

    return await with_database(core, work)


def _print(schedule: Schedule, found: Candidates, *, applied: bool) -> None:
    verb = "deleted" if applied else "would delete"
    for record in RecordType:
        days = schedule.keep_days.get(record)
        kept = "kept indefinitely (not in the schedule)" if days is None else f"kept {days:,} days"
        say(f"{record.value}: {kept}; {verb} {found.counts.get(record, 0):,}")
    if found.held_back:
        say(f"audits kept under legal hold although past their period: {found.held_back:,}")
    if found.feedback_held_back:
        say(f"feedback links kept under legal hold although past their period: {found.feedback_held_back:,}")
    if found.audit_cases and not applied:
        say("cases whose audits would go: " + ", ".join(found.audit_cases))
    if applied:
        say(f"{found.total:,} record(s) deleted; the deletion is written to the access log")
    else:
        say("dry run: nothing deleted (plf retention --apply deletes it)")


async def cmd_legal_hold(core: Core, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with session_factory(engine)() as session, session.begin():
            held = not args.release
            done = await retention_store.set_legal_hold(session, args.case, held, "plf legal-hold", core.clock.now())
        if not done:
            raise ValidationFailed(f"there is no case '{args.case[:40]}'")
        say(f"case {args.case}: legal hold {'released' if args.release else 'on: nothing about it will be deleted'}")
        return 0

    return await with_database(core, work)
