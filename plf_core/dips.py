"""Dip samples (Appendix 13, sections 16-18): draft → approved by the QA manager → sent to the
Head of Service to agree actions within a week (line 545) → agreed. Every step is recorded
with its date and who took it; the follow-ups and the escalation to the Director of Operations
come with the timetable.

The Terms of Reference and its action plan (each action with a RAG status) are an ordinary
form (`dip_sample_terms`), filled in by the QA officer like any other audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plf_core import access
from plf_core.audits import AuditView
from plf_core.concern_escalation import raise_for_dip
from plf_core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plf_core.framework_config import Framework
from plf_core.notices import DipAction, DipSampleActions
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice, PersonSummary
from plf_core.reviews import person_named
from plf_core.timetable_notices import DipFindings
from plf_core.vocabulary import AuditStatus, Role
from plf_core.workflow import PageScreen, Reply
from plf_core.working_days import Hours

DIP_FORM = "dip_sample_terms"
#: The default annual themes (section 16, lines 531-537), offered when a dip sample is created.
DEFAULT_THEMES: tuple[str, ...] = (
    "Threshold",
    "Strategy discussion and section 47",
    "Voice of the child",
    "Management (oversight and supervision)",
    "SMART plans (CIN, CP, LAC & Pathway)",
    "Children coming into care",
    "Permanence",
)
MAX_THEME = 200
MAX_FINDINGS = 2000  # of the recommendations, on the findings card


@dataclass(frozen=True)
class DipRow:
    dip_id: int
    theme: str
    status: str
    audit_id: int | None
    head_of_service_id: int | None
    history: tuple[tuple[str, str, int | None], ...]  # (step, ISO date-time, by person id)


@dataclass(frozen=True)
class DipActionRow:
    """One of a dip sample's actions as followed up: what, by whom, by when, its RAG, and its update."""

    action_id: int
    text: str
    who: str
    deadline: date | None
    rag: str | None
    status: str  # open, done
    progress: str = ""
    done_by: str = ""
    done_at: datetime | None = None


@dataclass(frozen=True)
class DipThemes:
    themes: tuple[str, ...]


@dataclass(frozen=True)
class DipList:
    dips: tuple[DipRow, ...]


def dip_actions(answers: Mapping[str, object]) -> list[DipAction]:
    """The action plan of a Terms of Reference (AP1-AP5 with who, by when and RAG)."""
    actions = []
    for n in range(1, 6):
        text = answers.get(f"AP{n}")
        if not isinstance(text, str) or not text.strip():
            continue
        by = answers.get(f"AP{n}_by")
        rag = answers.get(f"AP{n}_rag")
        actions.append(
            DipAction(
                text.strip(),
                str(answers.get(f"AP{n}_who") or "—"),
                date.fromisoformat(by) if isinstance(by, str) and by else None,
                rag if isinstance(rag, str) and rag else None,
            )
        )
    return actions


async def themes(actor: Actor) -> DipThemes:
    access.require_qa(actor, "start dip samples")
    return DipThemes(DEFAULT_THEMES)


async def new_dip(
    uow: AbstractUnitOfWork, actor: Actor, theme: str, now: datetime, activity: str | None = None
) -> PageScreen:
    """A draft dip sample with its Terms of Reference form, opened at its first page."""
    access.require_qa(actor, "start dip samples")
    theme = " ".join(theme.split())
    if not theme:
        raise ValidationFailed(f"say which theme, for example: dip new {DEFAULT_THEMES[2]}")
    if len(theme) > MAX_THEME:
        raise ValidationFailed(f"a theme is at most {MAX_THEME} characters")
    audit_id = await uow.audits.create(
        form_id=DIP_FORM, case_id=None, practitioner_id=actor.person_id, second_person_id=None, due_on=None
    )
    await uow.dips.create(theme, audit_id, actor.person_id, now)
    await uow.access.log(actor, "create", audit_id, activity, "ok")
    audit = await uow.audits.get(audit_id)
    assert audit is not None
    return PageScreen(audit, audit.form.pages[0].id, access.contributions(actor, audit), audit.answers)


async def _dip(uow: AbstractUnitOfWork, dip_id: int) -> tuple[DipRow, AuditView]:
    row = await uow.dips.get(dip_id)
    if row is None or row.audit_id is None:
        raise NotFound(f"there is no dip sample {dip_id}")
    audit = await uow.audits.get(row.audit_id)
    assert audit is not None
    return row, audit


async def approve(uow: AbstractUnitOfWork, actor: Actor, dip_id: int, now: datetime) -> Reply:
    """The QA manager approves a dip sample whose Terms of Reference are submitted."""
    if not actor.has(Role.QA_MANAGER):
        raise NotAllowed("only a QA manager can approve a dip sample", action="dip_approve")
    row, audit = await _dip(uow, dip_id)
    if row.status != "draft":
        raise Conflict(f"dip sample {dip_id} is already {row.status}")
    if audit.status is AuditStatus.ASSIGNED or audit.status is AuditStatus.IN_PROGRESS:
        raise Conflict(f"dip sample {dip_id}'s Terms of Reference are not submitted yet (form {audit.id})")
    await uow.dips.record_step(dip_id, "approved", actor.person_id, now)
    return Reply(f"Dip sample {dip_id} ({row.theme}) is approved. Send it with: dip send {dip_id} to <Head of Service>")


