"""`plf`: migrate, load the demo borough, import directory CSVs, list people, serve."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from logs import configure_logging
from plf_core.demo_borough import build_demo_borough
from plf_core.errors import PlfError, Problem, ValidationFailed
from plf_core.vocabulary import Role
from settings import Settings, load_settings
from store import directory, migrate
from store.database import (
    DatabaseUnavailable,
    create_engine,
    masked,
    normalise_url,
    ping,
    session_factory,
)
from store.demo import load_demo, load_history
from store.importer import ImportKind, import_csv

MISSING_SHOWN = 20
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _say(message: str) -> None:
    print(message, flush=True)


async def _with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[int]]) -> int:
    engine = create_engine(normalise_url(settings.database_url))
    try:
        await ping(engine)
        return await work(engine)
    finally:
        await engine.dispose()


def _where(settings: Settings) -> str:
    return masked(normalise_url(settings.database_url))


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine) -> int:
        before = await migrate.current_revision(engine)
        if args.down:
            await migrate.downgrade(engine, args.down)
        else:
            await migrate.upgrade(engine)
        after = await migrate.current_revision(engine)
        _say(f"database {_where(settings)}: schema {before or 'empty'} -> {after or 'empty'}")
        return 0

    return await _with_engine(settings, work)


def _counts_line(settings: Settings, counts: directory.DirectoryCounts) -> str:
    return (
        f"database {_where(settings)}: {counts.people} people, {counts.teams} teams in "
        f"{counts.service_areas} service areas, {counts.cases} cases"
    )


async def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine) -> int:
        sessions = session_factory(engine)
        async with sessions() as session:
            existing = await directory.counts(session)
        clock = settings.clock()
        today = clock.today()
        if args.if_empty and existing.people + existing.cases > 0:
            _say(_counts_line(settings, existing) + " (kept as it is: not empty)")
        else:
            counts = await load_demo(sessions, build_demo_borough(seed=args.seed), clock)
            _say(f"loaded the synthetic demo borough (seed {args.seed})")
            _say(_counts_line(settings, counts))
        if args.history:
            written = await load_history(sessions, today, args.seed)
            _say(
                f"added a synthetic year of {written:,} returned audits (grades, outcome scales, moderations, actions)"
                if written
                else "the database already holds audits: no synthetic history added"
            )
        return 0

    return await _with_engine(settings, work)


async def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    kind = ImportKind(args.kind)

    async def work(engine: AsyncEngine) -> int:
        total = max(0, data.count(b"\n") - 1)
        with tqdm(
            total=total,
            unit="row",
            desc=f"import {kind}",
            file=sys.stderr,
            disable=None if total > 2000 else True,
            leave=False,
        ) as bar:
            report = await import_csv(
                session_factory(engine),
                kind,
                data,
                now=settings.clock().now(),
                skip_bad=args.skip_bad,
                progress=bar.update,
            )
        _say(
            f"{path.name}: {report.rows} {kind} row(s) read: {report.new} new, "
            f"{report.changed} changed, {report.unchanged} unchanged"
        )
        for note in report.notes:
            _say(f"note: {note}")
        if report.skipped:
            _say(f"skipped {len(report.skipped)} problem(s) (--skip-bad):")
            for problem in report.skipped:
                _say(f"  {problem}")
        if report.missing:
            shown = ", ".join(report.missing[:MISSING_SHOWN])
            more = f" and {len(report.missing) - MISSING_SHOWN} more" if len(report.missing) > MISSING_SHOWN else ""
            _say(
                f"{len(report.missing)} {kind} in the database are not in this file (kept, not deleted): {shown}{more}"
            )
        return 0

    return await _with_engine(settings, work)


async def cmd_people(settings: Settings, args: argparse.Namespace) -> int:
    role = Role(args.role) if args.role else None

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session:
            if args.team and args.team.lower() not in await directory.team_ids(session):
                raise ValidationFailed(f"unknown team '{args.team}'")
            people = await directory.list_people(session, role=role, team_code=args.team)
        _say(f"{'id':>5}  {'Entra object id':36}  {'team':8}  {'name':28}  roles")
        for p in people:
            flag = "" if p.reachable else "  (unreachable)"
            _say(
                f"{p.id:>5}  {p.aad_object_id:36}  {p.team_code or '-':8}  {p.display_name:28}  "
                f"{','.join(r.value for r in p.roles)}{flag}"
            )
        _say(f"{len(people)} people")
        return 0

    return await _with_engine(settings, work)


async def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from scheduler.timetable_file import load_timetable

    rules = load_timetable(settings.timetable_file)  # a bad timetable stops start-up, naming the rule

    async def work(engine: AsyncEngine) -> int:
        revision = await migrate.current_revision(engine)
        if revision != migrate.head_revision():
            raise PlfError(
                f"the database schema is at {revision or 'nothing'}, not "
                f"{migrate.head_revision()}: run `plf migrate` first"
            )
        async with session_factory(engine)() as session:
            _say(_counts_line(settings, await directory.counts(session)))
        return 0

    status = await _with_engine(settings, work)
    if status == 0:
        from app import describe_start

        _say(f"timetable: {len(rules)} rules from {settings.timetable_file or 'the shipped default'}")
        _say(describe_start(settings))
        _say(f"health check: http://{settings.host}:{settings.port}/healthz")
    return status


async def cmd_cards(settings: Settings, args: argparse.Namespace) -> int:
    import shutil

    from plf_cli.card_catalogue import screenshot, validate_with_renderer, write_catalogue

    root = PROJECT_ROOT
    out = Path(args.out)
    renderer = root / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"
    if not await asyncio.to_thread(renderer.is_file):
        raise PlfError("the Adaptive Cards renderer is not installed: run `npm ci` (make cards does)")
    paths = await asyncio.to_thread(write_catalogue, out, renderer)
    _say(f"wrote {len(paths)} cards to {out / 'json'} and the gallery {out / 'gallery.html'}")
    report = await asyncio.to_thread(validate_with_renderer, paths, root)
    with_events = {k: v for k, v in report.items() if v["events"]}
    largest = max(report.items(), key=lambda kv: int(str(kv[1]["bytes"])))
    over = [k for k, v in report.items() if int(str(v["bytes"])) > 28 * 1024]
    _say(
        f"official renderer (schema 1.5): {len(report) - len(with_events)} of {len(report)} cards "
        f"with zero events; largest {Path(largest[0]).stem} at {largest[1]['bytes']:,} bytes; "
        f"{len(over)} over 28 KB"
    )
    for name, result in with_events.items():
        _say(f"  {Path(name).stem}: {result['events']}")
    if args.no_screenshots:
        return 1 if with_events or over else 0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise PlfError(
            "no Chromium for the screenshots: install Debian's 'chromium' (make cards does) or pass --no-screenshots"
        )
    _say(await asyncio.to_thread(screenshot, out / "gallery.html", out / "png", root, chromium))
    return 1 if with_events or over else 0


async def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.render import prefilled
    from plf_cli.export import audit_html
    from store.audit_store import SqlAuditStore

    clock = settings.clock()

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session, session.begin():
            store = SqlAuditStore(session, clock)
            audit = await store.audit(args.audit_id)
            if audit is None:
                raise ValidationFailed(f"there is no audit {args.audit_id}")
            await store.log_access(None, "export", audit.id, "plf export", "ok")
        out = Path(args.out or f"var/exports/audit-{audit.id}.html")
        html = audit_html(audit, prefilled(audit), clock.now())
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_text, html, "utf-8")
        _say(
            f"wrote {out} ({len(html):,} bytes): audit {audit.id}, case "
            f"{audit.case.azeus_number if audit.case else '-'}, {audit.status.value.replace('_', ' ')}"
        )
        return 0

    return await _with_engine(settings, work)


async def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    """The highlight report as HTML and CSV files, with progress on the terminal."""
    from plf_core import periods
    from plf_core.report_command import REPORT_PERIODS
    from reports.highlight_html import highlight_csv, highlight_html
    from store.report_store import highlight_report, report_scope

    clock = settings.clock()
    now = clock.now()
    given = [p for p in (args.period, args.quarter, args.month) if p]
    if len(given) > 1:
        raise ValidationFailed("give one period: PERIOD, --quarter or --month")
    for flag, typed, kind, example in (
        ("--quarter", args.quarter, "quarter", "2026-Q3"),
        ("--month", args.month, "month", "2026-10"),
    ):
        if typed and getattr(periods.parse_code(typed), "kind", None) != kind:
            raise ValidationFailed(f"{flag} {typed[:20]}: use a {kind} such as {example}")
    period = periods.parse(given[0] if given else None, clock.today(), kinds=REPORT_PERIODS)

    async def work(engine: AsyncEngine) -> int:
        steps = ["scope"] + ["count"] * 4 + ["assemble", "html", "csv"]
        with tqdm(total=len(steps), desc=f"report {period.label}", file=sys.stderr, leave=False) as bar:
            async with session_factory(engine)() as session:
                area_id, scope = await report_scope(session, args.service)
                bar.update()

                def advance(step: str) -> None:
                    bar.update()

                report = await highlight_report(session, period, area_id, scope, now, clock.zone, advance)
            html = await asyncio.to_thread(highlight_html, report)
            bar.update()
            files = highlight_csv(report)
            bar.update()
        slug = period.code + ("" if area_id is None else "-" + re.sub(r"[^a-z0-9]+", "-", scope.lower()).strip("-"))
        out = Path(args.out or "var/reports")
        page = out / f"highlight-{slug}.html"
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(page.write_text, html, "utf-8")
        tables = out / f"highlight-{slug}-csv"
        await asyncio.to_thread(tables.mkdir, exist_ok=True)
        for name, text in files.items():
            await asyncio.to_thread((tables / name).write_text, text, "utf-8")
        if report.empty:
            _say(f"nothing was assigned, returned or moderated in {period.label} for {scope}: the report says so")
        _say(f"wrote {page} ({len(html):,} bytes): {period.label}, {scope}")
        _say(f"wrote {len(files)} CSV files, one per table, in {tables}/")
        for label, value in report.headline:
            _say(f"  {label}: {value}")
        return 0

    return await _with_engine(settings, work)


async def cmd_package(settings: Settings, args: argparse.Namespace) -> int:
    """appPackage.zip for Teams, validated offline against the official schema."""
    import subprocess

    from plf_cli.package import PLACEHOLDER_APP_ID, build_package

    app_id = args.app_id or settings.microsoft_app_id
    if app_id is None:
        app_id = PLACEHOLDER_APP_ID
        _say("note: no MICROSOFT_APP_ID: the package carries a placeholder app id (fine to validate, not to install)")
    developer = {
        "name": args.developer[:32],
        "websiteUrl": args.website,
        "privacyUrl": args.privacy,
        "termsOfUseUrl": args.terms,
    }
    out = Path(args.out)
    document = await asyncio.to_thread(build_package, out, app_id, settings.base_url, args.version, developer)
    with tempfile.TemporaryDirectory() as folder:
        manifest_file = Path(folder) / "manifest.json"
        manifest_file.write_text(json.dumps(document), "utf-8")
        checked = await asyncio.to_thread(
            subprocess.run,
            ["node", str(PROJECT_ROOT / "tools" / "validate_manifest.js"), str(manifest_file)],
            capture_output=True,
            text=True,
            check=False,
        )
    if checked.returncode != 0:
        found = json.loads(checked.stdout or "{}").get("errors") or [checked.stderr.strip()[:500]]
        problems = [Problem("manifest.json", str(error)) for error in found]
        raise ValidationFailed(
            f"{out}: the manifest does not validate against schema {document['manifestVersion']}", problems
        )
    commands = len(document["bots"][0]["commandLists"][0]["commands"])
    _say(
        f"wrote {out}: manifest {document['manifestVersion']} (valid), app id {app_id}, version {args.version}, "
        f"{commands} commands, validDomains {', '.join(document['validDomains'])}"
    )
    return 0


async def cmd_retention(settings: Settings, args: argparse.Namespace) -> int:
    """What the retention schedule would delete (--dry-run), or delete it (--apply)."""
    import yaml

    from plf_core.retention import RecordType, parse_schedule
    from store import retention_store

    if settings.retention_file is None:
        _say("no retention schedule (RETENTION_FILE is not set): nothing is ever deleted")
        return 0
    try:
        document = yaml.safe_load(settings.retention_file.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(f"{settings.retention_file}: cannot read the retention schedule: {exc}") from None
    schedule = parse_schedule(document)
    clock = settings.clock()

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session, session.begin():
            if args.apply:
                found = await retention_store.apply(session, schedule, clock, "plf retention --apply")
            else:
                found = await retention_store.candidates(session, schedule, clock)
        verb = "deleted" if args.apply else "would delete"
        for record in RecordType:
            days = schedule.keep_days.get(record)
            kept = "kept indefinitely (not in the schedule)" if days is None else f"kept {days:,} days"
            _say(f"{record.value}: {kept}; {verb} {found.counts.get(record, 0):,}")
        if found.held_back:
            _say(f"audits kept under legal hold although past their period: {found.held_back:,}")
        if found.audit_cases and not args.apply:
            _say("cases whose audits would go: " + ", ".join(found.audit_cases))
        if args.apply:
            _say(f"{found.total:,} record(s) deleted; the deletion is written to the access log")
        else:
            _say("dry run: nothing deleted (plf retention --apply deletes it)")
        return 0

    return await _with_engine(settings, work)


async def cmd_legal_hold(settings: Settings, args: argparse.Namespace) -> int:
    from store import retention_store

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session, session.begin():
            done = await retention_store.set_legal_hold(
                session, args.case, not args.release, "plf legal-hold", settings.clock().now()
            )
        if not done:
            raise ValidationFailed(f"there is no case '{args.case[:40]}'")
        _say(f"case {args.case}: legal hold {'released' if args.release else 'on: nothing about it will be deleted'}")
        return 0

    return await _with_engine(settings, work)


async def _qa_actor(store: Any, by: str | None) -> Any:
    """The QA person a terminal command acts as: --by EMAIL, or the first QA officer."""
    from sqlalchemy import select

    from store.models import Person

    if by:
        found = await store.find_person(by)
        if found is None:
            raise ValidationFailed(f"there is no person '{by}'")
        person_id = found.person_id
    else:
        qa = await store.qa_people()
        if not qa:
            raise ValidationFailed("the directory has no QA officer to act as; give --by EMAIL")
        person_id = qa[0]
    person = (await store.session.execute(select(Person).where(Person.id == person_id))).scalar_one()
    return await store.actor(person)


async def cmd_assign(settings: Settings, args: argparse.Namespace) -> int:
    from plf_core import workflow
    from store.audit_store import SqlAuditStore

    if args.to.lower() != "to":
        raise ValidationFailed("usage: plf assign CASE to PERSON [with SECOND_PERSON]")

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session, session.begin():
            clock = settings.clock()
            store = SqlAuditStore(session, clock)
            actor = await _qa_actor(store, args.by)
            reply = await workflow.assign(
                store, actor, args.case, args.person, args.second, clock.today(), "plf assign"
            )
        _say(reply.text.replace("The start card is on its way.", "The running bot will send the start card."))
        return 0

    return await _with_engine(settings, work)


def _confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        _say("Nothing was created. Run the same command with --yes to create it.")
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


async def cmd_sample(settings: Settings, args: argparse.Namespace) -> int:
    """`plf sample 12 by team cohort cp seed 4`: the preview, then (confirmed) the audits."""
    import secrets

    from plf_core import commands, layered
    from store.layered_store import SqlLayeredStore

    spec = commands.parse_sample(" ".join(args.words))
    seed = spec.seed if spec.seed is not None else secrets.randbelow(1_000_000)
    clock = settings.clock()
    today = clock.today()

    async def run(engine: AsyncEngine, confirm: str | None) -> layered.SamplePreview | str:
        async with session_factory(engine)() as session, session.begin():
            store = SqlLayeredStore(session, clock)
            actor = await _qa_actor(store, args.by)
            return await layered.sample(
                store, actor, spec.size, spec.method, spec.criteria, seed, confirm, today, "plf sample"
            )

    async def work(engine: AsyncEngine) -> int:
        preview = await run(engine, None)
        assert isinstance(preview, layered.SamplePreview)
        d = preview.draw
        _say(f"Sample preview (nothing created yet): {d.method.value.replace('_', ' ')}, seed {d.seed}")
        _say(f"  criteria: {d.criteria.describe()}")
        _say(f"  cases matching: {d.population_size:,}; selected: {len(d.picks):,}")
        for name, count in d.strata.items():
            _say(f"  {name}: {count}")
        for problem in d.shortfalls:
            _say(f"  note: {problem}")
        _say(f"  the same draw again: plf {preview.command}")
        if not _confirmed(f"Create {len(d.picks)} audits?", args.yes):
            return 0
        done = await run(engine, preview.fingerprint)
        _say(done if isinstance(done, str) else "The cases changed while you decided; nothing was created.")
        return 0 if isinstance(done, str) else 1

    return await _with_engine(settings, work)


async def cmd_moderate(settings: Settings, args: argparse.Namespace) -> int:
    """`plf moderate [2026-11]`: the month's moderation choice, then (confirmed) the requests."""
    from plf_core import layered, periods
    from plf_core.chat import MONTHS
    from plf_core.moderation import Rules
    from store.layered_store import SqlLayeredStore

    clock = settings.clock()
    today = clock.today()
    month = periods.parse(args.month, today, kinds=MONTHS).starts if args.month else today.replace(day=1)
    rules = Rules(settings.moderation_hos_share, settings.moderation_plr_share, settings.moderation_ad_qa_per_cycle)

    async def run(engine: AsyncEngine, confirm: str | None) -> layered.ModeratePreview | str:
        async with session_factory(engine)() as session, session.begin():
            store = SqlLayeredStore(session, clock)
            actor = await _qa_actor(store, args.by)
            return await layered.choose_moderations(store, actor, month, rules, confirm, today)

    async def work(engine: AsyncEngine) -> int:
        preview = await run(engine, None)
        if isinstance(preview, str):
            _say(preview)
            return 0
        _say(f"Moderation for {preview.month:%B %Y} (nothing sent yet): {preview.returned} audits returned")
        for stream, count in preview.selection.by_stream().items():
            _say(f"  {stream.replace('_', ' ')}: {count}")
        for problem in preview.selection.problems:
            _say(f"  note: {problem}")
        if not _confirmed(f"Send {len(preview.selection.requests)} moderation requests?", args.yes):
            return 0
        done = await run(engine, preview.fingerprint)
        _say(done if isinstance(done, str) else "The returns changed while you decided; nothing was sent.")
        return 0 if isinstance(done, str) else 1

    return await _with_engine(settings, work)


