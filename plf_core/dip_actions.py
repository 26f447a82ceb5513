"""A dip sample's actions followed up to the end (Appendix 13, section 18): the Service Managers of the
area it was sent to (and its Head of Service) write each action's update and mark it done. When every
action is done, the follow-ups and the escalation to the Director of Operations stop.

QA and SLT may look; only the area's managers write. An action marked done stays done: ticking it
again changes nothing and says who marked it and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from plf_core.audits import AuditView
from plf_core.dips import DipActionRow, DipRow
from plf_core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plf_core.people import Actor
from plf_core.periods import staff_date
from plf_core.ports import AbstractUnitOfWork
from plf_core.vocabulary import AuditStatus

MAX_PROGRESS = 1000
DIP_RULES = ("dip_agree:", "dip_followup_2:", "dip_escalation:")  # the timetable's rules about a dip sample
TRUE = {True, "true", "True", "yes", "on", "1"}


@dataclass(frozen=True)
class DipActionsScreen:
    dip_id: int
    theme: str
    actions: tuple[DipActionRow, ...]
    can_write: bool
    note: str | None = None
    errors: Mapping[str, str] | None = None

    @property
    def all_done(self) -> bool:
        return bool(self.actions) and all(a.status == "done" for a in self.actions)


async def _dip(uow: AbstractUnitOfWork, dip_id: int) -> DipRow:
    row = await uow.dips.get(dip_id)
    if row is None:
        raise NotFound(f"there is no dip sample {dip_id} (type 'dips' for the list)", action="dip_actions")
    if row.status not in ("sent", "agreed"):
        raise Conflict(f"dip sample {dip_id} is {row.status}: its actions are followed up once it is sent")
    return row


async def _writers(uow: AbstractUnitOfWork, row: DipRow) -> set[int]:
    if row.head_of_service_id is None:
        return set()
    return {row.head_of_service_id, *await uow.dips.service_managers(row.head_of_service_id)}


async def open_actions(uow: AbstractUnitOfWork, actor: Actor, dip_id: int, note: str | None = None) -> DipActionsScreen:
    row = await _dip(uow, dip_id)
    writers = await _writers(uow, row)
    if actor.person_id not in writers and not (actor.is_qa or actor.is_slt):
        raise NotAllowed(
            f"dip sample {dip_id}'s actions are followed up by the Service Managers of the area it was sent to "
            "and its Head of Service",
            action="dip_actions",
        )
    actions = tuple(await uow.dips.actions(dip_id))
    return DipActionsScreen(dip_id, row.theme, actions, actor.person_id in writers, note)


async def save_actions(
    uow: AbstractUnitOfWork,
    actor: Actor,
    dip_id: int,
    inputs: Mapping[str, object],
    now: datetime,
    activity: str | None,
) -> DipActionsScreen:
    """Each action's update as typed, and the ones ticked done; a long update is refused with nothing
    lost (the card comes back with what was typed and the reason)."""
    row = await _dip(uow, dip_id)
    if actor.person_id not in await _writers(uow, row):
        raise NotAllowed(
            f"only the Service Managers of the area dip sample {dip_id} was sent to, and its Head of Service, "
            "update its actions: nothing was changed",
            action="dip_actions",
        )
    actions = await uow.dips.actions(dip_id)
    errors = {
        f"progress_{a.action_id}": f"at most {MAX_PROGRESS} characters"
        for a in actions
        if len(str(inputs.get(f"progress_{a.action_id}") or "")) > MAX_PROGRESS
    }
    if errors:
        typed = tuple(_as_typed(a, inputs) for a in actions)
        note = "Nothing was saved: an update is too long."
        return DipActionsScreen(dip_id, row.theme, typed, True, note, errors)
    notes = await _write(uow, actor, actions, inputs, now)
    if row.audit_id is not None:
        await uow.access.log(actor, "dip_actions", row.audit_id, activity, "ok")
    after = await open_actions(uow, actor, dip_id)
    if after.all_done:
        await uow.outbox.cancel_pending(DIP_RULES, f"dip-{dip_id}")
        notes.append("Every action is done: the follow-ups and the escalation to the Director of Operations stop.")
    return DipActionsScreen(dip_id, row.theme, after.actions, True, " ".join(notes) or "Nothing changed.")


async def _write(
    uow: AbstractUnitOfWork, actor: Actor, actions: list[DipActionRow], inputs: Mapping[str, object], now: datetime
) -> list[str]:
    notes: list[str] = []
    updated = done = 0
    for n, a in enumerate(actions, 1):
        progress = str(inputs.get(f"progress_{a.action_id}") or "").strip()
        if f"progress_{a.action_id}" in inputs and progress != a.progress and a.status != "done":
            await uow.dips.update_action(a.action_id, progress, now)
            updated += 1
        if inputs.get(f"done_{a.action_id}") in TRUE:
            if a.status == "done":
                when = f" on {staff_date(a.done_at)}" if a.done_at else ""
                notes.append(f"Action {n} was already marked done by {a.done_by or 'someone'}{when}: unchanged.")
            elif await uow.follow_ups.action_done(a.action_id, actor.person_id, now):
                done += 1
    if updated or done:
        parts = [f"{updated} update{'s' if updated != 1 else ''} saved"] if updated else []
        parts += [f"{done} action{'s' if done != 1 else ''} marked done"] if done else []
        notes.insert(0, "Thank you: " + " and ".join(parts) + ".")
    return notes


def _as_typed(a: DipActionRow, inputs: Mapping[str, object]) -> DipActionRow:
    typed = inputs.get(f"progress_{a.action_id}")
    return DipActionRow(*(a.action_id, a.text, a.who, a.deadline, a.rag, a.status), str(typed or ""), a.done_by)


def dip_number(text: str) -> int:
    digits = text.strip().lstrip("#")
    if not digits.isdigit():
        raise ValidationFailed(f"'{text[:20]}' is not a dip sample number: type 'dips' for the list")
    return int(digits)


# --- the moderators' comments (line 517: dip samples are moderated by reviewers and the AD QA) ---------

MODERATOR_FIELD = "TOR_moderators"
MODERATOR_PAGE = "learning"
MAX_COMMENTS = 4000


@dataclass(frozen=True)
class DipModerationScreen:
    dip_id: int
    theme: str
    comments: str
    note: str | None = None
    error: str | None = None


async def _moderated(uow: AbstractUnitOfWork, actor: Actor, dip_id: int) -> tuple[DipRow, AuditView]:
    row = await uow.dips.get(dip_id)
    audit = await uow.audits.get(row.audit_id) if row is not None and row.audit_id is not None else None
    if row is None or audit is None:
        raise NotFound(f"there is no dip sample {dip_id} (type 'dips' for the list)", action="dip_moderate")
    if not actor.is_qa:
        raise NotAllowed(
            "a dip sample is moderated by the Practice Learning Reviewers and the QA managers", action="dip_moderate"
        )
    if audit.practitioner_id == actor.person_id:
        raise NotAllowed(
            f"you wrote dip sample {dip_id}'s Terms of Reference: another Practice Learning Reviewer or a QA "
            "manager moderates it",
            action="dip_moderate",
        )
    if audit.status in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS):
        raise Conflict(f"dip sample {dip_id}'s Terms of Reference are not submitted yet: it is moderated after")
    return row, audit


async def open_moderation(uow: AbstractUnitOfWork, actor: Actor, dip_id: int) -> DipModerationScreen:
    row, audit = await _moderated(uow, actor, dip_id)
    return DipModerationScreen(dip_id, row.theme, str(audit.answers.get(MODERATOR_FIELD) or ""))


async def save_moderation(
    uow: AbstractUnitOfWork, actor: Actor, dip_id: int, inputs: Mapping[str, object], activity: str | None
) -> DipModerationScreen:
    """The moderator's comments into the Terms of Reference; too long is refused with nothing lost."""
    row, audit = await _moderated(uow, actor, dip_id)
    comments = str(inputs.get(MODERATOR_FIELD) or "").strip()
    if len(comments) > MAX_COMMENTS:
        error = f"at most {MAX_COMMENTS:,} characters (this is {len(comments):,})"
        return DipModerationScreen(dip_id, row.theme, comments, "Nothing was saved.", error)
    page = audit.current_page or MODERATOR_PAGE
    saved = await uow.audits.save_answers(
        audit.id, audit.version, MODERATOR_PAGE, {MODERATOR_FIELD: comments}, actor.person_id, page, audit.status.value
    )
    if not saved:
        raise Conflict(f"dip sample {dip_id} changed meanwhile: open it again with 'dip moderate {dip_id}'")
    await uow.access.log(actor, "dip_moderate", audit.id, activity, "ok")
    return DipModerationScreen(
        dip_id, row.theme, comments, "Thank you: your comments are saved in its Terms of Reference."
    )
