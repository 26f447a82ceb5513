"""Every card the product can emit parses and validates with the official renderer, and fits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cards.base import MAX_CARD_BYTES
from cards.catalogue import all_cards
from plf_cli.card_catalogue import write_catalogue
from plf_core.forms.registry import load_forms

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "tools" / "validate_cards.js"
RENDERER = ROOT / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"


def validate(paths: list[Path]) -> dict[str, Any]:
    assert RENDERER.exists(), "the Adaptive Cards renderer is not installed: run `npm ci` (make test does)"
    result = subprocess.run(
        ["node", str(VALIDATOR), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    paths = write_catalogue(tmp_path_factory.mktemp("cards"))
    return validate(paths)


def test_the_validator_reports_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "body": [{"type": "Bogus"}, {"type": "Input.Text"}],
                "actions": [{"type": "Action.Execute", "title": "Go"}],
            }
        )
    )
    events = validate([bad])[str(bad)]["events"]
    assert any("Unknown element type" in e for e in events)
    assert any("without a verb" in e for e in events)
    assert len(events) >= 3


def test_every_card_validates_with_zero_events(report: dict[str, Any]) -> None:
    assert {Path(k).stem: v["events"] for k, v in report.items() if v["events"]} == {}


def test_every_card_fits_in_28_kb(report: dict[str, Any]) -> None:
    sizes = {Path(k).stem: v["bytes"] for k, v in report.items()}
    assert {k: b for k, b in sizes.items() if b > MAX_CARD_BYTES} == {}
    assert max(sizes.values()) > 15_000  # the maximal content really is maximal


def test_the_catalogue_has_every_page_of_every_form_and_every_notice() -> None:
    names = [name for name, _ in all_cards()]
    for form in load_forms().values():
        for page in form.pages:
            assert f"{form.id}/{page.id}/read-only" in names
            assert f"{form.id}/{page.id}/errors" in names
            assert any(n.startswith(f"{form.id}/{page.id}/edit-") for n in names)
        assert f"{form.id}/review" in names
    assert len([n for n in names if n.startswith("notices/")]) >= 10
    assert len(names) == len(set(names))


def test_every_execute_action_has_a_verb_and_a_submit_fallback_with_the_same_data() -> None:
    def actions(node: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and "title" in node:
                found.append(node)
            for value in node.values():
                found += actions(value)
        elif isinstance(node, list):
            for value in node:
                found += actions(value)
        return found

    for name, card in all_cards():
        for action in actions(card):
            assert action.get("verb"), name
            assert action["fallback"]["type"] == "Action.Submit", name
            assert action["fallback"]["data"] == action["data"], name
