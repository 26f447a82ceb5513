"""Thematic / Dip Sampling Terms of Reference (Appendix 13, seed lines 2057-2097)."""

from __future__ import annotations

from plf_core.forms.building import action_rows, done_date, due_date, long_text, prefilled, text, yes_no
from plf_core.forms.model import Contributor, Form, Page, RequiredWhenEquals

Q = Contributor.QA

FORM = Form(
    id="dip_sample_terms",
    title="Thematic / Dip Sampling Terms of Reference",
    source="Appendix 13, seed lines 2057-2097",
    pages=(
        Page(
            "terms",
            "Terms of reference",
            Q,
            (
                text("TOR_title", "Title of Thematic / Dip Sampling", "title"),
                prefilled("TOR_by", "Completed by", "completed by", "audit.practitioner"),
                done_date("TOR_started", "Date Commenced", "date commenced"),
                done_date("TOR_completed", "Date Completed", "date completed", required=False),
                yes_no("TOR_previous", "Previously Sampled", "previously sampled"),
                text(
                    "TOR_previous_when",
                    "If yes, when?",
                    "when it was previously sampled",
                    required=False,
                    required_when=RequiredWhenEquals("TOR_previous", "yes"),
                ),
                long_text(
                    "TOR_context",
                    "Context / Purpose: Please state the cause for concern or idea for improvement that has led to this Thematic / dip sample being undertaken. Please add any other information i.e. if this has arisen following a particular incident or as a result of a complaint, finding from meeting /or data.",
                    "context and purpose",
                ),
                long_text(
                    "TOR_hypothesis",
                    'Hypothesis: a suggested solution for an unexplained occurrence. There is no pre-determined outcome: it should be based on your "educated guess" or proposed explanation and not on known data.',
                    "hypothesis",
                ),
            ),
        ),
        Page(
            "recommendations",
            "Recommendations and actions",
            Q,
            (
                long_text(
                    "TOR_recommendations",
                    "Recommendations to support learning and improve practice. Please also indicate how actions will be taken forward (i.e. team meetings, Operational Managers Meeting, SLT) to disseminate learning and findings.",
                    "recommendations",
                    required=False,
                ),
                *action_rows(
                    5,
                    who_label="By whom",
                    when_label="By when",
                    update_and_rag=True,
                    required_rows=0,
                ),
            ),
        ),
        Page(
            "learning",
            "Sharing learning and review",
            Q,
            (
                long_text(
                    "TOR_sharing",
                    "How will learning be shared with others?",
                    "how learning will be shared",
                    required=False,
                ),
                due_date("TOR_review", "Date to be Reviewed", "date to be reviewed", required=False),
                long_text(
                    "TOR_moderators",
                    "Moderators Comments",
                    "moderators' comments",
                    required=False,
                    editor=Contributor.MODERATOR,
                ),
            ),
        ),
    ),
    corrections=(
        "'Date Commenced and Completed' is one cell in the seed; it is two dates here.",
        "The fields have no ids in the seed: TOR_* and AP1-AP5 with _update and _rag.",
    ),
)