async def send(
    uow: AbstractUnitOfWork,
    actor: Actor,
    dip_id: int,
    person_ref: str,
    now: datetime,
    today: date,
    timing: tuple[Framework, Hours],
) -> Reply:
    """To the Head of Service, to agree the actions within a week."""
    access.require_qa(actor, "send dip samples")
    row, audit = await _dip(uow, dip_id)
    if row.status != "approved":
        raise Conflict(f"dip sample {dip_id} is {row.status}: only an approved dip sample can be sent")
    person: PersonSummary = await person_named(uow, person_ref)
    if not await uow.people.has_role(person.person_id, Role.HEAD_OF_SERVICE):
        raise ValidationFailed(f"{person.name} is not a Head of Service")
    actions = dip_actions(audit.answers)
    if not actions:
        raise ValidationFailed(f"dip sample {dip_id} has no actions to agree: add them to its Terms of Reference")
    if not await uow.dips.record_step(dip_id, "sent", actor.person_id, now, person.person_id):
        raise Conflict(f"dip sample {dip_id} was sent meanwhile")
    await uow.dips.add_actions(dip_id, actions, now)
    agree_by = today + timedelta(days=timing[0].dip_agree_days)  # the timetable's reminder says the same
    await uow.outbox.add(
        Notice(
            f"dip:{dip_id}:sent",
            person.person_id,
            DipSampleActions(dip_id, row.theme, agree_by, tuple(actions)),
        )
    )
    managers = await uow.dips.service_managers(person.person_id)
    findings = str(audit.answers.get("TOR_recommendations") or "")[:MAX_FINDINGS]
    to_update = DipFindings(dip_id, row.theme, findings, len(actions), 1, person.name)
    for manager in managers:  # they write each action's update and mark it done ('dip actions N')
        await uow.outbox.add(Notice(f"dip:{dip_id}:sent:{manager}", manager, to_update))
    reds = await raise_for_dip(uow, actor, (dip_id, row.theme, person.person_id), managers, now, timing)
    to_read = DipFindings(dip_id, row.theme, findings, len(actions), 0, person.name)
    for leader in await uow.people.people_with_roles([Role.SLT.value]):  # the findings go to SLT (line 517)
        await uow.outbox.add(Notice(f"dip:{dip_id}:findings:{leader}", leader, to_read))
    count = len(actions)
    told = (
        f"; its {len(managers)} Service Manager{'s' if len(managers) != 1 else ''} will update them" if managers else ""
    )
    urgent = (
        f" Its {reds} action{'s' if reds != 1 else ''} rated Red went to them at once as immediate concerns."
        if reds
        else ""
    )
    return Reply(
        f"Dip sample {dip_id} sent to {person.name}, to agree its {count} actions by {agree_by:%d %B %Y}{told}.{urgent}"
    )


async def agree(uow: AbstractUnitOfWork, actor: Actor, dip_id: int, now: datetime) -> Reply:
    row, _ = await _dip(uow, dip_id)
    if row.head_of_service_id != actor.person_id:
        raise NotAllowed(f"dip sample {dip_id} was not sent to you", action="dip_agree")
    if row.status == "agreed":
        return Reply(f"You had already agreed the actions of dip sample {dip_id}.")
    await uow.dips.record_step(dip_id, "agreed", actor.person_id, now)
    return Reply(
        f"Thank you: the actions of dip sample {dip_id} ({row.theme}) are agreed. The Service Managers of your "
        f"teams write where each one has got to and mark it done ('dip actions {dip_id}'); QA follows them up."
    )


async def open_dip(uow: AbstractUnitOfWork, actor: Actor, dip_id: int, activity: str | None = None) -> PageScreen:
    """The Terms of Reference, read-only, for QA and the Head of Service it was sent to."""
    row, audit = await _dip(uow, dip_id)
    managers = await uow.dips.service_managers(row.head_of_service_id) if row.head_of_service_id else []
    if not (actor.is_qa or actor.is_slt or actor.person_id in (row.head_of_service_id, *managers)):
        raise NotAllowed(f"dip sample {dip_id} is not one you can open", action="dip_open")
    await uow.access.log(actor, "view", audit.id, activity, "ok")
    return PageScreen(audit, audit.form.pages[0].id, frozenset(), audit.answers)


async def list_dips(uow: AbstractUnitOfWork, actor: Actor) -> DipList:
    """Every dip sample for QA and SLT; for a Head of Service or Service Manager, those sent to them or
    to the Head of Service of their teams (whose actions they update)."""
    recent = await uow.dips.recent()
    if actor.is_qa or actor.is_slt:
        return DipList(tuple(recent))
    if not (actor.headed_area_ids or actor.managed_area_ids):
        access.require_qa(actor, "list dip samples")
    heads = {d.head_of_service_id for d in recent if d.head_of_service_id is not None}
    mine = {h for h in heads if h == actor.person_id or actor.person_id in await uow.dips.service_managers(h)}
    return DipList(tuple(d for d in recent if d.head_of_service_id in mine))
