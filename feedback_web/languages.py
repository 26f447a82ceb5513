"""The languages the feedback page speaks: one gettext catalogue (a `.po` file) per language, read and
compiled in memory at start-up, so nothing compiled is committed or written.

English is shipped (locales/en/LC_MESSAGES/messages.po: its msgids are the English words themselves).
A council adds a language by adding one file to the folder named by FEEDBACK_LOCALES_DIR, either
`ar/LC_MESSAGES/messages.po` (gettext's own layout) or simply `ar.po`. A sentence a catalogue does not
translate is shown in English. A catalogue that cannot be read stops start-up, naming the file.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from plf_core.errors import ConfigurationError

SHIPPED = Path(__file__).parent / "locales"
DOMAIN = "messages"
ENGLISH = "en"


@dataclass(frozen=True)
class Language:
    """One installed language: its code (as in the file's name), its name in itself, its direction, and its
    compiled catalogue."""

    code: str
    name: str
    rtl: bool
    translations: gettext.NullTranslations

    @property
    def tag(self) -> str:
        """The code as HTML's lang attribute wants it: `pt-BR`, not `pt_BR`."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)


def compiled(path: Path) -> gettext.GNUTranslations:
    """A `.po` file as gettext reads a `.mo` one, compiled in memory."""
    try:
        with path.open("rb") as source:
            catalog = read_po(source, abort_invalid=True)
    except (OSError, PoFileError, ValueError) as exc:
        raise ConfigurationError(f"feedback page language file {path}: cannot be read ({exc})") from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _language(code: str, path: Path) -> Language:
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ConfigurationError(
            f"feedback page language file {path}: '{code}' is not a language code (such as ar, pl or pt_BR)"
        ) from None
    name = locale.get_display_name(locale) or code
    return Language(code, name[:1].upper() + name[1:], locale.text_direction == "rtl", compiled(path))


def catalogue_files(folder: Path) -> dict[str, Path]:
    """The catalogues in a folder, by language code: `CODE/LC_MESSAGES/messages.po` or `CODE.po`."""
    found = {path.stem: path for path in sorted(folder.glob("*.po"))}
    found |= {path.parents[1].name: path for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}
    return found


class Languages:
    """The installed languages, English first; and which one a request wants."""

    def __init__(self, extra: Path | None = None) -> None:
        files = catalogue_files(SHIPPED)
        if extra is not None:
            if not extra.is_dir():
                raise ConfigurationError(f"setting FEEDBACK_LOCALES_DIR: no such folder: {extra}")
            files |= catalogue_files(extra)  # a council's own English wins over the shipped one
        installed = {code: _language(code, path) for code, path in files.items()}
        self.by_code: Mapping[str, Language] = dict(
            sorted(installed.items(), key=lambda item: (item[0] != ENGLISH, item[0]))
        )
        self._lower = {code.lower(): code for code in self.by_code}

    @property
    def english(self) -> Language:
        return self.by_code[ENGLISH]

    @property
    def several(self) -> bool:
        return len(self.by_code) > 1

    def chosen(self, asked: str | None) -> Language | None:
        """The language `?lang=` names, if it is installed."""
        if not asked:
            return None
        code = self._lower.get(asked.strip().replace("-", "_").lower()[:20])
        return self.by_code[code] if code else None

    def preferred(self, accept_language: str | None) -> Language:
        """The best installed match for an Accept-Language header; English when none matches."""
        for tag in _ranked(accept_language or ""):
            exact = self.chosen(tag)
            if exact is not None:
                return exact
            base = self.chosen(tag.replace("-", "_").split("_")[0])
            if base is not None:
                return base
        return self.english


def _ranked(header: str) -> list[str]:
    """The header's language tags, most wanted first (q=0 means "not this one")."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, index, tag.strip()))
    return [tag for _w, _i, tag in sorted(ranked)]
