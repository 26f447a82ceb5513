"""Thematic Practice Review, CLA & Care Leavers (Appendix 6, seed lines 1605-1730; Appendices 7 and 8)."""

from __future__ import annotations

from plf_core.forms import wording
from plf_core.forms.thematic import thematic_form

FORM = thematic_form(
    form_id="thematic_cla_care_leavers",
    title="Thematic Practice Review (CLA & Care Leavers)",
    source="Appendix 6, seed lines 1605-1730, with the grading of Appendix 7 and the prompts of Appendix 8",
    keyworker_team_label="Team case allocated",
    sections=(
        (
            "1.1",
            "The quality of transfer to the current team and practitioner, identifying a timely response and plan to meet the child's/YP's needs. Analysis, including evidence of practitioner and management handover and the impact on the child's/YP's experience:",
        ),
        (
            "1.2",
            "The quality of decision making for children looked after by the local authority. Analysis, including timeliness of decisions based on evidence of the impact on the child's/YP's experience of the quality of assessment and frequency of review assessments:",
        ),
        (
            "1.3",
            "The quality and impact of supervision and management oversight of practice. Analysis, including evidence of regular management oversight and timely decision making, including through supervision. Appropriate oversight and challenge by the IRO. Decision making in relation to the case is clear:",
        ),
        (
            "1.4",
            "The quality and impact of participation and direct work with children and families. Analysis, including evidence on the file of the clarity of the child / YP's voice and (where appropriate) has been involved in developing the plan. Social worker visits the child/YP at a frequency that meets statutory guidelines and is responsive to the wishes of the child/YP. Any use of direct work is evidenced. Good working relationship is evident. Evidence of life story work where appropriate (considering age and long term CLA/adoptive placement):",
        ),
        (
            "1.5",
            "The quality and impact of identifying and responding to all types of risk to improve their outcomes. Analysis, including evidence the child / young person is protected or helped to keep themselves safe and receive help to reduce the risk of harm or actual harm. Impact on the child's/YP's experience:",
        ),
        (
            "1.6",
            "Health & Education. The quality and impact of the work to meet the child's/YP's health and educational needs:",
        ),
        (
            "1.7",
            "The quality and impact of contingency planning and safety plans. Analysis, including consideration whether these plans are regularly reviewed, static or dynamic plans and the level of involvement of partner agencies, children/YP and families:",
        ),
    ),
    views_section=(
        "1.8",
        "Parents / Carers / Child / Young Persons Views. Please refer to separate guidance document if this case is selected for obtaining parents / carers views.",
    ),
    prompts=wording.GOOD_LOOKS_LIKE_CLA,
    grading=wording.THEMATIC_GRADING_CLA,
    moderator_good_practice=True,
    action_intro="Areas and opportunities for improvement from Practice Review (to be reviewed at the PIM, if audit is inadequate).",
    hos_comment_label="HOS comment - please note agreement to the improvement plan and any action taken to review this, if overall practice is judged to be inadequate:",
    pim_label="Date of PIM (if overall judgement is inadequate)",
    corrections=(
        "The seed's sections have no numbers; they are numbered 1.1-1.8 in their order, as in Appendix 3.",
        "Section 1.2 is interleaved in the seed ('looked after by New child's/YP's experience ... wham'); it "
        "reads 'looked after by Newham', written here as 'by the local authority'.",
        "Section 1.3's heading is cut off in the seed (line 1630); it is restored as 'supervision and "
        "management oversight of practice', the heading Appendix 8 uses.",
        "Section 1.6 reads only 'Health & Education., The:' in the seed (line 1655); its prompt is completed "
        "from Appendix 8's 'Health' and 'Learning and enjoyment'.",
        "'to be reviewed at the PRIM' reads 'at the PIM' (Practice Improvement Meeting).",
    ),
)
