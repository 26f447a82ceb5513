"""Chat commands, run: the same for a message in Teams and for `plf <command>` in a terminal."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from plf_core import commands, dips, follow_ups, layered, periods, report_command, reviews, timetable_commands, workflow
from plf_core.errors import NotAllowed, ValidationFailed
from plf_core.moderation import Rules
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.timetable import Hours, Rule

MONTHS = frozenset({periods.Kind.MONTH})


@dataclass(frozen=True)
class ChatSettings:
    workflow: workflow.Settings
    zone: ZoneInfo
    moderation: Rules = field(default_factory=Rules)
    rules: tuple[Rule, ...] = ()
    hours: Hours = field(default_factory=Hours)


ChatScreen = (
    workflow.Screen
    | layered.SamplePreview
    | layered.ModeratePreview
    | layered.AgreementScreen
    | dips.DipThemes
    | dips.DipList
    | timetable_commands.TimetablePreview
    | timetable_commands.OutboxList
    | timetable_commands.StatusFigures
    | report_command.ReportSummary
)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"'{text}' is not a date (YYYY-MM-DD)") from None


async def run(
    uow: AbstractUnitOfWork, actor: Actor, text: str, now: datetime, settings: ChatSettings, activity_id: str | None
) -> ChatScreen:
    command, route = commands.parse(text)
    if not route.allowed(actor):
        raise NotAllowed(f"only the QA team can use '{route.usage.split()[0]}'", action="command")
    today = now.astimezone(settings.zone).date()
    if isinstance(command, commands.Help):
        lines = [f"{r.usage}: {r.what}" for r in commands.commands_for(actor)]
        return workflow.Reply("You can type:\n\n" + "\n\n".join(lines))
    if isinstance(command, commands.MyAudits):
        return await workflow.my_audits(uow, actor)
    if isinstance(command, commands.OpenAudit):
        return await workflow.open_audit(uow, actor, command.audit_id, activity=activity_id)
    if isinstance(command, commands.Assign):
        return await workflow.assign(
            uow, actor, command.case_ref, command.person_ref, command.second_person_ref, today, activity_id
        )
    if isinstance(command, commands.MarkUploaded):
        return await workflow.mark_uploaded(uow, actor, command.audit_id, now, activity_id)
    if isinstance(command, commands.Sample):
        seed = command.seed if command.seed is not None else secrets.randbelow(1_000_000)
        drawn = await layered.sample(
            uow, actor, command.size, command.method, command.criteria, seed, command.confirm, today, activity_id
        )
        return workflow.Reply(drawn) if isinstance(drawn, str) else drawn
    if isinstance(command, commands.Moderate):
        month = periods.parse(command.month, today, kinds=MONTHS).starts if command.month else today.replace(day=1)
        chosen = await layered.choose_moderations(uow, actor, month, settings.moderation, command.confirm, today)
        return workflow.Reply(chosen) if isinstance(chosen, str) else chosen
    if isinstance(command, commands.AgreementReport):
        return await layered.agreement_report(uow, actor, command.period, command.dimension, today)
    if isinstance(command, commands.DipThemes):
        return await dips.themes(actor)
    if isinstance(command, commands.NewDip):
        return await dips.new_dip(uow, actor, command.theme, now, activity_id)
    if isinstance(command, commands.ApproveDip):
        return await dips.approve(uow, actor, command.dip_id, now)
    if isinstance(command, commands.SendDip):
        return await dips.send(uow, actor, command.dip_id, command.person_ref, now, today)
    if isinstance(command, commands.ListDips):
        return await dips.list_dips(uow, actor)
    if isinstance(command, commands.TimetableCmd):
        rules, hours = settings.rules, settings.hours
        return await timetable_commands.preview(uow, actor, rules, hours, today, command.days)
    if isinstance(command, commands.Remind):
        rules, hours = settings.rules, settings.hours
        return await timetable_commands.remind(uow, actor, rules, now, hours, command.scope, command.dry_run)
    if isinstance(command, commands.Escalate):
        rules, hours = settings.rules, settings.hours
        return await timetable_commands.escalate(uow, actor, rules, now, hours, command.dry_run)
    if isinstance(command, commands.Status):
        return await timetable_commands.status(uow, actor, command.scope, today, settings.zone)
    if isinstance(command, commands.Report):
        return await report_command.report(uow, actor, command.period, command.scope, today, activity_id)
    if isinstance(command, commands.OutboxCmd):
        return await timetable_commands.failed(uow, actor)
    if isinstance(command, commands.ActionsDone):
        return await follow_ups.actions_done(uow, actor, command.audit_id, now, activity_id)
    if isinstance(command, commands.AssignThematic):
        return await reviews.assign_thematic(
            uow,
            actor,
            command.case_ref,
            command.reviewer_ref,
            parse_date(command.due),
            command.theme,
            command.focus,
            command.moderator_ref,
            today,
            activity_id,
        )
    if isinstance(command, commands.AssignSupervision):
        due = parse_date(command.due) if command.due else None
        return await reviews.assign_supervision(
            uow, actor, command.supervisor_ref, command.reviewer_ref, command.supervisee_ref, due, activity_id
        )
    assert isinstance(command, commands.ListUnknown)
    return await workflow.unknown_people(uow, actor)
