"""What a pressed card button does: one verb table, used by the cards that carry the verbs and by the bot.

Each verb names what it needs (an audit, its version, a page, a dip sample) so that a request
missing one is refused before any work, and whether the answer refreshes for the others on the audit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from plf_core import (
    action_plans,
    chat,
    concern_commands,
    concerns,
    dip_actions,
    dips,
    follow_ups,
    moderating,
    timetable_commands,
    workflow,
)
from plf_core import good_practice_commands as good_practice
from plf_core.errors import ValidationFailed
from plf_core.turn import Turn


class Verb(StrEnum):
    AUDIT_OPEN = "audit.open"
    AUDIT_REFRESH = "audit.refresh"
    AUDIT_VIEW = "audit.view"
    AUDIT_REVIEW = "audit.review"
    AUDIT_SUBMIT = "audit.submit"
    PAGE_OPEN = "page.open"
    PAGE_SAVE = "page.save"
    PAGE_NEXT = "page.next"
    PAGE_BACK = "page.back"
    PAGE_TO_REVIEW = "page.review"  # save, then the review (after an Edit from it)
    MODERATION_OPEN = "moderation.open"
    MODERATION_SAVE = "moderation.save"
    MODERATION_SUBMIT = "moderation.submit"
    DIP_AGREE = "dip.agree"
    DIP_OPEN = "dip.open"
    DIP_ACTIONS = "dip.actions"
    DIP_ACTIONS_SAVE = "dip.actions.save"
    DIP_MODERATE_SAVE = "dip.moderate.save"
    ACTIONS_DONE = "actions.done"
    ACTION_DONE = "action.done"  # one tracked action
    ACTIONS_NOT_YET = "actions.not_yet"
    COMMAND_RUN = "command.run"
    REMINDER_SNOOZE = "reminder.snooze"
    DATA_REQUEST_SENT = "data_request.sent"
    OUTBOX_RETRY = "outbox.retry"
    CONCERN_RAISE = "concern.raise"  # from any page's "Raise an immediate concern"
    CONCERN_ACK = "concern.ack"  # "I'm dealing with this"
    GOOD_PRACTICE_DECIDE = "good_practice.decide"  # Confirm or Decline a nomination


@dataclass(frozen=True)
class ActionRequest:
    verb: Verb
    audit_id: int | None = None
    version: int | None = None
    page: str | None = None
    command: str | None = None
    inputs: dict[str, object] = field(default_factory=dict)
    dip_id: int | None = None

    @property
    def audit(self) -> int:
        assert self.audit_id is not None, "checked against the verb table when the action was read"
        return self.audit_id

    @property
    def at_version(self) -> int:
        assert self.version is not None, "checked against the verb table when the action was read"
        return self.version


Run = Callable[[Turn, ActionRequest], Awaitable[object]]
MAX_RETRIED = 100


@dataclass(frozen=True)
class Action:
    run: Run
    needs_audit: bool = False
    needs_version: bool = False
    needs_page: bool = False
    needs_dip: bool = False
    refreshes: bool = True  # the answer is refreshed for everyone on the audit (Action.Execute refresh)
    saves_page: bool = False  # workflow.save_page, and nothing else: its writes may wait for one batch


async def _command(t: Turn, r: ActionRequest) -> object:
    return await chat.run(t.uow, t.actor, r.command or "help", t.now, t.settings, t.activity_id)


async def _retry(t: Turn, r: ActionRequest) -> object:
    """One message (`outbox`), or a person's messages from QA's summary (`outboxes`, at most 100)."""
    many = r.inputs.get("outboxes")
    ids = many if isinstance(many, list) and 0 < len(many) <= MAX_RETRIED else [r.inputs.get("outbox")]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationFailed("the card does not say which message to retry")
    return await timetable_commands.retry(t.uow, t.actor, [int(str(i)) for i in ids])


async def _snooze(t: Turn, r: ActionRequest) -> object:
    days = r.inputs.get("days")
    if not isinstance(days, int) or isinstance(days, bool):
        raise ValidationFailed("a reminder can be snoozed for 1 day, 3 days or until Monday")
    return await follow_ups.snooze(t.uow, t.actor, days, t.today)


async def _data_sent(t: Turn, r: ActionRequest) -> object:
    cycle = r.inputs.get("cycle")
    if not isinstance(cycle, str) or not cycle.strip():
        raise ValidationFailed("the card does not say which cycle's data was sent")
    return await follow_ups.data_request_sent(t.uow, t.actor, cycle, t.now, t.activity_id)


async def _actions_done(t: Turn, r: ActionRequest) -> object:
    return await follow_ups.actions_done(t.uow, t.actor, r.audit, t.now, t.activity_id)


async def _action_done(t: Turn, r: ActionRequest) -> object:
    action = r.inputs.get("action")
    if not isinstance(action, int) or isinstance(action, bool):
        raise ValidationFailed("the card does not say which action is done")
    return workflow.Reply(await action_plans.action_done(t.uow, t.actor, action, t.now, t.activity_id))


async def _actions_not_yet(t: Turn, r: ActionRequest) -> object:
    reason = r.inputs.get("not_yet_reason")
    return await follow_ups.actions_not_yet(t.uow, t.actor, r.audit, reason, t.now, t.activity_id)


async def _dip_agree(t: Turn, r: ActionRequest) -> object:
    assert r.dip_id is not None
    return await dips.agree(t.uow, t.actor, r.dip_id, t.now)


async def _dip_open(t: Turn, r: ActionRequest) -> object:
    assert r.dip_id is not None
    return await dips.open_dip(t.uow, t.actor, r.dip_id, t.activity_id)


async def _dip_actions(t: Turn, r: ActionRequest) -> object:
    assert r.dip_id is not None
    return await dip_actions.open_actions(t.uow, t.actor, r.dip_id)


async def _dip_actions_save(t: Turn, r: ActionRequest) -> object:
    assert r.dip_id is not None
    return await dip_actions.save_actions(t.uow, t.actor, r.dip_id, r.inputs, t.now, t.activity_id)


async def _dip_moderate_save(t: Turn, r: ActionRequest) -> object:
    assert r.dip_id is not None
    return await dip_actions.save_moderation(t.uow, t.actor, r.dip_id, r.inputs, t.activity_id)


async def _good_practice(t: Turn, r: ActionRequest) -> object:
    field_id, decision = r.inputs.get("field"), r.inputs.get("decision")
    if not isinstance(field_id, str) or not isinstance(decision, str):
        raise ValidationFailed("the card does not say which example of good practice, or what you decided")
    how = t.now, t.settings.zone, r.command, t.activity_id
    return await good_practice.decide(t.uow, t.actor, r.audit, field_id, decision, *how)


async def _open(t: Turn, r: ActionRequest) -> object:
    return await workflow.open_audit(t.uow, t.actor, r.audit, r.page, t.activity_id)


async def _view(t: Turn, r: ActionRequest) -> object:
    return await workflow.view_audit(t.uow, t.actor, r.audit, r.page, t.activity_id)


SAVES_PAGE: dict[str, bool] = {"needs_audit": True, "needs_version": True, "needs_page": True, "saves_page": True}


def _save(direction: int) -> Run:
    async def save(t: Turn, r: ActionRequest) -> object:
        assert r.page is not None
        page = r.at_version, r.page, concerns.page_inputs(r.inputs), direction
        return await workflow.save_page(t.uow, t.actor, r.audit, *page, t.activity_id, t.today)

    return save


async def _review(t: Turn, r: ActionRequest) -> object:
    return await workflow.review(t.uow, t.actor, r.audit, t.activity_id)


async def _submit(t: Turn, r: ActionRequest) -> object:
    when = t.today, t.now
    return await workflow.submit(t.uow, t.actor, r.audit, r.at_version, *when, t.settings.workflow, t.activity_id)


async def _open_moderation(t: Turn, r: ActionRequest) -> object:
    return await moderating.open_moderation(t.uow, t.actor, r.audit, t.activity_id)


def _save_moderation(complete: bool) -> Run:
    async def save(t: Turn, r: ActionRequest) -> object:
        return await moderating.save_moderation(t.uow, t.actor, r.audit, r.inputs, complete, t.now, t.activity_id)

    return save


async def _raise_concern(t: Turn, r: ActionRequest) -> object:
    timing = t.settings.framework, t.settings.hours
    return await concerns.raise_from_page(t.uow, t.actor, r.audit, r.page, r.inputs, t.now, timing, t.activity_id)


async def _acknowledge(t: Turn, r: ActionRequest) -> object:
    concern = r.inputs.get("concern")
    if not isinstance(concern, int) or isinstance(concern, bool):
        raise ValidationFailed("the card does not say which concern this is")
    held = await concerns.acknowledge(t.uow, t.actor, concern, t.now, t.settings.zone, t.activity_id)
    if r.inputs.get("from") != "list":
        return held
    listed = await concern_commands.list_concerns(t.uow, t.actor, t.now, t.settings.zone)  # back to the list
    return replace(listed, note=f"Concern about {held.concern.case_ref or 'a dip sample'}: {held.note}")


ACTIONS: dict[Verb, Action] = {
    Verb.AUDIT_OPEN: Action(_open, needs_audit=True),
    Verb.AUDIT_REFRESH: Action(_open, needs_audit=True),
    Verb.PAGE_OPEN: Action(_open, needs_audit=True, needs_page=True),
    Verb.AUDIT_VIEW: Action(_view, needs_audit=True, refreshes=False),
    Verb.PAGE_SAVE: Action(_save(0), **SAVES_PAGE),
    Verb.PAGE_NEXT: Action(_save(1), **SAVES_PAGE),
    Verb.PAGE_BACK: Action(_save(-1), **SAVES_PAGE),
    Verb.PAGE_TO_REVIEW: Action(
        _save(workflow.TO_REVIEW), needs_audit=True, needs_version=True, needs_page=True, saves_page=True
    ),
    Verb.AUDIT_REVIEW: Action(_review, needs_audit=True),
    Verb.AUDIT_SUBMIT: Action(_submit, needs_audit=True, needs_version=True),
    Verb.MODERATION_OPEN: Action(_open_moderation, needs_audit=True),
    Verb.MODERATION_SAVE: Action(_save_moderation(False), needs_audit=True),
    Verb.MODERATION_SUBMIT: Action(_save_moderation(True), needs_audit=True),
    Verb.DIP_AGREE: Action(_dip_agree, needs_dip=True),
    Verb.DIP_OPEN: Action(_dip_open, needs_dip=True),
    Verb.DIP_ACTIONS: Action(_dip_actions, needs_dip=True, refreshes=False),
    Verb.DIP_ACTIONS_SAVE: Action(_dip_actions_save, needs_dip=True, refreshes=False),
    Verb.DIP_MODERATE_SAVE: Action(_dip_moderate_save, needs_dip=True, refreshes=False),
    Verb.ACTIONS_DONE: Action(_actions_done, needs_audit=True),
    Verb.ACTIONS_NOT_YET: Action(_actions_not_yet, needs_audit=True),
    Verb.ACTION_DONE: Action(_action_done, refreshes=False),
    Verb.COMMAND_RUN: Action(_command),
    Verb.REMINDER_SNOOZE: Action(_snooze),
    Verb.DATA_REQUEST_SENT: Action(_data_sent),
    Verb.OUTBOX_RETRY: Action(_retry),
    Verb.CONCERN_RAISE: Action(_raise_concern, needs_audit=True, refreshes=False),
    Verb.CONCERN_ACK: Action(_acknowledge, refreshes=False),
    Verb.GOOD_PRACTICE_DECIDE: Action(_good_practice, needs_audit=True, refreshes=False),
}


async def act(turn: Turn, request: ActionRequest) -> object:
    """Do what the card's button asks; the answer is a screen `cards.screens` has a card for."""
    return await ACTIONS[request.verb].run(turn, request)
