"""Practice Learning Conversation / Self-Audit (Appendix 2, seed lines 1010-1359)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.building import (
    action_rows,
    child_rating,
    date,
    done_date,
    grade,
    long_text,
    prefilled,
    scale_10,
    text,
    yes_no,
    yes_no_with_evidence,
)
from plf_core.forms.model import (
    Choice,
    Contributor,
    Field,
    FieldKind,
    Form,
    Page,
    RequiredWhenEquals,
)
from plf_core.vocabulary import GRADE_ORDER

P = Contributor.PRACTITIONER
M = Contributor.MANAGER

#: Beside each grade option, on every grade of this form (Appendix 1's practice standards).
STANDARDS_GUIDANCE = {g.value: wording.PRACTICE_STANDARDS_GUIDANCE[g] for g in GRADE_ORDER}
PART_A_INTRO = (
    "This part of the practice learning tool requires you to evaluate practice against the quality "
    "standards for the service for the key practice areas. Standards of record keeping need to have "
    "been maintained consistently in the most recent 12 month period and any workflow anomalies need "
    "to have been resolved by the manager, in order to be graded a green."
)
PART_B_INTRO = (
    "In this section of the audit tool, the focus is on the outcomes for the child. We are interested "
    "to learn whether the outcomes for the child have improved/are improving as a result of the work "
    "you and partners are doing. Scale 1-10 (1 being poor and 10 being good)."
)


def outcome(number: int, area: str, question: str, short: str) -> tuple[Field, ...]:
    return (
        scale_10(
            f"B{number}a",
            f"B{number}a: {question} On a scale of 1-10 (see scales for guidance)",
            f"{short} scale",
            meaning=f"practitioner:{area}",
        ),
        long_text(
            f"B{number}b",
            f"B{number}b: What is the evidence for your grade?",
            f"evidence for the {short} scale",
        ),
        long_text(
            f"B{number}c",
            f"B{number}c: What needs to be different and what actions need to be considered in order for things to improve further for the child?",
            f"what needs to change for {short}",
            meaning=f"change:{area}",
        ),
    )


HEADER = Page(
    "header",
    "About this audit",
    P,
    (
        prefilled("H_azeus", "Azeus Number", "Azeus number", "case.azeus_number"),
        prefilled("H_gender", "Child's Gender", "child's gender", "case.gender"),
        prefilled("H_auditor", "Name of Auditor", "name of auditor", "audit.practitioner"),
        prefilled("H_team", "Team", "team", "case.team"),
        Field(
            "H_how",
            "How was this completed?",
            FieldKind.CHOICE,
            "how it was completed",
            choices=(
                Choice("plc", "A - Practice Learning Conversation"),
                Choice("self", "B - Self-audit"),
            ),
        ),
        text(
            "H_second",
            "Name of 2nd person if Practice Learning Conversation",
            "name of the 2nd person",
            required=False,
            required_when=RequiredWhenEquals("H_how", "plc"),
            suggested_from="audit.second_person",
        ),
        done_date("H_date", "Date Audit Completed", "date the audit was completed", suggested_from="today"),
    ),
)

PART_A_ASSESSMENT = Page(
    "part_a_assessment",
    "Part A — 1.1 Assessment",
    P,
    (
        *yes_no_with_evidence(
            1,
            "Is the record up to date, comprehensive and tells the child's story?",
            "record up to date",
        ),
        *yes_no_with_evidence(
            2,
            "Is all the essential information on file, e.g. information on child, siblings, parents, up to date including DoB's, Ethnicity, Legal Status and Placements?",
            "essential information on file",
        ),
        yes_no(
            "A3",
            "A3: Has the Primary Service User Group (PSUG) been updated (main group and sub-group) on the child's summary on Azeus?",
            "PSUG updated",
        ),
        *yes_no_with_evidence(4, "Do workflows correspond with child's current status?", "workflows match status"),
        *yes_no_with_evidence(
            5,
            "Is there a genogram on the file that enables you to understand the child's network?",
            "genogram on file",
        ),
        *yes_no_with_evidence(
            6,
            "Is there an up to date chronology on file, which is of good quality and within the expected format?",
            "chronology on file",
        ),
    ),
    intro=PART_A_INTRO,
)

PART_A_PLANNING = Page(
    "part_a_planning",
    "Part A — 1.2 Planning, review, and intervention",
    P,
    (
        *yes_no_with_evidence(
            7,
            "Is there a SMART (Specific, Measurable, Achievable, Relevant, Time-Oriented) outcome focused plan? Is it sufficient to address risk and need and is it making a difference?",
            "SMART plan",
        ),
        *yes_no_with_evidence(
            8,
            "Have all statutory processes and timescales been complied with i.e. assessment, visit, reviews?",
            "statutory timescales",
        ),
        *yes_no_with_evidence(
            9,
            "Have the family/carers, including fathers, non resident parents, been involved at all stages of assessment planning and intervention? Are the views of family/carers captured in plans?",
            "family involved",
        ),
        *yes_no_with_evidence(
            10,
            "Has the child been involved/engaged at all stages of assessment, planning and intervention, with the voice of the child captured in assessment and plans?",
            "child involved",
        ),
    ),
)

PART_A_OVERSIGHT = Page(
    "part_a_oversight",
    "Part A — 1.3 Management oversight, 1.4 approaches, 2 EHCP",
    P,
    (
        *yes_no_with_evidence(
            11,
            "Is there evidence of supervision in line with the supervision policy and is the management oversight at an appropriate level for the case?",
            "supervision and oversight",
        ),
        long_text(
            "A12",
            "A12: Please articulate the difference that Restorative and Systemic approaches have made so far.",
            "difference restorative and systemic approaches made",
        ),
        yes_no("EHCP1", "EHCP: Does the child / young person have an EHCP?", "child has an EHCP"),
        yes_no(
            "EHCP2",
            "EHCP: Is there a copy of the EHCP uploaded to documents? (if applicable)",
            "EHCP uploaded",
            required=False,
            required_when=RequiredWhenEquals("EHCP1", "yes"),
        ),
        yes_no(
            "EHCP3",
            "EHCP: Is the EHCP field under Education in the Child Azeus record completed? (if applicable)",
            "EHCP field completed",
            required=False,
            required_when=RequiredWhenEquals("EHCP1", "yes"),
        ),
    ),
)

PART_A_JUDGEMENT = Page(
    "part_a_judgement",
    "Part A — 3 Practitioner's judgement (compliance)",
    P,
    (
        grade(
            "A13",
            "A13: BRAG Rating",
            "BRAG rating for compliance",
            meaning="grade:practitioner:compliance",
        ),
        long_text(
            "A14",
            "A14: Please add your reflections regarding your Practitioner judgement in relation to compliance with required standards.",
            "reflections on compliance",
        ),
    ),
)

PART_B_1 = Page(
    "part_b_living_education",
    "Part B — 4 Outcomes: living arrangements, education",
    P,
    (
        *outcome(
            1,
            "living_arrangements",
            "How safe and secure are the child's living arrangements?",
            "living arrangements",
        ),
        *outcome(
            2,
            "education",
            "How effective are the arrangements to promote the child's educational achievements?",
            "education, employment and training",
        ),
    ),
    intro=PART_B_INTRO,
)
PART_B_2 = Page(
    "part_b_health_relationships",
    "Part B — 4 Outcomes: health, relationships",
    P,
    (
        *outcome(
            3,
            "health",
            "Are the child's health and development needs being met?",
            "health and development",
        ),
        *outcome(
            4,
            "relationships",
            "How stable and supportive are the child's relationships (family and others, including family time i.e. contact).",
            "relationships",
        ),
    ),
)
PART_B_3 = Page(
    "part_b_wellbeing_self",
    "Part B — 4 Outcomes: emotional well-being, sense of self",
    P,
    (
        *outcome(
            5,
            "emotional_wellbeing",
            "Are the child's emotional needs understood and being met?",
            "emotional well-being",
        ),
        *outcome(
            6,
            "sense_of_self",
            "How effective are we at promoting the child's sense of self including diversity, identity, aspiration and resilience?",
            "sense of self",
        ),
    ),
)

PART_B_JUDGEMENT = Page(
    "part_b_judgement",
    "Part B — 5 Practitioner's judgement (outcomes), 6 the child's own ratings",
    P,
    (
        scale_10(
            "B7",
            "B7: Please complete the scaling below for the overall outcomes for the child or young person on a scale of 1-10",
            "overall outcomes scale",
            meaning="practitioner:overall",
        ),
        long_text(
            "B8",
            "B8: Please add your reflections regarding your Practitioner judgement in relation to outcomes for child/young person.",
            "reflections on outcomes",
        ),
        child_rating(
            "C1",
            "Child's rating: Do you feel safe and secure where you live?",
            "child's rating of living arrangements",
            "living_arrangements",
        ),
        child_rating(
            "C2",
            "Child's rating: Education, Employment and Training",
            "child's rating of education",
            "education",
        ),
        child_rating("C3", "Child's rating: Health and Development", "child's rating of health", "health"),
        child_rating(
            "C4",
            "Child's rating: Relationships",
            "child's rating of relationships",
            "relationships",
        ),
        child_rating(
            "C5",
            "Child's rating: Emotional Well-being",
            "child's rating of emotional well-being",
            "emotional_wellbeing",
        ),
        child_rating(
            "C6",
            "Child's rating: Sense of Self",
            "child's rating of sense of self",
            "sense_of_self",
        ),
    ),
    intro=(
        "Section 6: complete the child's ratings using the numbers the child/young person selected on the "
        f"activity sheets ({wording.CHILD_RATING_GUIDE})."
    ),
)

PRACTITIONER_OVERALL = Page(
    "practitioner_overall",
    "7 Overall grade (practitioner)",
    P,
    (
        grade(
            "P1",
            "Overall Grade",
            "practitioner's overall grade",
            meaning="grade:practitioner",
        ),
        long_text(
            "P2",
            f"Please give a narrative to your grade. {wording.OVERALL_NARRATIVE_QUESTIONS}",
            "practitioner's narrative",
        ),
    ),
    intro=(
        "Considering both your assessment of how well you have complied with practice standards and how well "
        "we are achieving the desired outcomes for the child, now is your opportunity to give an overall grade."
    ),
)

MANAGER_JUDGEMENT = Page(
    "manager_judgement",
    "8-9 Manager's overall judgement: compliance and outcomes",
    M,
    (
        prefilled("M_name", "Manager's Name", "manager's name", "audit.manager"),
        grade(
            "MA1",
            "BRAG Rating for PART A",
            "manager's BRAG rating for Part A",
            compare="A13",
            meaning="grade:manager:compliance",
        ),
        long_text(
            "MA2",
            "Please add your reflections regarding your management judgement in relation to compliance with required standards.",
            "manager's reflections on compliance",
            compare="A14",
        ),
        scale_10(
            "MB1",
            "Please complete the scaling below for the overall outcomes for the child or young person on a scale of 1-10 (1 being poor and 10 being outstanding).",
            "manager's overall outcomes scale",
            compare="B7",
            meaning="manager:overall",
        ),
        long_text("MB2", "Evidence that supports your grade.", "manager's evidence", compare="B8"),
        long_text(
            "MB3",
            "What needs to be different and what actions need to be considered in order for things to improve further for the child?",
            "manager's view of what needs to change",
        ),
    ),
)

MANAGER_OVERALL = Page(
    "manager_overall",
    "10 Overall grade (manager)",
    M,
    (
        grade(
            "MO1",
            "Overall Grade",
            "manager's overall grade",
            compare="P1",
            meaning="grade:manager",
        ),
        long_text("MO2", "Please give a narrative next to your grade.", "manager's narrative", compare="P2"),
    ),
)

ACTION_PLAN = Page(
    "action_plan",
    "11 Action plan",
    M,
    action_rows(5),
    intro=(
        "Make actions SMART (Specific, Measurable, Achievable, Realistic, Time-bound): they will be "
        "reviewed in case supervision discussions."
    ),
)

HEAD_OF_SERVICE = Page(
    "head_of_service",
    "12 Head of Service / Practice Learning Reviewer comments",
    Contributor.HEAD_OF_SERVICE,
    (
        text("HOS1", "HOS Name", "Head of Service's name", required=False),
        long_text("HOS2", "HOS Comments", "Head of Service's comments", required=False),
        done_date("HOS3", "Date", "date of the Head of Service's comments", required=False),
        yes_no(
            "HOS4",
            "If audit is graded 'good' or 'outstanding', do you want to submit this audit as an example of good practice that may be used in an Ofsted inspection?",
            "submit as good practice",
            required=False,
        ),
        date("HOS5", "Date of PIM (if case is judged inadequate)", "date of the PIM", required=False),
    ),
    intro=(
        "Only to be completed if required. 20% of all audits are reviewed by a Head of Service. Any audits "
        'graded as "red" are reviewed by a Head of Service.'
    ),
)

FORM = Form(
    id="practice_learning_conversation",
    title="Practice Learning Conversation / Self-Audit",
    source="Appendix 2, seed lines 1010-1359",
    pages=(
        HEADER,
        PART_A_ASSESSMENT,
        PART_A_PLANNING,
        PART_A_OVERSIGHT,
        PART_A_JUDGEMENT,
        PART_B_1,
        PART_B_2,
        PART_B_3,
        PART_B_JUDGEMENT,
        PRACTITIONER_OVERALL,
        MANAGER_JUDGEMENT,
        MANAGER_OVERALL,
        ACTION_PLAN,
        HEAD_OF_SERVICE,
    ),
    corrections=(
        "The EHCP questions (seed lines 1103-1105) lost their first letters: 'Ooes', 's there'; they read "
        "'Does the child / young person have an EHCP?', 'Is there a copy of the EHCP uploaded to documents? "
        "(if applicable)' and 'Is the EHCP field ... completed? (if applicable)'. The seed gives them no ids: "
        "they are EHCP1-EHCP3, and the last two are required only when the child has an EHCP.",
        "Section 6's child ratings, the manager sections, the action plan and the Head of Service block have "
        "no ids in the seed: they are C1-C6, MA1-MA2, MB1-MB3, MO1-MO2, AP1-AP5 and HOS1-HOS5.",
        "Part B section numbers are garbled in the seed ('1.6.' before B6): the outcome areas are B1-B6 of section 4.",
        "'Name of Auditor', the manager's and the HoS's names are the people doing the audit; the case is "
        "identified by its Azeus number only, never by the child's name.",
    ),
    overall_grades={"practitioner": "P1", "manager": "MO1"},
    submitted_by=(Contributor.PRACTITIONER, Contributor.MANAGER),
    grade_guidance=STANDARDS_GUIDANCE,
)
