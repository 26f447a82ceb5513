"""Thematic Practice Review, CiN & CP (Appendix 3, seed lines 1360-1497; Appendices 4 and 5)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.thematic import thematic_form

FORM = thematic_form(
    form_id="thematic_cin_cp",
    title="Thematic Practice Review (CiN & CP)",
    source="Appendix 3, seed lines 1360-1497, with the grading of Appendix 4 and the prompts of Appendix 5",
    keyworker_team_label="Team",
    sections=(
        (
            "1.1",
            "The quality of transfer to the current team and practitioner, identifying a timely response and plan to meet the child's/YP's needs. Threshold for intervention is appropriate and proportionate to the needs and risks. Analysis, including evidence of practitioner and management handover and the impact on the child's/YP's experience:",
        ),
        (
            "1.2",
            "The quality and impact of assessments, analysis and decision making in providing effective help. Analysis, including consideration and impact of age, disability, ethnicity, faith/belief and other protected factors. Involvement of relevant parties in the assessment. Evidence of the impact on the child's/YP's experience of the quality of assessment and frequency of review assessments:",
        ),
        (
            "1.3",
            "The quality and impact of supervision and management oversight of practice. Analysis, including evidence of regular management oversight and decision making, including through supervision. Appropriate oversight and challenge by the Child Protection Chair, if applicable. Decision making in relation to the case is clear, with all relevant approvals in place including plans and assessments:",
        ),
        (
            "1.4",
            "The quality and impact of participation and direct work with children and families. Analysis, including evidence on the file of the clarity of the child / YP's voice:",
        ),
        (
            "1.5",
            "The quality and impact of identifying and responding to all types of abuse, recognising the vulnerability of specific groups of children to improve their outcomes. Analysis, including evidence of the impact on the child's/YP's experience of the quality of reviews:",
        ),
        (
            "1.6",
            "The quality and impact of Child In Need and Child Protection plans, intervention and reviewing. Analysis, including consideration as to the timeliness of CIN and Core Group meetings, the level of participation and development by families and/or children/YPs themselves:",
        ),
        (
            "1.7",
            "The quality and impact of contingency planning and safety plans. Analysis, including consideration whether these plans are regularly reviewed, static or dynamic plans and the level of involvement of partner agencies, children/YP and families:",
        ),
    ),
    views_section=(
        "1.8",
        "Parents / Carers Views. Please refer to separate guidance document if this case is selected for obtaining parents / carers views.",
    ),
    prompts=wording.GOOD_LOOKS_LIKE_CIN_CP,
    grading=wording.THEMATIC_GRADING_CIN_CP,
    moderator_good_practice=False,
    action_intro="Areas and opportunities for improvement (to be reviewed within the first supervision, following audit completion).",
    hos_comment_label="HOS comment - please note agreement to the improvement plan and any action taken to review this:",
    pim_label="Date of PIM (if case is judged inadequate)",
    corrections=(
        "Section 1.3's heading is cut off in the seed (line 1395, 'gement oversight of practice ... uding "
        "through supervision'); it is restored from Appendix 5 as 'The quality and impact of supervision and "
        "management oversight of practice', and 'an relevant of ipprovais' reads 'all relevant approvals'.",
        "Section 1.4's text is split in the seed ('direct <i>YP's voice</i>: t work'); it reads 'participation "
        "and direct work with children and families ... the clarity of the child / YP's voice'.",
        "Section 1.6's 'participation are development' reads 'participation and development'.",
    ),
)
