"""`plf feedback-catalogue --check`: what each language a council added still lacks, sentence by sentence."""

from __future__ import annotations

from pathlib import Path

from composition import load_feedback_form
from feedback_web import catalogue
from tests.e2e.running_app import plf, plf_env

FORM = load_feedback_form()


def test_plf_feedback_catalogue_says_what_each_added_language_still_lacks(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "cy.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n\nmsgid "Thank you"\nmsgstr "Diolch"\n', encoding="utf-8"
    )
    env = plf_env(f"sqlite+aiosqlite:///{tmp_path}/plf.db", FEEDBACK_LOCALES_DIR=str(tmp_path / "locales"))
    checked = plf(["feedback-catalogue", "--check"], env)
    assert checked.returncode == 0, checked.stderr
    lacking = len(catalogue.sentences(FORM)) - 1
    assert f"cy: {lacking} sentences not translated yet" in checked.stdout
    assert "\n  Send my answers\n" in checked.stdout
    assert "\n  Thank you\n" not in checked.stdout
