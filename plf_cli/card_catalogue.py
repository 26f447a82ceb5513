"""`plf cards`: write the card catalogue (JSON per card) and an HTML gallery under var/cards/."""

from __future__ import annotations

import html
import json
from pathlib import Path

from cards.catalogue import all_cards

GALLERY_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PLF card catalogue</title>
<style>
body { font-family: 'Segoe UI', system-ui, sans-serif; background: #f5f5f5; margin: 2em; }
.card { background: white; width: 560px; margin: 0 0 2em 0; padding: 12px; box-shadow: 0 1px 3px #999; }
h2 { font-size: 14px; font-family: monospace; }
.events { color: #b00; }
</style>
<script src="adaptivecards.js"></script>
</head><body>
<h1>Practice Learning Framework: every card the bot can send</h1>
<p>Rendered by the official Adaptive Cards renderer (npm adaptivecards 3.0.6), schema 1.5.</p>
"""
GALLERY_SCRIPT = """
<script>
const ctx = () => new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 5));
for (const holder of document.querySelectorAll('[data-card]')) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(JSON.parse(holder.querySelector('script').textContent), ctx());
  holder.appendChild(card.render());
}
document.body.dataset.rendered = 'yes';
</script></body></html>
"""


def slug(name: str) -> str:
    return name.replace("/", "__")


def write_catalogue(out: Path, renderer: Path | None = None) -> list[Path]:
    """The cards as JSON files and a gallery page; `renderer` (adaptivecards.js) is copied beside it."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    if renderer is not None:
        shutil.copyfile(renderer, out / "adaptivecards.js")
    (out / "json").mkdir(exist_ok=True)
    written: list[Path] = []
    sections: list[str] = []
    for name, body in all_cards():
        text = json.dumps(body, ensure_ascii=False, indent=None, separators=(",", ":"))
        path = out / "json" / f"{slug(name)}.json"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        embedded = text.replace("</", "<\\/")
        sections.append(
            f'<h2 id="{html.escape(slug(name))}">{html.escape(name)} ({len(text.encode()):,} bytes)</h2>'
            f'<div class="card" data-card="{html.escape(slug(name))}">'
            f'<script type="application/json">{embedded}</script></div>'
        )
    (out / "gallery.html").write_text(GALLERY_HEAD + "\n".join(sections) + GALLERY_SCRIPT, encoding="utf-8")
    return written


def validate_with_renderer(paths: list[Path], root: Path) -> dict[str, dict[str, object]]:
    """Run the official renderer over the cards (tools/validate_cards.js)."""
    import subprocess

    result = subprocess.run(  # noqa: S603 - our own script, our own files
        ["node", str(root / "tools" / "validate_cards.js"), *map(str, paths)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report: dict[str, dict[str, object]] = json.loads(result.stdout)
    return report


def screenshot(gallery: Path, out: Path, root: Path, chromium: str) -> str:
    import subprocess

    result = subprocess.run(  # noqa: S603
        ["node", str(root / "tools" / "screenshot_cards.js"), str(gallery), str(out), chromium],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        from plf_core.errors import PlfError

        raise PlfError(f"screenshots failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout.strip()


#: The README's row of pictures: a practitioner's journey, from the card gallery's screenshots.
JOURNEY = (
    ("notices__audit-assigned", "assigned"),
    ("practice_learning_conversation__part_a_judgement__edit-practitioner", "a-page"),
    ("practice_learning_conversation__review-part-complete", "review"),
    ("workflow__submitted-red", "submitted"),
    ("notices__red-alert", "red-alert"),
)


def journey(png: Path, out: Path, width: int = 292, tallest: int = 1100) -> list[Path]:
    """The journey's screenshots, the top of each (at most `tallest` pixels of card) at half size."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n, (name, label) in enumerate(JOURNEY, 1):
        with Image.open(png / f"{name}.png") as shot:
            top = shot.crop((0, 0, shot.width, min(shot.height, tallest)))
            small = top.resize((width, round(top.height * width / shot.width)), Image.Resampling.LANCZOS)
            path = out / f"{n}-{label}.png"
            small.save(path, optimize=True)
            written.append(path)
    return written
