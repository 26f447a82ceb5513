"""Use cases of the layered audit: draw a sample, choose moderations, measure agreement.
(The moderation itself is `plf_core/moderating.py`.)

QA drives the first two from chat (or `plf`) and always sees a preview first: nothing is
created until the same command comes back with `confirm <fingerprint>`, and a confirmation
whose selection no longer matches the preview (the cases changed) shows the new preview instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from plf_core import access, periods
from plf_core.audits import PLC_FORM
from plf_core.errors import NotAllowed, NotFound
from plf_core.framework_config import Framework
from plf_core.moderation import (
    Agreement,
    Rules,
    Selection,
    agreement,
    agreement_by,
    select,
)
from plf_core.notices import AuditAssigned, ModerationRequest
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice
from plf_core.sampling import (
    CaseFacts,
    Criteria,
    Draw,
    Method,
    Pick,
    check_names,
    draw,
    fingerprint,
    selection_fingerprint,
)

DEFAULT_FRAMEWORK = Framework()


# --- sampling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SamplePreview:
    draw: Draw
    command: str  # the command that creates exactly this draw (seed included)
    fingerprint: str
    note: str | None = None
    #: each case chosen, as QA checks it: (case id, team, practitioner), in the draw's order
    chosen: tuple[tuple[str, str, str], ...] = ()


def sample_command(size: int, method: Method, criteria: Criteria, seed: int, dip_id: int | None = None) -> str:
    words = ["sample", "quota" if method is Method.QUOTA else str(size)]
    if method not in (Method.QUOTA, Method.RANDOM):
        words.append({"systematic": "systematic", "by_team": "by team", "by_cohort": "by cohort"}[method.value])
    for name, key in (("cohort", "cohorts"), ("team", "teams"), ("area", "service_areas"), ("legal", "legal_statuses")):
        values = sorted(getattr(criteria, key))
        if values:
            words.append(f"{name} {','.join(values)}")
    if criteria.min_age is not None or criteria.max_age is not None:
        words.append(f"age {criteria.min_age or 0}-{criteria.max_age if criteria.max_age is not None else 25}")
    if criteria.ehcp is not None:
        words.append(f"ehcp {'yes' if criteria.ehcp else 'no'}")
    if criteria.not_audited_months is not None:
        words.append(f"unaudited {criteria.not_audited_months}")
    if dip_id is not None:
        words.append(f"dip {dip_id}")
    words.append(f"seed {seed}")
    return " ".join(words)


async def sample(
    uow: AbstractUnitOfWork,
    actor: Actor,
    size: int,
    method: Method,
    criteria: Criteria,
    seed: int,
    confirm: str | None,
    today: date,
    activity: str | None = None,
    framework: Framework = DEFAULT_FRAMEWORK,
    dip_id: int | None = None,
) -> SamplePreview | str:
    """A preview, or (confirmed) the audits created: a start card to each practitioner and their
    Practice Lead. Returns the confirmation's reply text."""
    access.require_qa(actor, "draw samples")
    dip = await uow.dips.get(dip_id) if dip_id is not None else None
    if dip_id is not None and dip is None:
        raise NotFound(f"there is no dip sample {dip_id} (type 'dips' for the list)")
    preview, population = await preview_sample(uow, size, method, criteria, seed, today, framework, dip_id)
    result, fingerprint = preview.draw, preview.fingerprint
    if confirm is None or confirm != fingerprint:
        note = "The cases changed since that preview: this is the draw now." if confirm else None
        return replace(preview, note=note)
    existing = await uow.sampling.draw_with_fingerprint(fingerprint, seed)
    if existing is not None:
        return f"This sample was already created (draw {existing}); nothing more was created."
    purpose = "plc" if method is Method.QUOTA else "dip_sample"
    draw_id = await uow.sampling.record_draw(purpose, result, fingerprint, actor.person_id)
    if dip is not None:
        await uow.dips.link_draw(dip.dip_id, draw_id)
    due = await uow.audits.cycle_due_on(today)
    created, skipped = await _create_audits(uow, actor, result, population, draw_id, due, activity)
    cohort = len(result.picks) - len(audited(result))
    what = "for Practice Learning Review" if cohort else "assigned"
    parts = [f"Sample created (draw {draw_id}, seed {seed}): {created} audit{'s' if created != 1 else ''} {what}"]
    if skipped:
        parts.append(f"{skipped} skipped (already open for that worker, or no allocated worker)")
    if cohort:
        of = f"dip sample {dip.dip_id}'s ({dip.theme})" if dip is not None else "the dip sample's"
        parts.append(f"the other {cohort} cases are {of} cohort, kept with the draw")
    return "; ".join(parts) + ". The start cards are on their way."


