"""Children and families' feedback in figures (plf_core.feedback.figures): satisfaction and "felt listened
to" by service area and cohort, what helped and what got in the way as themes, worked by hand, with
small numbers marked as everywhere in the reports and no family's words in any table."""

from __future__ import annotations

from datetime import UTC, datetime

from composition import load_feedback_form
from plf_core.feedback.figures import (
    OTHER,
    feedback_figures,
    headline,
    received_table,
    satisfaction_tables,
    themes_of,
    themes_table,
)
from plf_core.feedback.form import Audience
from plf_core.feedback.ports import FeedbackRecord

FORM = load_feedback_form()
AT = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)


def record(area: str, cohort: str, audience: Audience = Audience.PARENT, **answers: int | str) -> FeedbackRecord:
    return FeedbackRecord(area, "T1", cohort, audience, AT, answers)


def test_a_theme_counts_each_answer_holding_its_words_once_and_the_rest_are_other() -> None:
    counts = themes_of(
        FORM,
        [
            "She LISTENED to us, and the same worker came every time.",  # listened; same worker
            "Help with housing and money",  # practical help, once though it holds two of its words
            "Nothing really",  # other
            "My timetable changed",  # 'time' is not a whole word here: other
        ],
    )
    assert counts["Being listened to"] == 1
    assert counts["The same worker"] == 1
    assert counts["Practical help"] == 1
    assert counts[OTHER] == 2
    assert counts["Feeling safer"] == 0


def test_satisfaction_is_the_share_of_those_who_rated_our_help_four_or_five_by_area_and_cohort() -> None:
    records = [
        record("North", "cp", useful=5, listened=4),
        record("North", "cp", useful=4, listened=2),
        record("North", "cp", useful=2),
        record("North", "cla", Audience.CHILD, useful=5, listened=5),
        record("North", "cla", Audience.CHILD, helped="they listened"),  # did not rate our help
        record("South", "cp", useful=3, listened=4),
        record("South", "cp", useful=4),
    ]
    f = feedback_figures(FORM, records)
    assert f.received == 7
    assert f.by_audience == ((Audience.CHILD, 2), (Audience.PARENT, 5))
    north, south = f.by_area
    # North: 5 answers, 4 rated our help, 3 of them 4 or 5 (5, 4, 5): 75%, marked (fewer than 5 rated)
    assert (north.name, north.answers, north.rated, north.satisfied, north.satisfaction) == ("North", 5, 4, 3, "75%*")
    # North felt listened to: 4, 2, 5 rated; 2 of 3 at 4 or more: 67%*
    assert north.felt_listened_to == "67%*"
    assert (south.satisfied, south.rated, south.satisfaction) == (1, 2, "50%*")
    # the whole service: 6 rated, 4 satisfied (5, 4, 5, 4): 67%, resting on more than 5: not marked
    assert (f.whole.rated, f.whole.satisfied, f.whole.satisfaction) == (6, 4, "67%")
    cla, cp = f.by_cohort
    assert (cla.name, cla.answers, cla.satisfaction) == ("Child Looked After (CLA)", 2, "100%*")
    assert (cp.name, cp.answers, cp.rated, cp.satisfied, cp.satisfaction) == ("Child Protection (CP)", 5, 5, 3, "60%")


def test_the_report_tables_mark_small_numbers_and_hold_no_family_words() -> None:
    words = "Having the same worker and being listened to made all the difference"
    records = [record("North", "cin", useful=5, helped=words, in_the_way="visits were cancelled") for _ in range(5)]
    records.append(record("South", "cin", Audience.CHILD, useful=1, in_the_way="nothing helped me"))
    f = feedback_figures(FORM, records)
    received = received_table(f)
    assert received.rows == (("Children and young people", "1*"), ("Parents and carers", "5"), ("All", "6"))
    by_area, by_cohort = satisfaction_tables(f)
    assert by_area.rows == (
        ("North", "5", "5", "5", "100%", "—"),
        ("South", "1*", "1*", "0", "0%*", "—"),
        ("The whole service", "6", "6", "5", "83%", "—"),  # 5 of 6
    )
    assert by_cohort.rows == (("Child in Need (CiN)", "6", "6", "5", "83%", "—"),)
    themes = themes_table(f)
    assert themes.rows == (
        ("Being listened to", "5", "0"),  # ties by total keep the form's order
        ("The same worker", "5", "0"),
        ("Time and being there", "0", "5"),
        (OTHER, "0", "1*"),
    )
    everything = str([received.rows, by_area.rows, by_cohort.rows, themes.rows])
    assert "difference" not in everything
    assert "cancelled" not in everything
    assert headline(f) == (("Families' feedback", "6"), ("Families satisfied", "83%"))


def test_no_feedback_shows_no_share_rather_than_nought_per_cent() -> None:
    f = feedback_figures(FORM, [])
    assert f.whole.satisfaction == "—"
    assert satisfaction_tables(f)[0].rows == ()
    assert themes_table(f).rows == ()
    assert headline(f) == (("Families' feedback", "0"), ("Families satisfied", "—"))
