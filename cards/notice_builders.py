"""The cards of the workflow's notices (plf_core.notices): one small builder each, registered by kind."""

from __future__ import annotations

from datetime import timedelta

from cards import layered, notices, workflow
from cards.base import CardDict
from cards.registry import CardContext, builds
from plf_core import notices as n
from plf_core import timetable_notices as t
from plf_core.forms.registry import get_form


@builds(n.AuditAssigned)
def _assigned(notice: n.AuditAssigned, context: CardContext) -> CardDict:
    return workflow.audit_assigned(notice.audit_id, notice.case, notice.team, notice.due, notice.reader, notice.other)


@builds(n.AuditReady)
def _ready(notice: n.AuditReady, context: CardContext) -> CardDict:
    return workflow.audit_ready(notice.audit_id, notice.case, notice.done_by, notice.sections)


@builds(n.RedAlert)
def _red(notice: n.RedAlert, context: CardContext) -> CardDict:
    due = notice.pim_due or context.today
    return notices.red_alert(
        notices.RedAlert(notice.audit_id, notice.case, notice.team, notice.by, notice.sources, due, notice.graders)
    )


@builds(n.PimRequest)
def _pim(notice: n.PimRequest, context: CardContext) -> CardDict:
    return notices.pim_request(notice.pim_audit_id, notice.case, notice.team, notice.pim_due or context.today)


@builds(n.OutcomesChart)
def _chart(notice: n.OutcomesChart, context: CardContext) -> CardDict:
    if context.links is None:
        raise ValueError("an outcomes chart needs its signed link")
    expires = context.today + timedelta(days=context.links.lifetime_days)
    return notices.outcomes_chart(notice.case, context.links.chart_url(notice.audit_id), expires)


@builds(n.AuditFinal)
def _final(notice: n.AuditFinal, context: CardContext) -> CardDict:
    return workflow.final_audit(notice.audit_id, notice.case, notice.form_title, notice.grade)


@builds(n.ModerationRequest)
def _moderation_request(notice: n.ModerationRequest, context: CardContext) -> CardDict:
    due = notice.due or context.today
    return notices.moderation_request(notice.audit_id, notice.case, notice.team, notice.reason, due)


@builds(n.ActionsNotYet)
def _not_yet(notice: n.ActionsNotYet, context: CardContext) -> CardDict:
    title = f"Actions not yet completed: case {notice.case}"
    return workflow.text_card(title, [f"{notice.by or 'The practitioner'} says: {notice.reason}"])


@builds(n.ReviewAssigned)
def _review(notice: n.ReviewAssigned, context: CardContext) -> CardDict:
    title = get_form(notice.form_id).title
    return layered.review_assigned(notice.audit_id, title, notice.case, notice.theme, notice.due)


@builds(n.DipSampleActions)
def _dip_actions(notice: n.DipSampleActions, context: CardContext) -> CardDict:
    return notices.dip_sample_actions(notice.dip_id, notice.theme, notice.actions, notice.agree_by or context.today)


@builds(n.ModerationOutcome)
def _moderation_outcome(notice: n.ModerationOutcome, context: CardContext) -> CardDict:
    rows = [[s.label, s.original, s.moderated, s.reason] for s in notice.sections]
    return layered.moderation_outcome(
        notice.audit_id, notice.case, notice.original, notice.moderated, rows, list(notice.actions)
    )


@builds(n.DeliveryFailures)
def _failures(notice: n.DeliveryFailures, context: CardContext) -> CardDict:
    rows = [notices.FailedDelivery(f.outbox_id, f.person, f.what, f.reason, f.urgent) for f in notice.failures]
    return notices.delivery_failures(rows, list(notice.unreachable))


@builds(n.UnknownSenderNotice)
def _unknown(notice: n.UnknownSenderNotice, context: CardContext) -> CardDict:
    return workflow.text_card(
        "Someone not in the directory wrote to the bot",
        [
            f"{notice.name or 'Someone'} (Entra object id {notice.aad_object_id or '?'}) wrote to the "
            "Practice Learning bot but is not in the directory. Add them with `plf import people`, "
            "or type 'unknown people' to see everyone waiting."
        ],
    )


@builds(t.DailyDigest)
def _digest(notice: t.DailyDigest, context: CardContext) -> CardDict:
    day = notice.day or context.today
    from cards.notice_cards import notice_card  # the digest's items are notices of their own

    parts = [notice_card(item.notice, context) for item in notice.items]
    return layered.daily_digest(day, parts, f"digest:{day.isoformat()}")
