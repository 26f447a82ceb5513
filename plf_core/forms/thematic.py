"""The shape both thematic Practice Review forms share (Appendices 3 and 6)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.building import (
    action_rows,
    date,
    done_date,
    due_date,
    grade,
    long_text,
    prefilled,
    text,
    thematic_section,
)
from plf_core.forms.model import Contributor, Field, Form, Page, RequiredWhenDiffers
from plf_core.vocabulary import GRADE_ORDER, Grade

R = Contributor.REVIEWER
MOD = Contributor.MODERATOR
HOS = Contributor.HEAD_OF_SERVICE

PURPOSE = (
    "The purpose of a quality Practice Review is to develop our understanding of our practice, the quality "
    "of the service we provide, and to improve outcomes for children and young people through a process of "
    "continuous learning. Our primary focus is on promoting excellence in practice and outcomes."
)
OVERALL_QUESTION = (
    "2: Overall Grading / Comments. Has the help provided improved outcomes? Are children and young people "
    "being supported to achieve their full potential? Evaluate the impact of intervention (including on where "
    "the child is living, education, physical health, emotional and mental well-being, and work with other "
    "agencies). How well is the voice of the child or young person evident overall, and how much impact has it had?"
)


def thematic_form(
    *,
    form_id: str,
    title: str,
    source: str,
    keyworker_team_label: str,
    sections: tuple[tuple[str, str], ...],
    views_section: tuple[str, str],
    prompts: dict[str, str],
    grading: dict[Grade, str],
    moderator_good_practice: bool,
    action_intro: str,
    hos_comment_label: str,
    pim_label: str,
    corrections: tuple[str, ...],
) -> Form:
    guidance = f"Notes for Practice Reviewer: {wording.REVIEWER_NOTES}"  # each grade's meaning is beside it
    header = Page(
        "header",
        "About this practice review",
        R,
        (
            text("T_keyworker", "Name of keyworker", "name of keyworker"),
            prefilled("T_team", keyworker_team_label, "team", "case.team"),
            prefilled("T_azeus", "Azeus ID Number", "Azeus ID number", "case.azeus_number"),
            prefilled(
                "T_reviewer",
                "Name of Practice Reviewer",
                "name of practice reviewer",
                "audit.practitioner",
            ),
            prefilled("T_age", "Age of Child", "age of child", "case.age"),
            done_date("T_date", "Date of Audit", "date of audit"),
            due_date(
                "T_deadline",
                "Deadline for submission of practice review",
                "deadline for submission",
            ),
            text("T_theme", "The practice review theme is", "practice review theme"),
            long_text(
                "T_focus",
                "Agreed focus of the practice review (over the last 6 months)",
                "agreed focus",
            ),
        ),
        intro=PURPOSE,
    )
    section_fields = [thematic_section(number, label, prompts.get(number)) for number, label in sections]
    section_pages = tuple(
        Page(
            f"sections_{i + 1}",
            "1 The experiences and progress of children — " + ", ".join(s[0] for s in sections[2 * i : 2 * i + 2]),
            R,
            tuple(f for fs in section_fields[2 * i : 2 * i + 2] for f in fs),
            guidance=guidance,
        )
        for i in range((len(sections) + 1) // 2)
    )
    views_number, views_label = views_section
    overall = Page(
        "overall",
        "2 Overall grading and the child's experience",
        R,
        (
            *thematic_section(views_number, views_label, None, rated=False),
            long_text("O_analysis", OVERALL_QUESTION, "overall analysis"),
            grade(
                "O_rating",
                "Overall: Practice Reviewer (Auditor) rating",
                "reviewer's overall rating",
                meaning="grade:reviewer",
            ),
            grade(
                "O_moderator",
                "Overall: Moderator rating",
                "moderator's overall rating",
                required=False,
                editor=MOD,
                meaning="grade:moderator",
            ),
            long_text(
                "O_reasons",
                "Overall: Moderator reasons, if judgement differs from Practice Reviewer",
                "moderator's reasons for the overall rating",
                required=False,
                editor=MOD,
                required_when=RequiredWhenDiffers("O_rating", "O_moderator"),
            ),
            long_text(
                "X_experience",
                "Separately from above, is there something to add from the perspective of the child's experience?",
                "the child's experience",
            ),
            grade(
                "X_rating",
                "Child's experience: Practice Reviewer (Auditor) rating",
                "reviewer's rating of the child's experience",
            ),
            grade(
                "X_moderator",
                "Child's experience: Moderator rating",
                "moderator's rating of the child's experience",
                required=False,
                editor=MOD,
            ),
            long_text(
                "X_reasons",
                "Child's experience: Moderator reasons, if judgement differs from Practice Reviewer",
                "moderator's reasons for the child's experience rating",
                required=False,
                editor=MOD,
                required_when=RequiredWhenDiffers("X_rating", "X_moderator"),
            ),
        ),
        guidance=guidance,
    )
    good_practice: tuple[Field, ...] = (
        long_text(
            "G_practice",
            "Please bullet point what you consider to be examples of good practice within the case work",
            "examples of good practice",
        ),
        date("G_pim", pim_label, "date of the PIM", required=False),
    )
    if moderator_good_practice:
        good_practice += (
            long_text(
                "G_moderator",
                "Moderator's observation of good practice",
                "moderator's observation of good practice",
                required=False,
                editor=MOD,
            ),
        )
    moderation = Page(
        "moderation",
        "Good practice and moderation",
        R,
        (
            *good_practice,
            long_text(
                "MOD_analysis",
                "Moderation by the Audit / Service Improvement Team. Analysis, including clear rationale if the moderation goes either up or down:",
                "moderation analysis",
                required=False,
                editor=MOD,
            ),
            grade(
                "MOD_grade",
                "Overall Grading of the Practice (moderator)",
                "moderator's overall grading",
                required=False,
                editor=MOD,
                meaning="grade:moderator:overall",
            ),
            long_text(
                "MOD_reason",
                "Please summarise the reason for your rating",
                "moderator's reason for the rating",
                required=False,
                editor=MOD,
            ),
        ),
        guidance=guidance,
    )
    actions = Page(
        "action_plan",
        "Areas and opportunities for improvement",
        R,
        action_rows(5, who_label="By whom", when_label="Target date for completion", impact=True),
        intro=action_intro,
    )
    sign_off = Page(
        "sign_off",
        "Sign-off",
        R,
        (
            done_date(
                "SO_sent",
                "Date sent by the reviewer to the social worker and Practice Lead",
                "date sent to the social worker and Practice Lead",
                required=False,
            ),
            text(
                "SO_pl_signed",
                "Signed: Practice Lead",
                "Practice Lead's signature",
                required=False,
                editor=Contributor.MANAGER,
            ),
            long_text(
                "SO_hos_comment",
                hos_comment_label,
                "Head of Service's comment",
                required=False,
                editor=HOS,
            ),
            done_date(
                "SO_sm_date",
                "Date of Service Manager Sign off",
                "date of Service Manager sign off",
                required=False,
                editor=Contributor.MANAGER,
            ),
            done_date(
                "SO_hos_date",
                "Date of Head of Service Sign off (if inadequate)",
                "date of Head of Service sign off",
                required=False,
                editor=HOS,
            ),
            due_date(
                "SO_review",
                "Review date for HoS: actions completed?",
                "review date for the Head of Service",
                required=False,
                editor=HOS,
            ),
            text(
                "SO_hos_signed",
                "Signed: (Head of Service)",
                "Head of Service's signature",
                required=False,
                editor=HOS,
            ),
            long_text(
                "SO_further",
                "If the actions agreed have not been completed or the action taken has not improved outcomes for the child/young person please note what further actions are required:",
                "further actions required",
                required=False,
                editor=HOS,
            ),
        ),
    )
    return Form(
        id=form_id,
        title=title,
        source=source,
        pages=(header, *section_pages, overall, moderation, actions, sign_off),
        corrections=(
            *corrections,
            "The sign-off block's 'perosn' and 'actison' (seed) read 'person' and 'actions'.",
            "Fields have no ids in the seed: sections are S1_1..S1_8 (analysis) with _rating, _moderator and "
            "_reasons; the overall grading is O_*, the child's experience X_*, moderation MOD_*, actions AP1-AP5.",
        ),
        overall_grades={"reviewer": "O_rating", "moderator": "MOD_grade"},
        grade_guidance={g.value: grading[g] for g in GRADE_ORDER},
    )