TERMINAL_CHAT = ("remind", "escalate", "timetable", "outbox", "status")


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """`plf remind CLA-N --dry-run` and the like: the chat command, run as a QA officer, its card
    printed as text."""
    from bot.render import screen_card
    from plf_core import chat, workflow
    from plf_core.moderation import Rules
    from plf_core.timetable import Hours
    from scheduler.timetable_file import load_timetable
    from store.layered_store import SqlLayeredStore

    opens, closes = settings.hours
    chat_settings = chat.ChatSettings(
        workflow.Settings(pim_working_days=settings.pim_working_days),
        settings.zone,
        Rules(settings.moderation_hos_share, settings.moderation_plr_share, settings.moderation_ad_qa_per_cycle),
        load_timetable(settings.timetable_file),
        Hours(opens, closes, settings.zone),
    )
    text = " ".join([args.command, *args.words, *(["--dry-run"] if getattr(args, "dry_run", False) else [])])

    clock = settings.clock()

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session, session.begin():
            store = SqlLayeredStore(session, clock)
            actor = await _qa_actor(store, args.by)
            screen = await chat.run(store, actor, text, clock.now(), chat_settings, f"plf {args.command}")
        for line in _card_lines(screen_card(screen)):
            _say(line)
        if store.notices_added:
            _say("(the running bot delivers the messages)")
        return 0

    return await _with_engine(settings, work)


