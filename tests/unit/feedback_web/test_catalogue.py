"""The feedback page's message catalogue: its template holds every sentence the page can show (the
templates', the code's and the feedback form's), English is shipped, and a council's own file adds a
language, right-to-left where the language is written so."""

from __future__ import annotations

from pathlib import Path

import pytest

from composition import load_feedback_form
from feedback_web import catalogue
from feedback_web.languages import Languages
from feedback_web.pages import Gone, Pages, Reader, Refusal
from plf_core.errors import ConfigurationError
from plf_core.feedback.answers import check_answers
from plf_core.feedback.form import Audience

FORM = load_feedback_form()


def test_the_template_holds_every_sentence_the_page_and_the_form_use_and_no_other() -> None:
    wanted = set(catalogue.sentences(FORM))
    assert set(FORM.words()) <= wanted
    assert {"Send my answers", "This link has already been used", "Please choose one of the answers."} <= wanted
    assert catalogue.committed_messages() == wanted, "run `plf feedback-catalogue` to write the template again"
    assert catalogue.committed_messages(catalogue.ENGLISH_PO) == wanted


def test_every_sentence_on_a_page_is_looked_up_in_the_catalogue(tmp_path: Path) -> None:
    """A catalogue that translates every sentence to a marked copy: nothing on a page is left unmarked."""
    lines = ['msgid ""', 'msgstr ""', '"Language: de\\n"', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
    for text in catalogue.sentences(FORM):
        quoted = text.replace('"', '\\"')
        lines += [f'msgid "{quoted}"', f'msgstr "DE {quoted}"', ""]
    (tmp_path / "de.po").write_text("\n".join(lines), encoding="utf-8")
    languages = Languages(tmp_path)
    german = Reader(languages.by_code["de"])
    pages = Pages(FORM, languages)
    version = FORM.version(Audience.CHILD)
    refused = Refusal(check_answers(version, {"useful": "9", "helped": "x" * 2001}), sent={"helped": "x" * 2001})
    shown = [
        pages.form_page(german, Audience.CHILD, ("form_check", "c"), refused),
        pages.thanks(german, Audience.PARENT),
        *(pages.gone(german, why) for why in Gone),
    ]
    for text in catalogue.sentences(FORM):
        assert not any(text in page and f"DE {text}" not in page for page in shown), text


def test_a_council_adds_a_right_to_left_language_with_one_file(tmp_path: Path) -> None:
    (tmp_path / "he.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: he\\n"\n\nmsgid "Thank you"\nmsgstr "תודה"\n', encoding="utf-8"
    )
    languages = Languages(tmp_path)
    hebrew = languages.preferred("he-IL, en;q=0.8")
    assert (hebrew.code, hebrew.direction, hebrew.name) == ("he", "rtl", "עברית")
    assert hebrew.gettext("Thank you") == "תודה"
    assert hebrew.gettext("We have your answers.") == "We have your answers."  # not translated: English
    page = Pages(FORM, languages).thanks(Reader(hebrew), Audience.CHILD)
    assert '<html lang="he" dir="rtl">' in page
    assert "<h1>תודה</h1>" in page
    assert 'href="?lang=en"' in page


def test_english_is_the_one_language_shipped_and_the_fallback_for_any_other() -> None:
    languages = Languages()
    assert list(languages.by_code) == ["en"]
    assert not languages.several
    assert languages.preferred("fr-CA, pl;q=0.5, *;q=0.1").code == "en"
    assert languages.preferred(None).code == "en"
    assert languages.chosen("xx") is None
    page = Pages(FORM, languages).gone(Reader(languages.english), Gone.USED)
    assert '<html lang="en" dir="ltr">' in page
    assert "?lang=" not in page  # no language chooser with a single language


def test_accept_language_weights_are_honoured(tmp_path: Path) -> None:
    for code in ("ar", "pl"):
        (tmp_path / f"{code}.po").write_text(f'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n', encoding="utf-8")
    languages = Languages(tmp_path)
    assert languages.preferred("ar;q=0.4, pl-PL;q=0.9").code == "pl"
    assert languages.preferred("pl;q=0, ar").code == "ar"
    assert languages.chosen("AR").code == "ar"  # type: ignore[union-attr]


def test_a_broken_or_misnamed_catalogue_stops_start_up_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "zz-notalanguage.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"zz-notalanguage.po: 'zz-notalanguage' is not a language code"):
        Languages(tmp_path)
    (tmp_path / "zz-notalanguage.po").unlink()
    (tmp_path / "cy.po").write_text('msgid "Thank you"\n', encoding="utf-8")  # no msgstr
    with pytest.raises(ConfigurationError, match=r"cy.po: cannot be read"):
        Languages(tmp_path)
    with pytest.raises(ConfigurationError, match="FEEDBACK_LOCALES_DIR: no such folder"):
        Languages(tmp_path / "missing")
