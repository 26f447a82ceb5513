"""Children and families' feedback in figures, for the highlight report ("how well did we do it?": the
families' satisfaction; "is anyone better off?": what helped and what got in the way) and for each
Service Manager's quarterly performance meeting.

Pure: the store hands in one `FeedbackRecord` per set of answers received in the period. Satisfaction is
the share of those who answered the form's satisfaction question (`satisfaction:`, "was our help
useful?") with 4 or 5 of 5; "felt listened to" likewise for the `listened` question. What helped and
what got in the way are counted as the form's themes: an answer counts once for each theme whose words
it holds, and as "Other" when it holds none. A family's own words never leave this module: only counts.
A count of 1 to 4, or a share resting on fewer than 5 answers, is marked as a small number ("3*"), as
everywhere in the reports (plf_core.report_tables).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plf_core.feedback.form import SATISFIED_FROM, Audience, FeedbackForm, holds, normalised
from plf_core.feedback.ports import FeedbackRecord
from plf_core.report_tables import Table, count, pct
from plf_core.vocabulary import COHORT_LABELS, Cohort

LISTENED = "listened"  # the rating question "did you feel listened to?"
HELPED = "helped"  # the text question "what helped?"
IN_THE_WAY = "in_the_way"  # the text question "what got in the way?"
OTHER = "Other"  # an answer holding none of the themes' words
WHOLE_SERVICE = "The whole service"
SMALL_NOTE = "* fewer than 5 answers: a small number, read with care."
COHORT_VALUES = {c.value for c in Cohort}


@dataclass(frozen=True)
class Satisfaction:
    """One group's answers: how many, how many rated the satisfaction question and gave 4 or 5, and the
    same for "did you feel listened to?"."""

    name: str
    answers: int = 0
    rated: int = 0
    satisfied: int = 0
    listened_rated: int = 0
    listened: int = 0

    @property
    def satisfaction(self) -> str:
        return pct(self.satisfied, self.rated)

    @property
    def felt_listened_to(self) -> str:
        return pct(self.listened, self.listened_rated)


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    helped: int
    in_the_way: int


@dataclass(frozen=True)
class FeedbackFigures:
    received: int
    by_audience: tuple[tuple[Audience, int], ...]
    whole: Satisfaction
    by_area: tuple[Satisfaction, ...]
    by_cohort: tuple[Satisfaction, ...]
    themes: tuple[ThemeCount, ...]  # the form's themes with any answer, most first; then Other


NO_FEEDBACK = FeedbackFigures(0, tuple((a, 0) for a in Audience), Satisfaction(WHOLE_SERVICE), (), (), ())


def _rating(record: FeedbackRecord, question: str) -> int | None:
    value = record.answers.get(question)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def satisfaction_of(name: str, records: Sequence[FeedbackRecord], question: str) -> Satisfaction:
    useful = [r for r in (_rating(x, question) for x in records) if r is not None]
    listened = [r for r in (_rating(x, LISTENED) for x in records) if r is not None]
    return Satisfaction(
        name,
        answers=len(records),
        rated=len(useful),
        satisfied=sum(1 for r in useful if r >= SATISFIED_FROM),
        listened_rated=len(listened),
        listened=sum(1 for r in listened if r >= SATISFIED_FROM),
    )


def cohort_label(cohort: str) -> str:
    return COHORT_LABELS[Cohort(cohort)] if cohort in COHORT_VALUES else (cohort or "No cohort recorded")


def _grouped(
    records: Sequence[FeedbackRecord], by: Callable[[FeedbackRecord], str], question: str
) -> tuple[Satisfaction, ...]:
    groups: dict[str, list[FeedbackRecord]] = {}
    for record in records:
        groups.setdefault(by(record), []).append(record)
    return tuple(satisfaction_of(name, groups[name], question) for name in sorted(groups))


def themes_of(form: FeedbackForm, texts: Sequence[str]) -> dict[str, int]:
    """How many of the answers hold each theme's words (an answer may hold several), and how many none."""
    counts = dict.fromkeys([*form.themes, OTHER], 0)
    for text in texts:
        words = normalised(text)
        held = [theme for theme, phrases in form.themes.items() if any(holds(words, p) for p in phrases)]
        for theme in held or [OTHER]:
            counts[theme] += 1
    return counts


