"""The feedback page's HTML: the form (the child's or the parent's version), the thank-you page, and the
kind pages a link that no longer works, a refused post or a busy minute answers with. Server-rendered
with Jinja2 (autoescape on: a family's words are escaped wherever they come back), every sentence
through the reader's message catalogue."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from feedback_web.languages import ENGLISH, Language, Languages
from plf_core.feedback.answers import MAX_ANSWER, Checked
from plf_core.feedback.form import Audience, FeedbackForm, Kind, Question

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "feedback.css"
# The faces' mouths, from "not at all" (a frown) to "a lot" (a wide smile), in a 64-unit square.
# A UK telephone number in a contact sentence (999, 0800 1111, 020 7946 0000): a link to call it on a phone.
PHONE = re.compile(r"(?<![\w/+.:])(?:999|0\d{2,4}(?: ?\d{3,4}){1,2})(?![\w/])")
MOUTHS = ("M20 48 Q32 36 44 48", "M21 46 Q32 41.5 43 46", "M21 44 L43 44", "M21 42 Q32 49 43 42", "M18 39 Q32 57 46 39")
Translate = Callable[..., str]


def translator(language: Language) -> Translate:
    """`_("message %(n)s", n=...)`: the reader's words, English where the catalogue has none (or a broken one).
    On another language's page an English fallback is marked as English (WCAG 3.1.2, language of parts),
    so a screen reader pronounces it as English and its punctuation sits right in a right-to-left page."""
    english = language.code.split("_")[0] == ENGLISH

    def _(message: str, **values: object) -> str:
        found = language.gettext(message)
        text = found
        if values:
            try:
                text = found % values
            except (KeyError, ValueError, TypeError):
                found, text = message, message % values
        if english or found != message:
            return text
        return Markup('<span lang="en" dir="ltr">%s</span>') % text

    return _


def callable_numbers(sentence: str) -> Markup:
    """A sentence (escaped, unless it is markup already) with each telephone number a `tel:` link."""
    escaped = escape(sentence)
    parts: list[Markup] = []
    at = 0
    for number in PHONE.finditer(escaped):
        link = Markup('<a href="tel:{}">{}</a>').format(number[0].replace(" ", ""), number[0])
        parts += [escaped[at : number.start()], link]
        at = number.end()
    return Markup("").join([*parts, escaped[at:]])


class Gone(StrEnum):
    """Why a page is not the form: each with its HTTP status."""

    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    FORBIDDEN = "forbidden"
    BUSY = "busy"
    BROKEN = "broken"

    @property
    def status(self) -> int:
        return {"used": 410, "expired": 410, "unknown": 404, "forbidden": 403, "busy": 429, "broken": 500}[self.value]


@dataclass(frozen=True)
class Reader:
    """Who is reading, as far as the page may know: their language (?lang=, or their browser's)."""

    language: Language


@dataclass(frozen=True)
class Refusal:
    """Why the page came back instead of thanks: a stale page, nothing answered, or answers' problems."""

    checked: Checked | None = None
    stale: bool = False
    too_long: bool = False  # the post was over the size limit: nothing of it is stored
    cut: str | None = None  # the answer whose end did not arrive
    sent: Mapping[str, str] = field(default_factory=dict)


class Pages:
    def __init__(self, form: FeedbackForm, languages: Languages) -> None:
        self.form = form
        self.languages = languages
        self.stylesheet = STYLESHEET.read_bytes()
        self.css_version = hashlib.sha256(self.stylesheet).hexdigest()[:10]
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # read once: no file checks on each page
        )
        self._env.filters["callable"] = callable_numbers

    def _render(self, template: str, reader: Reader, **context: Any) -> str:
        language = reader.language
        choices = [
            {"code": lang.code, "tag": lang.tag, "name": lang.name, "current": lang.code == language.code}
            for lang in self.languages.by_code.values()
        ]
        return self._env.get_template(template).render(
            _=translator(language),
            language=language,
            languages=choices if self.languages.several else [],
            contacts=self.form.contacts,
            css_version=self.css_version,
            **context,
        )

    def form_page(self, reader: Reader, audience: Audience, check: tuple[str, str], refusal: Refusal) -> str:
        """The questions of the audience's version; after a refusal, what was typed and why it came back."""
        _ = translator(reader.language)
        version = self.form.version(audience)
        checked = refusal.checked
        problems = dict(checked.problems) if checked else {}
        if refusal.cut and version.question(refusal.cut) is not None:
            problems[refusal.cut] = "cut"
        typed = dict(checked.typed) if checked else {}
        questions = [
            _question(q, version.scale, typed.get(q.id, ""), self._problem(_, reader, q, problems, refusal, typed))
            for q in version.questions
        ]
        summary = [{"href": f"#{q['target']}", "text": q["problem"]} for q in questions if q["problem"]]
        if refusal.stale:
            summary.insert(0, {"href": "", "text": _(STALE)})
        elif refusal.too_long and not summary:
            summary.append({"href": "", "text": _(TOO_LONG)})
        elif checked is not None and checked.empty and not problems:
            summary.append({"href": "", "text": _(NOTHING_YET)})
        return self._render(
            "form.html.j2",
            reader,
            audience=audience.value,
            child=audience is Audience.CHILD,
            version=version,
            questions=questions,
            summary=summary,
            check_field=check[0],
            check=check[1],
            mouths=MOUTHS,
        )

    def _problem(
        self,
        _: Translate,
        reader: Reader,
        question: Question,
        problems: Mapping[str, str],
        refusal: Refusal,
        typed: Mapping[str, str],
    ) -> str:
        """Why an answer came back, in the reader's words; "still in the box" only if all of it is."""
        if question.id not in problems:
            return ""
        if question.kind is Kind.RATING:
            return _("Please choose one of the answers.")

        def number(n: int) -> str:
            return str(format_decimal(n, locale=reader.language.code))

        sent = refusal.sent.get(question.id, "")
        if problems[question.id] == "cut" or len(sent) > len(typed.get(question.id, "")):
            return _(
                "This answer is too long to send. Please make it shorter than %(limit)s characters: the start of "
                "your words is in the box.",
                limit=number(MAX_ANSWER),
            )
        return _(
            "This answer is %(length)s characters long. Please make it shorter than %(limit)s characters: your "
            "words are still in the box.",
            length=number(len(sent.strip())),
            limit=number(MAX_ANSWER),
        )

    def thanks(self, reader: Reader, audience: Audience) -> str:
        return self._render("thanks.html.j2", reader, audience=audience.value, child=audience is Audience.CHILD)

    def gone(self, reader: Reader, why: Gone) -> str:
        """A kind page that says what happened and what to do, and nothing about the case or the family."""
        _ = translator(reader.language)
        heading, lines = _gone_words(_, why)
        return self._render("kind.html.j2", reader, audience=None, heading=heading, lines=lines)


