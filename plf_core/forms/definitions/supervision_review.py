"""Practice Review of Supervision, part 1 (Appendix 10, seed lines 1926-1972)."""

from __future__ import annotations

from plf_core.forms.building import action_rows, done_date, long_text, prefilled, text, yes_no
from plf_core.forms.model import Contributor, Field, Form, Page

R = Contributor.REVIEWER

CHECKS = (
    "Is there a supervision agreement?",
    "Is supervision happening regularly (approx. 4 weekly)?",
    "Are supervision decisions recorded on Azeus?",
    "Do supervision records include reflection of learning?",
    "Do supervision records prioritise actions?",
    "Do supervision records include timescales?",
    "Do supervision records include discussion and analysis of risk?",
    "Do supervision records give clear rationale for any decision making?",
    "Is there evidence of consideration of impact on child?",
    "Is there evidence of appropriate challenge?",
    "Is there evidence of consideration of other relevant issues?",
    "Is there evidence of consideration of personal performance?",
    "Is there evidence of consideration of team performance?",
    "Is there evidence of consideration of training and personal development?",
    "Is there evidence of consideration of attendance/sickness issues?",
)


def check(n: int) -> tuple[Field, Field]:
    return (
        yes_no(f"SR{n}", f"{n}. {CHECKS[n - 1]}", f"check {n}"),
        long_text(
            f"SR{n}_comments",
            f"{n}. Comments",
            f"comments on check {n}",
            required=False,
            max_length=1000,
        ),
    )


def checks_page(first: int, last: int) -> Page:
    return Page(
        f"checks_{first}_{last}",
        f"Checks {first}-{last}",
        R,
        tuple(f for n in range(first, last + 1) for f in check(n)),
    )


FORM = Form(
    id="supervision_review",
    title="Practice Review of Supervision (part 1)",
    source="Appendix 10, seed lines 1926-1972",
    pages=(
        Page(
            "header",
            "About this review",
            R,
            (
                text("SR_staff", "Staff Name", "staff name"),
                prefilled("SR_reviewer", "Practice Reviewer", "practice reviewer", "audit.practitioner"),
                done_date("SR_date", "Date", "date of the review"),
            ),
        ),
        checks_page(1, 5),
        checks_page(6, 10),
        checks_page(11, 15),
        Page(
            "actions",
            "Actions required to achieve improved outcomes for child(ren)/YP",
            R,
            action_rows(6, who_label="By whom", when_label="By when"),
        ),
    ),
    corrections=(
        "The fifteen checks have no ids in the seed: they are SR1-SR15, each with SR{n}_comments.",
        "Check 2 and check 14 lacked their question marks.",
    ),
)
