"""`plf package`: the Teams app package, its manifest validated offline against the official
schema by @microsoft/app-manifest, the app id and domain from the settings, the icons Teams wants."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import PIL.Image

from plf_core.commands import ROUTES
from tests.e2e.running_app import plf, plf_env

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "11111111-2222-4333-8444-555555555555"


def validate(path: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        ["node", str(ROOT / "tools" / "validate_manifest.js"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)["errors"]


def test_the_package_holds_a_valid_manifest_with_the_app_id_commands_and_icons(tmp_path: Path) -> None:
    env = plf_env(
        f"sqlite+aiosqlite:///{tmp_path}/plf.db",
        None,  # the system's clock: PLF_NOW is refused with an app id
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        MICROSOFT_APP_TENANT_ID="66666666-2222-4333-8444-555555555555",
        PUBLIC_URL="https://plf.example.gov.uk",
        LINK_SECRET="synthetic-test-key-" + "k" * 20,
    )
    out = tmp_path / "appPackage.zip"
    built = plf(["package", "--out", str(out), "--version", "1.2.3"], env)
    assert built.returncode == 0, built.stderr
    assert "manifest 1.30 (valid)" in built.stdout

    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = PIL.Image.open(io.BytesIO(package.read("color.png")))
        outline = PIL.Image.open(io.BytesIO(package.read("outline.png")))
    assert (manifest["id"], manifest["bots"][0]["botId"], manifest["version"]) == (APP_ID, APP_ID, "1.2.3")
    assert manifest["validDomains"] == ["plf.example.gov.uk"]
    assert manifest["bots"][0]["scopes"] == ["personal"]
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    usages = [r.usage for r in ROUTES]
    assert all(any(u == c["title"] or u.startswith(c["title"] + " ") for u in usages) for c in commands)
    assert {"help", "my audits", "report", "remind"} <= {c["title"] for c in commands}
    assert color.size == (192, 192)
    assert (outline.size, outline.mode) == ((32, 32), "RGBA")
    alpha = [a for (_, _, _, a) in outline.get_flattened_data()]
    assert 0 in alpha  # transparent background
    assert all(p[:3] == (255, 255, 255) for p in outline.get_flattened_data() if p[3] == 255)  # white outline

    written = tmp_path / "manifest.json"
    written.write_text(json.dumps(manifest))
    assert validate(written) == (0, [])


def test_the_validator_names_what_is_wrong_with_a_manifest(tmp_path: Path) -> None:
    from plf_cli.package import manifest

    developer = {"name": "QA", "websiteUrl": "https://a.example", "privacyUrl": "https://a.example/p"}
    wrong = manifest(
        APP_ID, "https://plf.example.gov.uk", "1.0.0", {**developer, "termsOfUseUrl": "https://a.example/t"}
    )
    wrong["accentColor"] = "blue"
    wrong["bots"][0]["commandLists"][0]["commands"] *= 2  # 24: Teams takes 12
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(wrong))
    code, errors = validate(path)
    assert code == 1
    assert any(e.startswith("/accentColor must match pattern") for e in errors)
    assert any(e.startswith("/bots/0/commandLists/0/commands must NOT have more than 12 items") for e in errors)

    path.write_text(json.dumps(manifest(APP_ID, "https://plf.example.gov.uk", "1.0.0", developer)))  # no terms URL
    code, errors = validate(path)
    assert code == 2
    assert errors == ['Invalid value for key "termsOfUseUrl" on Developer. Expected string but got undefined']