def _texts(records: Sequence[FeedbackRecord], question: str) -> list[str]:
    return [v for r in records if isinstance(v := r.answers.get(question), str) and v.strip()]


def feedback_figures(form: FeedbackForm, records: Sequence[FeedbackRecord]) -> FeedbackFigures:
    question = form.satisfaction
    helped, hindered = themes_of(form, _texts(records, HELPED)), themes_of(form, _texts(records, IN_THE_WAY))
    order = list(form.themes)
    named = sorted(
        (ThemeCount(t, helped[t], hindered[t]) for t in order if helped[t] or hindered[t]),
        key=lambda c: (-(c.helped + c.in_the_way), order.index(c.theme)),
    )
    other = [ThemeCount(OTHER, helped[OTHER], hindered[OTHER])] if helped[OTHER] or hindered[OTHER] else []
    return FeedbackFigures(
        received=len(records),
        by_audience=tuple((a, sum(1 for r in records if r.audience is a)) for a in Audience),
        whole=satisfaction_of(WHOLE_SERVICE, records, question),
        by_area=_grouped(records, lambda r: r.service_area, question),
        by_cohort=_grouped(records, lambda r: cohort_label(r.cohort), question),
        themes=(*named, *other),
    )


# --- as the report shows them --------------------------------------------------------------------

SATISFACTION_NOTE = (
    "Satisfied: answered 'was our help useful?' with 4 or 5 of 5; felt listened to: answered 'did you feel "
    "listened to?' with 4 or 5 of 5; each a share of those who answered that question (every question is "
    "optional). " + SMALL_NOTE
)
THEMES_NOTE = (
    "Answers to 'what helped?' and 'what got in the way?', counted by the themes whose words they hold (one "
    "answer can hold several); Other: none of the themes' words. Families' own words are not shown. " + SMALL_NOTE
)
SATISFACTION_COLUMNS = ("Answers", "Rated our help", "Satisfied (4 or 5)", "Satisfaction", "Felt listened to")


def _line(s: Satisfaction) -> tuple[str, ...]:
    return (s.name, count(s.answers), count(s.rated), count(s.satisfied), s.satisfaction, s.felt_listened_to)


def received_table(f: FeedbackFigures) -> Table:
    rows = (*((a.plural, count(n)) for a, n in f.by_audience), ("All", count(f.received)))
    title = "Children and families' feedback: answers received"
    return Table("feedback_received", title, ("Who answered", "Answers"), rows, SMALL_NOTE)


def satisfaction_tables(f: FeedbackFigures) -> tuple[Table, Table]:
    areas = (*f.by_area, f.whole) if len(f.by_area) > 1 else f.by_area
    return (
        Table(
            "feedback_by_service_area",
            "Children and families' satisfaction by service area",
            ("Service area", *SATISFACTION_COLUMNS),
            tuple(map(_line, areas)),
            SATISFACTION_NOTE,
        ),
        Table(
            "feedback_by_cohort",
            "Children and families' satisfaction by cohort",
            ("Cohort", *SATISFACTION_COLUMNS),
            tuple(map(_line, f.by_cohort)),
            SATISFACTION_NOTE,
        ),
    )


def themes_table(f: FeedbackFigures) -> Table:
    rows = tuple((t.theme, count(t.helped), count(t.in_the_way)) for t in f.themes)
    title = "What helped and what got in the way, as children and families told us"
    return Table("feedback_themes", title, ("Theme", "What helped", "What got in the way"), rows, THEMES_NOTE)


def headline(f: FeedbackFigures) -> tuple[tuple[str, str], ...]:
    """The summary card's figures: how many families answered, and the share satisfied."""
    return (("Families' feedback", count(f.received)), ("Families satisfied", f.whole.satisfaction))
