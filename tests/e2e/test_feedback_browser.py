"""The family feedback page in a real browser (Debian's Chromium, headless, driven by puppeteer-core):
both versions, on a phone and on a desktop (and the child's right-to-left, in a language a council added),
filled with the keyboard only and sent; axe-core finds no
WCAG 2.2 AA violation on the form, the page that comes back, the thanks or the used link's page; every
page reflows at 320 CSS pixels (400% zoom); the answers reach the database. Screenshots: var/feedback/."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from plf_core.feedback.form import Audience
from tests.e2e.running_app import ROOT, serving
from tests.e2e.test_feedback_page import a_link, answers_stored, arabic_catalogue

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the database is not the point here
OUT = ROOT / "var" / "feedback"
SCRIPT = ROOT / "tools" / "feedback_browser.js"
STEPS = ("form", "refused", "thanks", "gone")
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
ANSWERS = {
    Audience.CHILD: {
        "useful": "4",
        "listened": "5",
        "changed": "I get to see my brother more.",
        "helped": "Sam listened & came when she said.",
        "in_the_way": "When my worker changed.",
    },
    Audience.PARENT: {
        "useful": "3",
        "listened": "2",
        "changed": "The children are back at school every day.",
        "helped": "Being told what was happening <and why>.",
        "in_the_way": "Three different social workers in a year.",
    },
}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "Chromium is needed for the feedback page's browser test and is not installed: run "
            "scripts/ensure_chromium.sh (as root it installs Debian's 'chromium'; make test runs it)"
        )
    if not (ROOT / "node_modules" / "axe-core" / "axe.min.js").is_file():
        pytest.fail("axe-core and puppeteer-core are not installed: run `npm ci` (make test does)")
    return found


async def browse(plan: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    node = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        str(plan_file),
        str(OUT),
        chromium(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    out, err = await asyncio.wait_for(node.communicate(), timeout=300)
    assert node.returncode == 0, err.decode()[-3000:]
    return json.loads(out)  # type: ignore[no-any-return]


async def test_both_versions_are_filled_with_the_keyboard_on_a_phone_and_a_desktop(
    database_url: str, tmp_path: Path
) -> None:
    chromium()
    runs = [(audience, viewport, "") for audience in Audience for viewport in VIEWPORTS]
    runs.append((Audience.CHILD, "phone", "ar"))
    tokens = [await a_link(database_url, audience) for audience, _, _ in runs]
    extra = str(arabic_catalogue(tmp_path))
    async with serving(database_url) as shipped, serving(database_url, FEEDBACK_LOCALES_DIR=extra) as added:
        plan = [
            {
                "name": f"{audience.value}-{viewport}{'-' + lang if lang else ''}",
                "url": f"{(added if lang else shipped).url}/feedback/{token}{'?lang=' + lang if lang else ''}",
                "width": VIEWPORTS[viewport][0],
                "height": VIEWPORTS[viewport][1],
                "answers": ANSWERS[audience],
                "submitKey": "Enter" if audience is Audience.CHILD else "Space",
            }
            for (audience, viewport, lang), token in zip(runs, tokens, strict=True)
        ]
        reports = await browse(plan, tmp_path)
    (OUT / "report.json").write_text(json.dumps(reports, indent=1))
    for report in reports:
        name = report["name"]
        assert report["status"] == {"form": 200, "empty": 422, "refused": 422, "thanks": 200, "gone": 410}, name
        assert {step: r["violations"] for step, r in report["axe"].items()} == {step: [] for step in STEPS}, name
        assert {step: r["incomplete"] for step, r in report["axe"].items()} == {step: [] for step in STEPS}, name
        assert report["sideways"] == dict.fromkeys(STEPS, 0), name
        assert report["emptyFocus"] == "summary"
        assert "You have not answered anything yet" in report["emptySays"]
        assert report["refusedFocus"] == "summary"
        assert "This answer is 2,100 characters long" in report["refusedSays"]
        assert report["kept"]["in_the_way"] == 2100  # the family's words, kept in the box
        assert report["kept"]["describedBy"] == "in_the_way-problem"
        assert report["kept"]["useful"] == ANSWERS[Audience(name.split("-")[0])]["useful"]
        assert report["html"] == (
            {"lang": "ar", "dir": "rtl"} if name.endswith("-ar") else {"lang": "en", "dir": "ltr"}
        )
        assert ("شكرًا لك" if name.endswith("-ar") else "Thank you") in report["thanksSays"]
        assert "If you or a child is in danger now, call 999." in report["thanksSays"]
        assert "This link has already been used" in report["goneSays"]
    stored = [json.loads(a) if isinstance(a, str) else a for a, _flagged in await answers_stored(database_url)]
    expected = [
        {k: int(v) if k in ("useful", "listened") else v for k, v in ANSWERS[audience].items()}
        for audience, _, _ in runs
    ]
    assert sorted(stored, key=str) == sorted(expected, key=str)
