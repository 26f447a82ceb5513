"""Practice Improvement Meeting record (Appendix 9, seed lines 1863-1925)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.building import action_rows, done_date, grade, long_text, prefilled, text
from plf_core.forms.model import Contributor, Form, Page
from plf_core.vocabulary import GRADE_ORDER

C = Contributor.PIM_CHAIR

FORM = Form(
    id="practice_improvement_meeting",
    title="Practice Improvement Meeting (PIM)",
    source="Appendix 9, seed lines 1863-1925",
    pages=(
        Page(
            "header",
            "About the meeting",
            C,
            (
                done_date("PIM_date", "Date", "date of the record"),
                prefilled("PIM_case", "Case ID", "case id", "case.azeus_number"),
                text("PIM_sw_tm", "SW/TM", "social worker / team manager"),
                prefilled("PIM_team", "Team & Service Area", "team and service area", "case.team_and_area"),
                prefilled("PIM_chair", "Chair of PIM", "chair of the PIM", "audit.practitioner"),
                done_date("PIM_held", "Date of PIM", "date of the PIM", meaning="pim:held_on"),
                long_text("PIM_attendees", "List of attendees (in addition to above)", "list of attendees"),
            ),
        ),
        Page(
            "discussion",
            "A: Discussion of the case",
            C,
            (
                long_text(
                    "PIM_A",
                    "A: Briefly record your discussions of the case.",
                    "discussion",
                    help=wording.PIM_DISCUSSION_PROMPTS,
                    max_length=4000,
                ),
            ),
            intro=wording.PIM_DISCUSSION_PROMPTS,
        ),
        Page(
            "actions",
            "B: Actions required to achieve improved outcomes for child(ren)/YP",
            C,
            (
                *action_rows(6, who_label="By whom", when_label="By when"),
                text("PIM_sent_to", "Minutes to be sent to", "who the minutes go to", required=False),
                done_date("PIM_sent_on", "Date sent", "date the minutes were sent", required=False),
            ),
        ),
        Page(
            "grading",
            "C: Grading, D: Head of Service",
            C,
            (
                grade(
                    "PIM_grade",
                    "C. Now please grade the case. Give brief reasons why.",
                    "grade of the case",
                    meaning="grade:pim",
                ),
                long_text("PIM_narrative", "Narrative as to why Grading given", "narrative for the grade"),
                text(
                    "PIM_hos",
                    "D. Name of Head of Service PIM minutes sent to",
                    "Head of Service the minutes went to",
                    required=False,
                ),
            ),
        ),
    ),
    corrections=(
        "The seed asks for the 'Child/YP's name' (line 1866): the product stores no child's name, so the "
        "record carries the Case ID (Azeus number) only.",
        "Garbled labels read: 'Give brid ef reasons' = 'Give brief reasons'; 'nadequate' = 'Inadequate'; "
        "'Narra ative' = 'Narrative'; 'be sent to and date sent' = 'Minutes to be sent to' and 'Date sent'; "
        "section D's 'Nam e of Head of Service PIM Minutes to' = 'Name of Head of Service PIM minutes sent to'.",
        "The grading's tick boxes are one choice of the four grades.",
    ),
    overall_grades={"pim": "PIM_grade"},
    grade_guidance={g.value: wording.PRACTICE_STANDARDS_GUIDANCE[g] for g in GRADE_ORDER},
)