def N_(message: str) -> str:  # gettext's own name for "a sentence to translate later"
    return message


STALE = N_(
    "This page was open for a long time, so your answers have not been sent yet. Please check them and "
    "press “Send my answers” again."
)
TOO_LONG = N_(
    "What you sent was too long, so nothing has been saved. Please make your answers shorter and send them again."
)
NOTHING_YET = N_(
    "You have not answered anything yet. Answer any of the questions you like, then press “Send my answers”."
)


def _question(question: Question, scale: tuple[str, ...], value: str, problem: str) -> dict[str, Any]:
    rating = question.kind is Kind.RATING
    choices = [{"value": n, "word": word, "checked": value.strip() == str(n)} for n, word in enumerate(scale, 1)]
    return {
        "id": question.id,
        "text": question.text,
        "rating": rating,
        "choices": choices if rating else [],
        "value": "" if rating else value,
        "problem": problem,
        "target": f"{question.id}-1" if rating else question.id,
    }


def _gone_words(_: Translate, why: Gone) -> tuple[str, list[str]]:
    ask_again = _("If you would still like to tell us what you think, please ask your worker for a new link.")
    if why is Gone.USED:
        return _("This link has already been used"), [
            _(
                "Thank you: we already have your answers. Each link works only once, so that nobody else can "
                "answer for you."
            ),
            _("If you want to tell us something else, please ask your worker for a new link."),
        ]
    if why is Gone.EXPIRED:
        return _("This link has expired"), [_("Each link works for a few weeks only."), ask_again]
    if why is Gone.FORBIDDEN:
        return _("We could not send your answers"), [
            _("Nothing has been saved, and your link still works."),
            _("Please open your link again and send your answers from that page."),
        ]
    if why is Gone.BUSY:
        return _("Please wait a moment"), [
            _("There have been a lot of tries from your connection in a short time."),
            _("Please wait a minute, then try again. Your link still works."),
        ]
    if why is Gone.BROKEN:
        return _("Sorry, something went wrong on our side"), [
            _("Your answers have not been saved, and your link still works. Please try again later."),
        ]
    return _("We cannot find this page"), [
        _(
            "Please check that you have the whole link: it is long, and sometimes the end is left off when it "
            "is copied."
        ),
        ask_again,
    ]
