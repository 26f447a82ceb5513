"""`plf`: the bot's terminal command. Each group of subcommands registers itself beside its handlers
(plf_cli/database.py, audits.py, layered.py, chat.py, reports.py, evidence.py, retention.py, tools.py); this
module reads the settings once, builds the same core as the bot (app.build_core), runs the command
and turns any refusal into one line on standard error and exit status 2."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from composition import build_core
from logs import configure_logging
from plf_cli import audits, chat, database, evidence, layered, reports, retention, tools
from plf_core.errors import AskFirst, PlfError, ValidationFailed
from settings import load_settings
from store.database import DatabaseUnavailable

GROUPS = (database, audits, layered, chat, reports, evidence, retention, tools)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plf", description="Practice Learning Framework bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def _refused(command: str, message: str, details: Sequence[object] = ()) -> int:
    print(f"plf {command}: {message}", file=sys.stderr)
    for detail in details:
        print(f"  {detail}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        core = build_core(settings)
        status = int(asyncio.run(args.run(core, args)))
    except ValidationFailed as exc:
        return _refused(args.command, str(exc), exc.problems)
    except AskFirst as exc:  # a terminal cannot press a button: say what each answer is typed as
        answers = [f"{a.label}: {a.detail or ''} (type {a.by or a.add.strip() or a.label})" for a in exc.answers]
        return _refused(args.command, str(exc), [a.replace(":  (", ": (") for a in answers])
    except (PlfError, DatabaseUnavailable) as exc:
        return _refused(args.command, str(exc))
    except SQLAlchemyError as exc:
        first = str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0][:200]
        return _refused(args.command, f"the database refused: {first} (is it migrated? run `plf migrate`)")
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `plf people | head`: the reader has all it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush does not complain either
        return 0
    if status == 0 and args.command == "serve":
        if args.workers > 1:
            from plf_cli.workers import serve_workers

            return serve_workers(settings, args.workers)
        from app import serve

        serve(settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
