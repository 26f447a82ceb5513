"""The Teams app package (appPackage.zip): the manifest at schema 1.30 (the newest that the pinned
`@microsoft/app-manifest` validates offline), personal scope, the bot's command list taken from
the chat commands themselves, colour and outline icons, validDomains from PUBLIC_URL, and the app
id from MICROSOFT_APP_ID."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

from plf_core.commands import ROUTES

SCHEMA_VERSION = "1.30"
SCHEMA_URL = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{SCHEMA_VERSION}/MicrosoftTeams.schema.json"
PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000"
#: the commands Teams suggests in the compose box (at most 12 a list), in this order
MANIFEST_COMMANDS = (
    "help",
    "my audits",
    "open",
    "done",
    "report",
    "status",
    "timetable",
    "remind",
    "escalate",
    "outbox",
    "sample",
    "moderate",
)
ACCENT = "#1F5FA8"


def command_list() -> list[dict[str, str]]:
    """Each listed command's title and description, from the chat command table."""
    commands = []
    for name in MANIFEST_COMMANDS:
        route = next(r for r in ROUTES if r.usage == name or r.usage.startswith(name + " "))
        what = route.what if len(route.what) <= 128 else route.what[:127].rsplit(" ", 1)[0] + "…"
        commands.append({"title": name, "description": what})
    return commands


def manifest(app_id: str, public_url: str, version: str, developer: dict[str, str]) -> dict[str, Any]:
    host = urlsplit(public_url).hostname or "localhost"
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": SCHEMA_VERSION,
        "version": version,
        "id": app_id,
        "developer": developer,
        "name": {"short": "Practice Learning QA", "full": "Practice Learning Framework: quality assurance audits"},
        "description": {
            "short": "Case file audits, moderation and reminders for children's services QA",
            "full": (
                "Runs the children's services Practice Learning Framework in Teams: practitioners complete "
                "case file audits as cards, managers are alerted to Red (Inadequate) audits, senior managers "
                "moderate, actions are followed up on the framework's timetable, and the QA team drives it "
                "with chat commands. Cases are shown by case id only, never by a child's name."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": ["personal"], "commands": command_list()}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def color_icon() -> bytes:
    """192x192, full colour: a white clipboard with a tick on the accent colour."""
    image = Image.new("RGB", (192, 192), ACCENT)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((52, 36, 140, 156), radius=10, outline="white", width=8)
    draw.rounded_rectangle((76, 26, 116, 48), radius=6, fill="white")
    draw.line((70, 100, 90, 120, 124, 80), fill="white", width=10, joint="curve")
    return _png(image)


def outline_icon() -> bytes:
    """32x32, white on transparent (Teams' outline icon)."""
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 5, 23, 27), radius=2, outline=(255, 255, 255, 255), width=2)
    draw.rectangle((12, 3, 19, 7), fill=(255, 255, 255, 255))
    draw.line((11, 17, 14, 20, 20, 13), fill=(255, 255, 255, 255), width=2)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def build_package(out: Path, app_id: str, public_url: str, version: str, developer: dict[str, str]) -> dict[str, Any]:
    """Write the zip (manifest.json, color.png, outline.png at its root); returns the manifest."""
    document = manifest(app_id, public_url, version, developer)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        package.writestr("color.png", color_icon())
        package.writestr("outline.png", outline_icon())
    return document