def audited(result: Draw) -> tuple[Pick, ...]:
    """The cases that get a Practice Learning Conversation: every one of a quota; of a dip sample's
    cohort, only the share chosen for Practice Learning Review (line 515)."""
    if result.method is Method.QUOTA:
        return result.picks
    return tuple(p for p in result.picks if p.for_review)


async def preview_sample(
    uow: AbstractUnitOfWork,
    size: int,
    method: Method,
    criteria: Criteria,
    seed: int,
    today: date,
    framework: Framework = DEFAULT_FRAMEWORK,
    dip_id: int | None = None,
) -> tuple[SamplePreview, list[CaseFacts]]:
    """The draw these words give today, as QA checks it before Create (nothing is written)."""
    teams, areas = await uow.people.known_names()
    check_names(criteria, teams, areas)
    population = await uow.sampling.population(today)
    share = 0.0 if method is Method.QUOTA else framework.dip_review_share
    size = framework.audits_per_practice_lead if method is Method.QUOTA else size
    result = draw(population, criteria, method, size, seed, today, review_share=share)
    fingerprint = selection_fingerprint(result)
    command = sample_command(size, method, criteria, seed, dip_id)
    return SamplePreview(result, command, fingerprint, None, await _chosen(uow, result, population)), population


async def _chosen(
    uow: AbstractUnitOfWork, result: Draw, population: Sequence[CaseFacts]
) -> tuple[tuple[str, str, str], ...]:
    facts = {c.case_id: c for c in population}
    workers = {p.case_id: p.worker_id or facts[p.case_id].allocated_worker_id for p in result.picks}
    names = await uow.people.people_names([w for w in workers.values() if w is not None])
    return tuple(
        (facts[p.case_id].azeus_number, facts[p.case_id].team_code, names.get(workers[p.case_id] or 0, "no worker"))
        for p in result.picks
    )


async def _create_audits(
    uow: AbstractUnitOfWork,
    actor: Actor,
    result: Draw,
    population: Sequence[CaseFacts],
    draw_id: int,
    due: date | None,
    activity: str | None,
) -> tuple[int, int]:
    """An audit for each pick with an allocated worker and none open already, and its start cards:
    how many were created and how many skipped."""
    created, skipped = 0, 0
    azeus = {c.case_id: c for c in population}
    for pick in audited(result):
        case = azeus[pick.case_id]
        if pick.worker_id is None or await uow.audits.open_of(PLC_FORM, pick.case_id, pick.worker_id) is not None:
            skipped += 1
            continue
        second = pick.practice_lead_id if pick.practice_lead_id != pick.worker_id else None
        audit_id = await uow.audits.create(
            form_id=PLC_FORM, case_id=pick.case_id, practitioner_id=pick.worker_id, second_person_id=second, due_on=due
        )
        await uow.audits.link_to_draw(audit_id, draw_id)
        await uow.access.log(actor, "create", audit_id, activity, "ok")
        for person, reader in ((pick.worker_id, "practitioner"), (second, "second")):
            if person is not None:
                start = AuditAssigned(audit_id, case.azeus_number, case.team_code, due, reader)
                await uow.outbox.add(Notice(f"assigned:{audit_id}:{person}", person, start))
        created += 1
    return created, skipped


# --- moderation selection -------------------------------------------------------------------


