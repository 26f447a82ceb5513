"""`plf assign`, `export` and `playground-config`: audits from a terminal."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from composition import Core
from plf_cli.playground import playground_config
from plf_cli.running import Subparsers, qa_actor, say, with_database
from plf_core import assigning
from plf_core.errors import ValidationFailed
from plf_core.ports import AbstractUnitOfWork, PersonSummary, UnitOfWorkFactory
from plf_core.vocabulary import OPEN_AUDIT_STATUSES, Role
from store import directory
from store.database import session_factory


def register(sub: Subparsers) -> None:
    a = sub.add_parser("assign", help="start a Practice Learning Conversation: assign CASE to PERSON [with SECOND]")
    a.add_argument("case")
    a.add_argument("to", metavar="to")
    a.add_argument("person")
    a.add_argument("with_word", nargs="?", metavar="with")
    a.add_argument("second", nargs="?")
    a.add_argument("--anyway", action="store_true", help="assign a case of another team without asking")
    a.add_argument("--by", help="the QA person acting (email); default: the first QA officer")
    a.set_defaults(run=cmd_assign)
    g = sub.add_parser("playground-config", help="write the Agents Playground's config to act as a demo person")
    g.add_argument("--as", dest="as_person", help="email or id of the person (default: a practitioner)")
    g.add_argument("--out", default="var/playground/.m365agentsplayground.yml")
    g.add_argument("--with-audit", action="store_true", help="assign them one of their cases if they have no audit")
    g.set_defaults(run=cmd_playground_config)
    e = sub.add_parser("export", help="write an audit as printable HTML (the file uploaded to Azeus)")
    e.add_argument("audit_id", type=int)
    e.add_argument("--out", help="the HTML file to write (default var/exports/audit-ID.html)")
    e.set_defaults(run=cmd_export)


async def cmd_assign(core: Core, args: argparse.Namespace) -> int:
    if args.to.lower() != "to":
        raise ValidationFailed("usage: plf assign CASE to PERSON [with SECOND_PERSON]")

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with uow() as unit:
            actor = await qa_actor(unit, args.by)
            today = core.clock.today()
            reply = await assigning.assign(
                unit, actor, args.case, args.person, args.second, today, "plf assign", anyway=args.anyway
            )
        say(reply.text)
        return 0

    return await with_database(core, work)


async def cmd_export(core: Core, args: argparse.Namespace) -> int:
    from cards.screens import prefilled  # heavy: imported only when this command runs
    from plf_cli.export import audit_html
    from reports.outcomes_chart import outcomes_chart_png

    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with uow() as unit:
            audit = await unit.audits.get(args.audit_id)
            if audit is None:
                raise ValidationFailed(f"there is no audit {args.audit_id}")
            await unit.access.log(None, "export", audit.id, "plf export", "ok")
            picture = await unit.reports.outcomes_picture(audit.id)
        has_scales = picture is not None and (picture.scales.practitioner or picture.scales.child)
        png = await asyncio.to_thread(outcomes_chart_png, picture) if picture is not None and has_scales else None
        out = Path(args.out or f"var/exports/audit-{audit.id}.html")
        html = audit_html(audit, prefilled(audit), core.clock.now(), png)
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_text, html, "utf-8")
        say(
            f"wrote {out} ({len(html):,} bytes): audit {audit.id}, case "
            f"{audit.case.azeus_number if audit.case else '-'}, {audit.status.value.replace('_', ' ')}"
        )
        return 0

    return await with_database(core, work)


async def _give_an_audit(core: Core, unit: AbstractUnitOfWork, person: PersonSummary) -> None:
    """So the demo person has something to complete: one of their own cases, with their Practice Lead."""
    actor = await unit.people.actor_of(person.person_id)
    if actor is None:
        raise ValidationFailed(f"{person.name} is no longer active in the directory")
    own = [
        a
        for a in await unit.audits.open_for(actor)
        if a.practitioner_id == person.person_id and a.status in OPEN_AUDIT_STATUSES
    ]
    if own:
        say(f"{person.name} already has open audit {own[0].id}")
        return
    cases = await unit.people.cases_of(person.person_id, limit=1)
    if not cases:
        say(f"{person.name} has no cases of their own to audit")
        return
    lead_id = cases[0].practice_lead_id
    lead = await unit.people.find_person(str(lead_id)) if lead_id and lead_id != person.person_id else None
    qa = await qa_actor(unit, None)
    second = lead.email if lead else None
    today = core.clock.today()
    reply = await assigning.assign(
        unit, qa, cases[0].azeus_number, person.email, second, today, "plf playground-config"
    )
    say(reply.text)


async def cmd_playground_config(core: Core, args: argparse.Namespace) -> int:
    async def work(engine: AsyncEngine, uow: UnitOfWorkFactory) -> int:
        async with session_factory(engine)() as session:
            practitioners = await directory.list_people(session, role=Role.PRACTITIONER)
            everyone = await directory.list_people(session)
        async with uow() as unit:
            person = await unit.people.find_person(args.as_person or str(practitioners[0].id))
            if person is None:
                raise ValidationFailed(f"there is no person '{args.as_person}'")
            if args.with_audit:
                await _give_an_audit(core, unit, person)
        listing = next(p for p in everyone if p.id == person.person_id)
        out = Path(args.out)
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_text, playground_config(listing), "utf-8")
        say(
            f"the Playground will act as {listing.display_name} <{listing.email}> "
            f"({', '.join(r.value for r in listing.roles)}, team {listing.team_code or '-'}): {out}"
        )
        return 0

    return await with_database(core, work)
