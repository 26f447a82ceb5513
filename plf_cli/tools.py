"""`plf package` and `plf cards`: the Teams app package and the card catalogue, each checked; `plf
feedback-catalogue`: the feedback page's message catalogue."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from composition import Core
from plf_cli.package import PLACEHOLDER_APP_ID, build_package
from plf_cli.running import Subparsers, say
from plf_core.errors import PlfError, Problem, ValidationFailed

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def register(sub: Subparsers) -> None:
    k = sub.add_parser("package", help="build the Teams app package (appPackage.zip) and validate its manifest")
    k.add_argument("--out", default="appPackage.zip")
    k.add_argument("--version", default="1.0.0", help="the app's version (bump it for every upload to Teams)")
    k.add_argument("--app-id", help="default MICROSOFT_APP_ID")
    k.add_argument("--developer", default="Children's Services QA", help="the council's name (at most 32 characters)")
    k.add_argument("--website", default="https://www.example.gov.uk/practice-learning")
    k.add_argument("--privacy", default="https://www.example.gov.uk/privacy")
    k.add_argument("--terms", default="https://www.example.gov.uk/terms")
    k.set_defaults(run=cmd_package)
    c = sub.add_parser("cards", help="write the card catalogue, validate it, take screenshots")
    c.add_argument("--out", default="var/cards")
    c.add_argument("--no-screenshots", action="store_true")
    c.set_defaults(run=cmd_cards)
    f = sub.add_parser(
        "feedback-catalogue",
        help="write the feedback page's message catalogue template and say what each language lacks",
    )
    f.add_argument("--check", action="store_true", help="only say what each language lacks; write nothing")
    f.set_defaults(run=cmd_feedback_catalogue)


async def cmd_feedback_catalogue(core: Core, args: argparse.Namespace) -> int:
    """feedback_web/locales/messages.pot (and the English catalogue) from the templates, the code and the form."""
    from feedback_web import catalogue
    from feedback_web.languages import SHIPPED, Languages

    form, extra = core.feedback_form, core.settings.feedback_locales_dir
    if not args.check:
        for path in catalogue.write_catalogues(form, core.clock.now()):
            say(f"wrote {path.relative_to(PROJECT_ROOT)}")
    folders = [SHIPPED, *([extra] if extra else [])]
    for code, missing in catalogue.untranslated(form, Languages(extra), folders).items():
        say(f"{code}: {len(missing)} sentences not translated yet" + "".join(f"\n  {m}" for m in missing))
    return 0


async def cmd_package(core: Core, args: argparse.Namespace) -> int:
    """appPackage.zip for Teams, validated offline against the official schema."""
    app_id = args.app_id or core.settings.microsoft_app_id
    if app_id is None:
        app_id = PLACEHOLDER_APP_ID
        say("note: no MICROSOFT_APP_ID: the package carries a placeholder app id (fine to validate, not to install)")
    developer = {
        "name": args.developer[:32],
        "websiteUrl": args.website,
        "privacyUrl": args.privacy,
        "termsOfUseUrl": args.terms,
    }
    out = Path(args.out)
    document = await asyncio.to_thread(build_package, out, app_id, core.settings.base_url, args.version, developer)
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
    say(
        f"wrote {out}: manifest {document['manifestVersion']} (valid), app id {app_id}, version {args.version}, "
        f"{commands} commands, validDomains {', '.join(document['validDomains'])}"
    )
    return 0


async def cmd_cards(core: Core, args: argparse.Namespace) -> int:
    from plf_cli.card_catalogue import (  # heavy: imported only when this command runs
        journey,
        screenshot,
        validate_with_renderer,
        write_catalogue,
    )

    root = PROJECT_ROOT
    out = Path(args.out)
    renderer = root / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"
    if not await asyncio.to_thread(renderer.is_file):
        raise PlfError("the Adaptive Cards renderer is not installed: run `npm ci` (make cards does)")
    paths = await asyncio.to_thread(write_catalogue, out, renderer)
    say(f"wrote {len(paths)} cards to {out / 'json'} and the gallery {out / 'gallery.html'}")
    report = await asyncio.to_thread(validate_with_renderer, paths, root)
    with_events = {k: v for k, v in report.items() if v["events"]}
    largest = max(report.items(), key=lambda kv: int(str(kv[1]["bytes"])))
    over = [k for k, v in report.items() if int(str(v["bytes"])) > 28 * 1024]
    say(
        f"official renderer (schema 1.5): {len(report) - len(with_events)} of {len(report)} cards "
        f"with zero events; largest {Path(largest[0]).stem} at {largest[1]['bytes']:,} bytes; "
        f"{len(over)} over 28 KB"
    )
    for name, result in with_events.items():
        say(f"  {Path(name).stem}: {result['events']}")
    if args.no_screenshots:
        return 1 if with_events or over else 0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise PlfError(
            "no Chromium for the screenshots: install Debian's 'chromium' (make cards does) or pass --no-screenshots"
        )
    say(await asyncio.to_thread(screenshot, out / "gallery.html", out / "png", root, chromium))
    pictures = await asyncio.to_thread(journey, out / "png", root / "docs" / "journey")
    say(f"the README's journey: {len(pictures)} pictures in docs/journey")
    return 1 if with_events or over else 0
