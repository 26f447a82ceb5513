"""The feedback form as data (plf_core/forms/family_feedback.yaml): two audiences, each with its own
questions and scale, the worrying phrases that flag an answer, the themes reports group answers into,
and the contacts the thank-you page gives. Checked once at start-up: a mistake names where it is."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from plf_core.errors import ConfigurationError

ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SCALE_POINTS = 5
SATISFIED_FROM = 4  # a rating of 4 or 5 out of 5 counts as satisfied
CONTACTS = ("danger", "council", "childline", "complaints")


class Audience(StrEnum):
    CHILD = "child"
    PARENT = "parent"

    @property
    def label(self) -> str:
        """As staff read it: "a child or young person"."""
        return "a child or young person" if self is Audience.CHILD else "a parent or carer"

    @property
    def plural(self) -> str:
        return "Children and young people" if self is Audience.CHILD else "Parents and carers"


class Kind(StrEnum):
    RATING = "rating"
    TEXT = "text"


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: str


@dataclass(frozen=True)
class Version:
    """What one audience sees: its title, its introduction, its questions and its scale's five words."""

    audience: Audience
    title: str
    intro: str
    questions: tuple[Question, ...]
    scale: tuple[str, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class FeedbackForm:
    versions: Mapping[Audience, Version]
    satisfaction: str  # the rating question whose 4 or 5 counts as satisfied
    worrying_phrases: tuple[str, ...]
    themes: Mapping[str, tuple[str, ...]]
    contacts: Mapping[str, str]

    def version(self, audience: Audience) -> Version:
        return self.versions[audience]

    def words(self) -> list[str]:
        """Every English sentence the page shows from this file: the message catalogue's keys."""
        found: list[str] = []
        for version in self.versions.values():
            found += [version.title, version.intro, *version.scale, *(q.text for q in version.questions)]
        found += [self.contacts[c] for c in CONTACTS]
        return list(dict.fromkeys(found))


def _text(value: object, where: str, limit: int = 400) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"feedback form: {where} must be words in quotes")
    if len(value) > limit:
        raise ConfigurationError(f"feedback form: {where} is longer than {limit} characters")
    return value.strip()


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"feedback form: {where} must be a mapping")
    return value


def _list(value: object, where: str) -> Sequence[Any]:
    if not isinstance(value, list) or not value:
        raise ConfigurationError(f"feedback form: {where} must be a list of one or more entries")
    return value


def _question(raw: object, where: str) -> Question:
    entry = _mapping(raw, where)
    qid = entry.get("id")
    if not isinstance(qid, str) or not ID.match(qid):
        raise ConfigurationError(f"feedback form: {where}: id '{qid}' must be lower-case letters, digits and _")
    kinds = ", ".join(k.value for k in Kind)
    try:
        kind = Kind(str(entry.get("kind")))
    except ValueError:
        raise ConfigurationError(f"feedback form: {where} ({qid}): kind must be one of {kinds}") from None
    return Question(qid, kind, _text(entry.get("text"), f"{where} ({qid}): text"))


def _version(audience: Audience, raw: object, scale: object) -> Version:
    where = f"audiences.{audience.value}"
    entry = _mapping(raw, where)
    questions = tuple(
        _question(q, f"{where}.questions[{i + 1}]") for i, q in enumerate(_list(entry.get("questions"), where))
    )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ConfigurationError(f"feedback form: {where}: a question id is used twice ({', '.join(ids)})")
    words = _list(scale, f"scales.{audience.value}")
    if len(words) != SCALE_POINTS:
        raise ConfigurationError(f"feedback form: scales.{audience.value} must have {SCALE_POINTS} words, 1 to 5")
    title, intro = _text(entry.get("title"), f"{where}.title"), _text(entry.get("intro"), f"{where}.intro")
    scale_words = tuple(_text(w, f"scales.{audience.value}[{i + 1}]", 60) for i, w in enumerate(words))
    return Version(audience, title, intro, questions, scale_words)


def _phrases(raw: object, where: str) -> tuple[str, ...]:
    return tuple(normalised(_text(p, f"{where}[{i + 1}]", 80)) for i, p in enumerate(_list(raw, where)))


def parse_feedback_form(document: object) -> FeedbackForm:
    """The form from its YAML document, or a ConfigurationError naming the entry that is wrong."""
    top = _mapping(document, "the file")
    audiences = _mapping(top.get("audiences"), "audiences")
    scales = _mapping(top.get("scales"), "scales")
    missing = [a.value for a in Audience if a.value not in audiences]
    if missing:
        raise ConfigurationError(f"feedback form: audiences must include {', '.join(missing)}")
    versions = {a: _version(a, audiences[a.value], scales.get(a.value)) for a in Audience}
    satisfaction = str(top.get("satisfaction", ""))
    for version in versions.values():
        question = version.question(satisfaction)
        if question is None or question.kind is not Kind.RATING:
            raise ConfigurationError(
                f"feedback form: satisfaction '{satisfaction}' must be a rating question of every audience"
            )
    themes_raw = _mapping(top.get("themes"), "themes")
    themes = {_text(name, "themes", 60): _phrases(words, f"themes.{name}") for name, words in themes_raw.items()}
    contacts_raw = _mapping(top.get("contacts"), "contacts")
    contacts = {c: _text(contacts_raw.get(c), f"contacts.{c}") for c in CONTACTS}
    phrases = _phrases(top.get("worrying_phrases"), "worrying_phrases")
    return FeedbackForm(versions, satisfaction, phrases, themes, contacts)


def normalised(text: str) -> str:
    """Lower case, apostrophes dropped (don't, dont), other punctuation as spaces, single spaces: how phrases
    and answers are compared. A phrase's closing `*` is kept: its last word matches any word it begins."""
    words = re.sub(r"['’‘`]", "", text.lower())
    starred = words.rstrip().endswith("*")
    return " ".join(re.sub(r"[^\w]+", " ", words).split()) + ("*" if starred else "")


def holds(text: str, phrase: str) -> bool:
    """Whether `text` (normalised) holds the normalised phrase as whole words ("hit me" is not in "white
    meat"); a phrase ending in `*` ("punch*") also matches its last word's longer forms (punched, punches)."""
    if not phrase.endswith("*"):
        return f" {phrase} " in f" {text} "
    return re.search(rf"(?:^| ){re.escape(phrase[:-1])}\w*(?: |$)", text) is not None