def _card_lines(node: Any) -> list[str]:
    """A card's text and facts, in order, for a terminal."""
    lines: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            lines.append(str(node.get("text", "")))
        elif "title" in node and "value" in node and "type" not in node:
            lines.append(f"  {node['title']}: {node['value']}")
        for key, value in node.items():
            if key not in ("actions", "selectAction", "refresh"):
                lines += _card_lines(value)
    elif isinstance(node, list):
        for value in node:
            lines += _card_lines(value)
    return lines


async def _give_an_audit(store: Any, person: Any, settings: Settings) -> None:
    """So the demo person has something to complete: one of their own cases, with their PL."""
    from sqlalchemy import select

    from plf_core import workflow
    from store.models import Audit, Case, Person, Team

    open_audits = (
        await store.session.execute(
            select(Audit.id).where(
                Audit.practitioner_id == person.person_id, Audit.status.in_(["assigned", "in_progress"])
            )
        )
    ).first()
    if open_audits is not None:
        _say(f"{person.name} already has open audit {open_audits[0]}")
        return
    row = (
        await store.session.execute(
            select(Case.azeus_number, Person.email)
            .join(Team, Case.team_id == Team.id)
            .outerjoin(Person, Team.practice_lead_id == Person.id)
            .where(Case.allocated_worker_id == person.person_id)
            .order_by(Case.id)
        )
    ).first()
    if row is None:
        _say(f"{person.name} has no cases of their own to audit")
        return
    lead = row[1] if row[1] and row[1] != person.email else None
    reply = await workflow.assign(
        store,
        await _qa_actor(store, None),
        row[0],
        person.email,
        lead,
        settings.clock().today(),
        "plf playground-config",
    )
    _say(reply.text.replace("The start card is on its way.", "The start card will arrive in the Playground."))


