"""The catalogue's cards of children and families' feedback for the performance meeting, at their largest:
a quarter with answers in every cohort and theme, a quarter nobody answered, and the summary inside a
Service Manager's day's digest (the timetable sends it there)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cards.base import CardDict
from cards.notice_cards import CardContext, notice_card
from plf_core import timetable_notices as t
from plf_core.feedback.meeting import FeedbackSummary

DAY = date(2027, 1, 8)
AREA = "Children Looked After and Care Leavers North and East (demo)"
FIGURES = (
    ("Children and young people", "4*"),
    ("Parents and carers", "41"),
    ("Satisfied with our help (4 or 5 of 5)", "73% of 40 who answered"),
    ("Felt listened to (4 or 5 of 5)", "81% of 37 who answered"),
)
COHORTS = (
    ("Assessment", "9", "67%"),
    ("Child in Need (CiN)", "11", "82%"),
    ("Child Protection (CP)", "14", "71%"),
    ("Child Looked After (CLA)", "6", "83%"),
    ("Care Leaver", "3*", "100%*"),
    ("Early Help", "2*", "50%*"),
)
THEMES = (
    ("Being listened to", "17", "4*"),
    ("The same worker", "6", "11"),
    ("Being kept informed", "5", "7"),
    ("Time and being there", "8", "3*"),
    ("Practical help", "9", "1*"),
    ("Family time and relationships", "3*", "2*"),
    ("Feeling safer", "4*", "0"),
    ("Other", "5", "6"),
)


def example_feedback_summaries() -> list[tuple[str, FeedbackSummary]]:
    full = FeedbackSummary("2026-Q4", 2, AREA, 41, 45, FIGURES, COHORTS, THEMES, DAY, "feedback_summary")
    empty = FeedbackSummary("2026-Q4", 3, "Front Door & Assessment (demo)", 41, 0, due=DAY, rule="feedback_summary")
    return [("timetable/feedback-summary", full), ("timetable/feedback-summary-none-answered", empty)]


def feedback_summary_cards() -> Iterator[tuple[str, CardDict]]:
    from cards.catalogue import CATALOGUE_LINKS  # the catalogue's unsigned links, as long as real ones

    context = CardContext(DAY, CATALOGUE_LINKS)
    examples = example_feedback_summaries()
    for name, notice in examples:
        yield name, notice_card(notice, context)
    digest = t.DailyDigest(DAY, (t.DigestItem("feedback_summary:2026-Q4:2:41", examples[0][1]),))
    yield "timetable/feedback-summary-in-a-digest", notice_card(digest, context)
