"""Supervisee Evaluation Feedback, part 2 (Appendix 11, seed lines 1973-2022)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.building import done_date, long_text, prefilled, scale_5, text
from plf_core.forms.model import Contributor, Form, Page

S = Contributor.SUPERVISEE

STATEMENTS = (
    "Supervision has helped me find new ways of approaching some significant challenges.",
    "Supervision is happening regularly (approx. 4 weekly).",
    "Supervision decisions are recorded on Azeus.",
    "As a result of supervision I feel able to be more effective in my role.",
    "My supervision records prioritise actions.",
    "My supervision records include timescales.",
    "The supervision process has given me helpful insights about my personal style/approach.",
    "As a result of supervision I feel more confident in my role.",
    "There is evidence in supervision of consideration of impact on child.",
    "If I hadn't had supervision, I think I'd have found fewer options for solving the challenges I face.",
    "If I hadn't had supervision, I think I would be less effective in my role.",
    "If I hadn't had supervision, I think I would feel less confident in my role.",
    "Supervision has made a positive difference to the way I work.",
    "Consideration of training and personal development forms part of my supervision.",
    "Consideration of attendance/sickness issues forms part of my supervision.",
)
QUESTIONS = (
    "Has Supervision helped you be more effective in your role and if so how?",
    "What did you appreciate most about the supervision process?",
    "What did you appreciate least about the supervision process?",
    "Do you have any suggestions for how supervision could be more effective for you? (What might be done differently next time?)",
    "Is there anything else that you would like to tell us?",
)
SCALE = "; ".join(f"{n}={label}" for n, label in enumerate(wording.SUPERVISION_AGREEMENT_SCALE, 1))


def statements_page(first: int, last: int) -> Page:
    return Page(
        f"statements_{first}_{last}",
        f"Statements {first}-{last}",
        S,
        tuple(scale_5(f"SE{n}", f"{n}. {STATEMENTS[n - 1]}", f"statement {n}") for n in range(first, last + 1)),
        intro=f"Choose one answer for each statement using the following scale: {SCALE}.",
    )


FORM = Form(
    id="supervisee_evaluation",
    title="Supervisee Evaluation Feedback (supervision review part 2)",
    source="Appendix 11, seed lines 1973-2022",
    pages=(
        Page(
            "header",
            "About this evaluation",
            S,
            (
                prefilled("SE_staff", "Staff Name", "staff name", "audit.practitioner"),
                text("SE_reviewer", "Practice Reviewer", "practice reviewer"),
                done_date("SE_date", "Date", "date of the evaluation"),
            ),
        ),
        statements_page(1, 8),
        statements_page(9, 15),
        Page(
            "questions",
            "Supervision evaluation: feedback",
            S,
            tuple(
                long_text(f"SEQ{n}", f"{n}. {q}", f"answer to question {n}", required=n == 1)
                for n, q in enumerate(QUESTIONS, 1)
            ),
        ),
    ),
    corrections=(
        "The scale reads '1=Strongly Agree; 2=Disagree; 3=No change; 4=Agree; 5=Strongly Agree' in the seed "
        "(line 1981): the first point is 'Strongly Disagree'.",
        "Statements 2, 3, 5, 6 and 9 are worded in the seed as the reviewer's questions of part 1 ('Is "
        "supervision happening...?', 'Your supervision records...?', 'There evidence...?'); they are turned "
        "into the supervisee's statements that the agreement scale needs.",
        "Statement 11's 'led effective' reads 'less effective'; statement 15's 'form part' reads 'forms part'.",
        "The statements and questions have no ids in the seed: SE1-SE15 and SEQ1-SEQ5.",
    ),
)