async def cmd_playground_config(settings: Settings, args: argparse.Namespace) -> int:
    from plf_cli.playground import playground_config
    from store.audit_store import SqlAuditStore

    async def work(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as session:
            store = SqlAuditStore(session, settings.clock())
            person = await store.find_person(args.as_person) if args.as_person else None
            if args.as_person and person is None:
                raise ValidationFailed(f"there is no person '{args.as_person}'")
            if person is None:
                from plf_core.vocabulary import Role

                leads = await directory.list_people(session, role=Role.PRACTITIONER)
                person = await store.find_person(str(leads[0].id))
            assert person is not None
            listing = next(p for p in await directory.list_people(session) if p.id == person.person_id)
            if args.with_audit:
                await _give_an_audit(store, person, settings)
                await session.commit()
        out = Path(args.out)
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_text, playground_config(listing), "utf-8")
        _say(
            f"the Playground will act as {listing.display_name} <{listing.email}> "
            f"({', '.join(r.value for r in listing.roles)}, team {listing.team_code or '-'}): {out}"
        )
        return 0

    return await _with_engine(settings, work)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plf", description="Practice Learning Framework bot")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("migrate", help="apply database migrations (or --down REV to go back)")
    m.add_argument("--down", metavar="REV", help="downgrade to this revision ('base' for none)")
    d = sub.add_parser("demo", help="load the synthetic demo borough")
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--if-empty", action="store_true", help="only if the database has no people or cases")
    d.add_argument(
        "--history",
        action="store_true",
        help="also a synthetic year of returned audits (for reports and outcomes charts), if there are no audits yet",
    )
    i = sub.add_parser("import", help="import teams, people or cases from a CSV file")
    i.add_argument("kind", choices=[k.value for k in ImportKind])
    i.add_argument("file")
    i.add_argument("--skip-bad", action="store_true", help="import the good rows and list the bad ones")
    p = sub.add_parser("people", help="list people with their ids, roles and team")
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--team")
    sub.add_parser("serve", help="serve the bot (POST /api/messages, GET /healthz)")
    a = sub.add_parser("assign", help="start a Practice Learning Conversation: assign CASE to PERSON [with SECOND]")
    a.add_argument("case")
    a.add_argument("to", metavar="to")
    a.add_argument("person")
    a.add_argument("with_word", nargs="?", metavar="with")
    a.add_argument("second", nargs="?")
    a.add_argument("--by", help="the QA person acting (email); default: the first QA officer")
    g = sub.add_parser("playground-config", help="write the Agents Playground's config to act as a demo person")
    g.add_argument("--as", dest="as_person", help="email or id of the person (default: a practitioner)")
    g.add_argument("--out", default="var/playground/.m365agentsplayground.yml")
    g.add_argument("--with-audit", action="store_true", help="assign them one of their cases if they have no audit")
    e = sub.add_parser("export", help="write an audit as printable HTML (the file uploaded to Azeus)")
    e.add_argument("audit_id", type=int)
    e.add_argument("--out", help="the HTML file to write (default var/exports/audit-ID.html)")
    sp = sub.add_parser(
        "sample",
        help="draw a reproducible sample and assign its audits (preview first)",
        description="WORDS as in the chat command: "
        "<number|quota> [random|systematic|by team|by cohort] [cohort cp,cla] [team T] [area A] [legal L] "
        "[age 0-10] [ehcp yes|no] [unaudited 6] [seed 42]",
    )
    sp.add_argument("words", nargs="+")
    sp.add_argument("--yes", action="store_true", help="create without asking")
    sp.add_argument("--by", help="the QA person acting (email; default the first QA officer)")
    mo = sub.add_parser("moderate", help="choose a month's audits for moderation, ask the moderators (preview first)")
    mo.add_argument("month", nargs="?", help="YYYY-MM (default: this month)")
    mo.add_argument("--yes", action="store_true", help="send without asking")
    mo.add_argument("--by", help="the QA person acting (email; default the first QA officer)")
    for name, what in (
        ("remind", "send reminders now: [team|service area] [--dry-run]"),
        ("escalate", "send SLT the overdue reviews now: [--dry-run]"),
        ("timetable", "the notices due in the next [days] days"),
        ("outbox", "messages that could not be delivered"),
        ("status", "returned, outstanding, moderated, overdue actions: [team|service area|2026-Q4]"),
    ):
        t = sub.add_parser(name, help=what)
        t.add_argument("words", nargs="*", help="as in the chat command (e.g. a team or a number of days)")
        if name in ("remind", "escalate"):
            t.add_argument("--dry-run", action="store_true", help="show who would get what; send nothing")
        t.add_argument("--by", help="the QA person acting (email; default the first QA officer)")
    r = sub.add_parser("report", help="the highlight report for a month or a quarter, as HTML and CSV")
    r.add_argument("period", nargs="?", help="month, quarter (the last whole one; default), 2026-10 or 2026-Q3")
    r.add_argument("--quarter", metavar="YYYY-QN", help="a quarter, e.g. 2026-Q3 (the same as giving it as PERIOD)")
    r.add_argument("--month", metavar="YYYY-MM", help="a month, e.g. 2026-10")
    r.add_argument("--service", help="one service area (code or name); default the whole service")
    r.add_argument("--out", help="the folder to write to (default var/reports)")
    rt = sub.add_parser(
        "retention", help="apply the retention schedule (RETENTION_FILE): --dry-run lists, --apply deletes"
    )
    mode = rt.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what would be deleted; delete nothing")
    mode.add_argument("--apply", action="store_true", help="delete it, and write the deletion to the access log")
    lh = sub.add_parser("legal-hold", help="put a case under legal hold (nothing about it is deleted), or --release it")
    lh.add_argument("case", help="the case's Azeus number")
    lh.add_argument("--release", action="store_true")
    k = sub.add_parser("package", help="build the Teams app package (appPackage.zip) and validate its manifest")
    k.add_argument("--out", default="appPackage.zip")
    k.add_argument("--version", default="1.0.0", help="the app's version (bump it for every upload to Teams)")
    k.add_argument("--app-id", help="default MICROSOFT_APP_ID")
    k.add_argument("--developer", default="Children's Services QA", help="the council's name (at most 32 characters)")
    k.add_argument("--website", default="https://www.example.gov.uk/practice-learning")
    k.add_argument("--privacy", default="https://www.example.gov.uk/privacy")
    k.add_argument("--terms", default="https://www.example.gov.uk/terms")
    c = sub.add_parser("cards", help="write the card catalogue, validate it, take screenshots")
    c.add_argument("--out", default="var/cards")
    c.add_argument("--no-screenshots", action="store_true")
    return parser


COMMANDS = {
    "migrate": cmd_migrate,
    "demo": cmd_demo,
    "import": cmd_import,
    "people": cmd_people,
    "serve": cmd_serve,
    "cards": cmd_cards,
    "export": cmd_export,
    "assign": cmd_assign,
    "sample": cmd_sample,
    "moderate": cmd_moderate,
    "report": cmd_report,
    "package": cmd_package,
    "retention": cmd_retention,
    "legal-hold": cmd_legal_hold,
    **{name: cmd_chat for name in TERMINAL_CHAT},
    "playground-config": cmd_playground_config,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        status = asyncio.run(COMMANDS[args.command](settings, args))
    except ValidationFailed as exc:
        print(f"plf {args.command}: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (PlfError, DatabaseUnavailable) as exc:
        print(f"plf {args.command}: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        first = str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0][:200]
        print(f"plf {args.command}: the database refused: {first} (is it migrated? run `plf migrate`)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    if status == 0 and args.command == "serve":
        from app import serve

        serve(settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
