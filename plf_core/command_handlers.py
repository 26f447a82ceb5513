"""What each chat command does: one small handler per command, called from the route table."""

from __future__ import annotations

import secrets
from datetime import date

from plf_core import (
    assigning,
    command_hints,
    concern_commands,
    dips,
    evidence,
    follow_ups,
    good_practice_commands,
    layered,
    periods,
    report_command,
    reviews,
    timetable_commands,
    workflow,
)
from plf_core import chat_commands as c
from plf_core import dip_actions as dip_actions_use_case
from plf_core.errors import ValidationFailed
from plf_core.feedback.answered import FamilyAnswers
from plf_core.feedback.asking import FeedbackLink
from plf_core.turn import Turn

MONTHS = frozenset({periods.Kind.MONTH})

ChatScreen = (
    workflow.Screen
    | command_hints.HelpMenu
    | command_hints.Choice
    | layered.SamplePreview
    | layered.ModeratePreview
    | layered.AgreementScreen
    | dips.DipThemes
    | dips.DipList
    | dip_actions_use_case.DipActionsScreen
    | concern_commands.ConcernList
    | dip_actions_use_case.DipModerationScreen
    | timetable_commands.TimetablePreview
    | timetable_commands.OutboxList
    | timetable_commands.StatusFigures
    | report_command.ReportSummary
    | good_practice_commands.GoodPracticeList
    | evidence.EvidenceSummary
    | FeedbackLink
    | FamilyAnswers
)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"'{text}' is not a date (YYYY-MM-DD)") from None


async def my_audits(t: Turn, _: c.MyAudits) -> ChatScreen:
    return await workflow.my_audits(t.uow, t.actor)


async def open_audit(t: Turn, command: c.OpenAudit | c.OpenCase) -> ChatScreen:
    if isinstance(command, c.OpenCase):
        return await assigning.open_case(t.uow, t.actor, command.case_ref, t.activity_id)
    return await workflow.open_audit(t.uow, t.actor, command.audit_id, activity=t.activity_id)


async def assign(t: Turn, command: c.Assign) -> ChatScreen:
    people = command.person_ref, command.second_person_ref
    how = t.today, t.activity_id
    return await assigning.assign(t.uow, t.actor, command.case_ref, *people, *how, anyway=command.anyway)


async def mark_uploaded(t: Turn, command: c.MarkUploaded) -> ChatScreen:
    return await workflow.mark_uploaded(t.uow, t.actor, command.audit_id, t.now, t.activity_id)


async def sample(t: Turn, command: c.Sample) -> ChatScreen:
    seed = command.seed if command.seed is not None else secrets.randbelow(1_000_000)
    how = command.size, command.method, command.criteria, seed, command.confirm
    drawn = await layered.sample(
        t.uow, t.actor, *how, t.today, t.activity_id, t.settings.framework, dip_id=command.dip_id
    )
    return workflow.Reply(drawn) if isinstance(drawn, str) else drawn


async def moderate(t: Turn, command: c.Moderate) -> ChatScreen:
    last_whole = periods.month(t.today).previous()  # not the current month, a few days old
    month = periods.parse(command.month, t.today, kinds=MONTHS).starts if command.month else last_whole.starts
    rules = t.settings.moderation
    chosen = await layered.choose_moderations(t.uow, t.actor, month, rules, command.confirm, t.today)
    return workflow.Reply(chosen) if isinstance(chosen, str) else chosen


async def agreement(t: Turn, command: c.AgreementReport) -> ChatScreen:
    return await layered.agreement_report(t.uow, t.actor, command.period, command.dimension, t.today)


async def dip_themes(t: Turn, _: c.DipThemes) -> ChatScreen:
    return await dips.themes(t.actor)


async def new_dip(t: Turn, command: c.NewDip) -> ChatScreen:
    return await dips.new_dip(t.uow, t.actor, command.theme, t.now, t.activity_id)


async def approve_dip(t: Turn, command: c.ApproveDip) -> ChatScreen:
    return await dips.approve(t.uow, t.actor, command.dip_id, t.now)


async def send_dip(t: Turn, command: c.SendDip) -> ChatScreen:
    timing = t.settings.framework, t.settings.hours
    return await dips.send(t.uow, t.actor, command.dip_id, command.person_ref, t.now, t.today, timing)


async def team_report(t: Turn, command: c.TeamReport) -> ChatScreen:
    return await report_command.team_report(t.uow, t.actor, command.period, t.today, t.activity_id)


async def dip_actions(t: Turn, command: c.DipActions) -> ChatScreen:
    return await dip_actions_use_case.open_actions(t.uow, t.actor, command.dip_id)


async def dip_moderate(t: Turn, command: c.DipModerate) -> ChatScreen:
    return await dip_actions_use_case.open_moderation(t.uow, t.actor, command.dip_id)


async def list_dips(t: Turn, _: c.ListDips) -> ChatScreen:
    return await dips.list_dips(t.uow, t.actor)


async def timetable(t: Turn, command: c.TimetableCmd) -> ChatScreen:
    s = t.settings
    how = s.rules, s.hours, t.today, command.days, s.framework, s.dip_plan
    return await timetable_commands.preview(t.uow, t.actor, *how)


async def remind(t: Turn, command: c.Remind) -> ChatScreen:
    s = t.settings
    return await timetable_commands.remind(t.uow, t.actor, s.rules, t.now, s.hours, command.scope, command.dry_run)


async def escalate(t: Turn, command: c.Escalate) -> ChatScreen:
    s = t.settings
    return await timetable_commands.escalate(t.uow, t.actor, s.rules, t.now, s.hours, command.dry_run)


async def status(t: Turn, command: c.Status) -> ChatScreen:
    return await timetable_commands.status(t.uow, t.actor, command.scope, command.period, t.today, t.settings.zone)


async def report(t: Turn, command: c.Report) -> ChatScreen:
    return await report_command.report(t.uow, t.actor, command.period, command.scope, t.today, t.activity_id)


async def outbox(t: Turn, command: c.OutboxCmd) -> ChatScreen:
    return await timetable_commands.failed(t.uow, t.actor, command.page)


async def actions_done(t: Turn, command: c.ActionsDone) -> ChatScreen:
    return await follow_ups.actions_done(t.uow, t.actor, command.audit_id, t.now, t.activity_id)


async def assign_thematic(t: Turn, command: c.AssignThematic) -> ChatScreen:
    due = parse_date(command.due)
    review = command.case_ref, command.reviewer_ref, due, command.theme, command.focus, command.moderator_ref
    return await reviews.assign_thematic(t.uow, t.actor, *review, t.today, t.activity_id)


async def assign_supervision(t: Turn, command: c.AssignSupervision) -> ChatScreen:
    due = parse_date(command.due) if command.due else None
    people = command.supervisor_ref, command.reviewer_ref, command.supervisee_ref
    return await reviews.assign_supervision(t.uow, t.actor, *people, due, t.activity_id)


async def unknown_people(t: Turn, _: c.ListUnknown) -> ChatScreen:
    return await workflow.unknown_people(t.uow, t.actor)
