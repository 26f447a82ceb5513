"""The feedback page's message catalogue template (locales/messages.pot): every English sentence the page
can show, found where it is written: `_("...")` in the templates and in this package's code, and the
feedback form's own words (its titles, questions, scales and contacts: FeedbackForm.words()).

`plf feedback-catalogue` writes it (and the English catalogue beside it) after the words change, and says
which sentences each installed language does not translate yet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment
from jinja2.ext import extract_from_ast

from feedback_web.languages import ENGLISH, SHIPPED, Languages, catalogue_files
from plf_core.feedback.form import FeedbackForm

PACKAGE = Path(__file__).parent
TEMPLATE = SHIPPED / "messages.pot"
ENGLISH_PO = SHIPPED / ENGLISH / "LC_MESSAGES" / "messages.po"
FORM_FILE = "plf_core/forms/family_feedback.yaml"
HEADER = """\
# The sentences of the family feedback page, in English: the template of its message catalogues.
# To add a language, copy this file to LANGUAGE.po (ar.po, pl.po, pt_BR.po...) in the folder that
# FEEDBACK_LOCALES_DIR names, set "Language:" below, and write each sentence's translation in its msgstr.
# Written by `plf feedback-catalogue` from the templates, feedback_web's code and the feedback form.
#"""


def _from_templates() -> Iterator[tuple[str, str]]:
    environment = Environment(autoescape=True)  # parsing only
    for path in sorted((PACKAGE / "templates").glob("*.j2")):
        tree = environment.parse(path.read_text(encoding="utf-8"))
        for line, _function, strings in extract_from_ast(tree, ("_",), babel_style=False):
            if strings and isinstance(strings[0], str):
                yield strings[0], f"feedback_web/templates/{path.name}:{line}"


def _from_code() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.glob("*.py")):
        with path.open("rb") as source:
            for line, message, _comments, _context in extract("python", source, keywords={"_": None, "N_": None}):
                text = message if isinstance(message, str) else message[0]
                if text:
                    yield text, f"feedback_web/{path.name}:{line}"


def sentences(form: FeedbackForm) -> dict[str, list[str]]:
    """Every sentence (the catalogue's msgids) and where each is written, in the order first found."""
    found: dict[str, list[str]] = {}
    form_words = ((word, FORM_FILE) for word in form.words())
    for text, where in (*_from_templates(), *_from_code(), *form_words):
        found.setdefault(text, []).append(where)
    return found


def template(form: FeedbackForm, made_at: datetime | None = None) -> Catalog:
    catalog = Catalog(
        project="plf-bot family feedback page",
        version="1",
        creation_date=made_at,
        fuzzy=False,
        charset="utf-8",
        header_comment=HEADER,
    )
    for text, places in sentences(form).items():
        catalog.add(text, locations=[(where.rsplit(":", 1)[0], _line(where)) for where in places])
    return catalog


def _line(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def write_catalogues(form: FeedbackForm, made_at: datetime) -> list[Path]:
    """The template, and the English catalogue (its msgids are the English, so it translates nothing)."""
    made = template(form, made_at)
    TEMPLATE.write_bytes(po_text(made))
    english = template(form, made_at)
    english.locale = ENGLISH
    english.revision_date = made_at
    ENGLISH_PO.write_bytes(po_text(english))
    return [TEMPLATE, ENGLISH_PO]


def committed_messages(path: Path = TEMPLATE) -> set[str]:
    with path.open("rb") as source:
        return {str(m.id) for m in read_po(source) if m.id}


def untranslated(form: FeedbackForm, languages: Languages, folders: Iterable[Path]) -> dict[str, list[str]]:
    """For each installed language but English, the sentences its catalogue does not translate yet."""
    wanted = list(sentences(form))
    files = {code: path for folder in folders for code, path in catalogue_files(folder).items()}
    missing: dict[str, list[str]] = {}
    for code in languages.by_code:
        if code == ENGLISH or code not in files:
            continue
        with files[code].open("rb") as source:
            done = {str(m.id) for m in read_po(source) if m.id and m.string and not m.fuzzy}
        missing[code] = [text for text in wanted if text not in done]
    return missing