@dataclass(frozen=True)
class ModeratePreview:
    month: date
    selection: Selection
    returned: int
    command: str
    fingerprint: str
    note: str | None = None


def _selection_fingerprint(selection: Selection) -> str:
    return fingerprint(f"{r.audit_id}:{r.moderator_id}:{r.stream}" for r in selection.requests)


async def choose_moderations(
    uow: AbstractUnitOfWork,
    actor: Actor | None,
    month: date,
    rules: Rules,
    confirm: str | None,
    today: date,
) -> ModeratePreview | str:
    """The month's moderation requests. `actor` None: the monthly job (confirmed by the caller)."""
    if actor is not None:
        access.require_qa(actor, "choose moderations")
    period = periods.month(month)
    start = period.starts
    returned = await uow.moderations.returned(period.starts, period.ends)
    command = f"moderate {start:%Y-%m}"
    if not returned:
        return f"No audits were returned in {start:%B %Y}, so there is nothing to moderate."
    already = await uow.moderations.requests_for([r.audit_id for r in returned])
    reviewers = await uow.people.people_with_roles(["practice_learning_reviewer"])
    ad_qa = await uow.people.people_with_roles(["qa_manager"])
    cycle = periods.cycle_containing(start)
    ad_qa_left = max(0, rules.ad_qa_per_cycle - await uow.moderations.stream_count("ad_qa", cycle.starts, cycle.ends))
    seed = start.year * 100 + start.month  # the same month always gives the same choice
    selection = select(
        returned, Rules(rules.hos_share, rules.plr_share, ad_qa_left), reviewers, ad_qa, seed, already=already
    )
    fingerprint = _selection_fingerprint(selection)
    if confirm is None:
        return ModeratePreview(start, selection, len(returned), command, fingerprint)
    if confirm != fingerprint:
        note = "The returns changed since that preview: this is the choice now."
        return ModeratePreview(start, selection, len(returned), command, fingerprint, note)
    by_id = {r.audit_id: r for r in returned}
    created = 0
    due = today + timedelta(days=rules.within_days)
    reasons = {
        "head_of_service": f"you are the Head of Service ({rules.hos_share:.0%} of your service's audits"
        " and every Red one)",
        "practice_learning_reviewer": f"Practice Learning Reviewers moderate {rules.plr_share:.0%}"
        " of each month's returns",
        "ad_qa": f"the AD QA and lead reviewers moderate {rules.ad_qa_per_cycle} cases a cycle",
    }
    for request in selection.requests:
        moderation_id = await uow.moderations.add(request.audit_id, request.moderator_id, request.stream)
        if moderation_id is None:
            continue  # asked already (a second run, another instance)
        created += 1
        returned_audit = by_id[request.audit_id]
        await uow.outbox.add(
            Notice(
                f"moderation:{request.audit_id}:{request.moderator_id}",
                request.moderator_id,
                ModerationRequest(
                    request.audit_id,
                    returned_audit.case_ref,
                    returned_audit.team,
                    reasons.get(request.stream, request.stream),
                    due,
                ),
            )
        )
    return f"{created} moderation request{'s' if created != 1 else ''} sent for {start:%B %Y}."


# --- agreement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementScreen:
    period: str
    overall: Agreement
    dimension: str | None = None
    breakdown: Mapping[str, Agreement] = field(default_factory=dict)


async def agreement_report(
    uow: AbstractUnitOfWork, actor: Actor, period: str | None, dimension: str | None, today: date
) -> AgreementScreen:
    if not (actor.is_qa or actor.is_slt):
        raise NotAllowed("only the QA team and SLT can see moderation agreement", action="agreement")
    chosen = periods.parse(period, today, default=periods.quarter(today))  # this quarter so far
    rows = await uow.moderations.moderated(chosen.starts, chosen.ends)
    overall = agreement([(r.auditor_grade, r.moderator_grade) for r in rows])
    breakdown = agreement_by(rows, dimension) if dimension else {}
    return AgreementScreen(chosen.label, overall, dimension, breakdown)
