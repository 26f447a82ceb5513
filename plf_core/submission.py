"""What a submission sets off, written in its transaction: a Red's alerts (naming who gave it) and its
Practice Improvement Meeting record, the final audit to those who took part, the outcome scores
for the reports, and the outcomes chart to the practitioner."""

from __future__ import annotations

from datetime import date

from plf_core.audits import PIM_FORM, PLC_FORM, AuditView, CaseRef, overall_grades
from plf_core.good_practice_commands import nominated_at_submit
from plf_core.notices import AuditFinal, OutcomesChart, PimRequest, RedAlert
from plf_core.outcomes import scales_of
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.working_days import add_working_days


async def after_submit(
    uow: AbstractUnitOfWork, audit: AuditView, reds: tuple[str, ...], today: date, pim_working_days: int
) -> date | None:
    """The consequences of a submission, written with it: alerts, the PIM, the final audit."""
    pim_due: date | None = None
    if audit.form_id == PIM_FORM and audit.parent_audit_id is not None:
        held = audit.answers.get("PIM_held")
        if isinstance(held, str):
            await uow.audits.set_pim_held(audit.parent_audit_id, date.fromisoformat(held))
    if audit.case is None:
        return None
    if reds and audit.form_id == PLC_FORM:
        pim_due = add_working_days(today, pim_working_days)
        await _red_alerts(uow, audit, audit.case, reds, pim_due)
    final = AuditFinal(
        audit.id, audit.case.azeus_number, audit.form.title, audit.final_grade.value if audit.final_grade else ""
    )
    for person in {audit.practitioner_id, audit.second_person_id, audit.case.practice_lead_id} - {None}:
        assert person is not None
        await uow.outbox.add(Notice(f"final:{audit.id}:{person}", person, final))
    practitioner = audit.practitioner_id
    scales = scales_of(audit.form, audit.answers)
    await uow.audits.record_scores(audit.id, overall_grades(audit.form, audit.answers), scales)
    await nominated_at_submit(uow, audit)  # good practice awaits its Head of Service's confirmation
    if audit.form_id == PLC_FORM and practitioner is not None and not scales.empty:
        chart = OutcomesChart(audit.id, audit.case.azeus_number)  # the child's outcomes, to use with them
        await uow.outbox.add(Notice(f"outcomes:{audit.id}:{practitioner}", practitioner, chart))
    return pim_due


JUDGEMENTS = {
    "practitioner": "the practitioner's judgement",
    "manager": "the manager's judgement",
    "head_of_service": "the Head of Service's judgement",
    "pim": "the Practice Improvement Meeting",
}


async def _graders(uow: AbstractUnitOfWork, audit: AuditView, reds: tuple[str, ...]) -> str:
    """Each source of the Red with the person who gave it (whoever saved the page its grade is on):
    "the practitioner's judgement (Rowan Demoford) and the manager's judgement (Pat Leadwell)"."""
    form = audit.form
    page_of = {source: form.page_of(form.overall_grades[source]).id for source in reds}
    names = await uow.audits.saved_by(audit.id, set(page_of.values()))
    return " and ".join(
        f"{JUDGEMENTS.get(source, source)} ({names.get(page_of[source], 'not known')})" for source in reds
    )


async def _red_alerts(
    uow: AbstractUnitOfWork, audit: AuditView, case: CaseRef, reds: tuple[str, ...], pim_due: date
) -> None:
    """A Red audit alerts the Service Manager and Head of Service at once (line 759), and the Head of
    Service gets its Practice Improvement Meeting record; with no Head of Service, QA is alerted."""
    graders = await _graders(uow, audit, reds)
    alert = RedAlert(
        audit.id, case.azeus_number, case.team_name, audit.practitioner_name, " and ".join(reds), pim_due, graders
    )
    for person in {case.service_manager_id, case.head_of_service_id} - {None}:
        assert person is not None
        await uow.outbox.add(Notice(f"red:{audit.id}:{person}", person, alert, urgent=True))
    head = case.head_of_service_id
    if head is None:
        for qa in await uow.people.qa_people():
            await uow.outbox.add(Notice(f"red-no-hos:{audit.id}:{qa}", qa, alert, urgent=True))
        return
    pim_id = await uow.audits.create(
        form_id=PIM_FORM,
        case_id=case.case_id,
        practitioner_id=head,
        second_person_id=None,
        due_on=pim_due,
        parent_audit_id=audit.id,
    )
    await uow.audits.set_pim_due(audit.id, pim_due)
    # what the bot knows, written in for the chair to check: the social worker and their Practice Lead
    sw_tm = " / ".join(n for n in (audit.practitioner_name, audit.second_person_name) if n)
    if sw_tm:
        by = audit.submitted_by_id or head
        await uow.audits.save_answers(pim_id, 1, "header", {"PIM_sw_tm": sw_tm[:200]}, by, "header", "assigned")
    request = PimRequest(pim_id, audit.id, case.azeus_number, case.team_name, pim_due)
    await uow.outbox.add(Notice(f"pim:{audit.id}", head, request, urgent=True))
