"""The cards of the timetable's notices (plf_core.timetable_notices), registered by kind."""

from __future__ import annotations

from datetime import date, timedelta

from microsoft_teams.cards import Container
from microsoft_teams.cards.core import CardElement

from cards import layered, notices, reports
from cards.base import CardDict, action_row, card, delay, execute, heading, para
from cards.registry import CardContext, builds
from plf_core import timetable_notices as t
from plf_core.card_actions import Verb
from plf_core.notices import DueRow
from plf_core.periods import parse_code, staff_date

CASE_DATA = "every open case: Azeus number, gender, age, cohort, team, allocated worker, legal status, EHCP"


def _rows(items: tuple[DueRow, ...], today: date) -> list[notices.OutstandingRow]:
    return [notices.OutstandingRow(r.case, "", r.team, "open", r.due or today, r.audit_id) for r in items]


@builds(t.DataRequest)
def _data_request(notice: t.DataRequest, context: CardContext) -> CardDict:
    due = notice.due or context.today
    return notices.data_request(notice.cycle, notice.starts or due, due + timedelta(days=7), [CASE_DATA])


@builds(t.ReminderDigest)
def _reminders(notice: t.ReminderDigest, context: CardContext) -> CardDict:
    items = [
        notices.DueItem("Practice Learning Conversation", r.case, r.due or context.today, r.audit_id)
        for r in notice.items
    ]
    return notices.reminder_digest("", items, f"{notice.rule}:{notice.month}")


@builds(t.OutstandingList)
def _outstanding(notice: t.OutstandingList, context: CardContext) -> CardDict:
    due = notice.due or context.today
    return notices.outstanding_list("your scope", due + timedelta(days=7), _rows(notice.items, context.today))


@builds(t.SltEscalation)
def _slt(notice: t.SltEscalation, context: CardContext) -> CardDict:
    rows = _rows(notice.items, context.today)
    missing = _label(notice.quota_missing) if notice.quota_missing else ""
    after = delay(notice.after, notice.after_unit)
    return notices.slt_escalation(_label(notice.cycle), rows, notice.moderations, notice.actions, missing, after)


@builds(t.ActionFollowUp)
def _follow_up(notice: t.ActionFollowUp, context: CardContext) -> CardDict:
    due = notice.due or context.today
    actions = [notices.ActionLine(a, "allocated team", None) for a in notice.actions]
    return notices.action_follow_up(notice.audit_id, notice.case, actions, notice.number, due + timedelta(days=7))


@builds(t.ActionEscalation)
def _action_escalation(notice: t.ActionEscalation, context: CardContext) -> CardDict:
    return layered.timetable_notice(
        f"Escalation: actions for case {notice.case} not confirmed",
        [
            f"Nobody has confirmed the actions from this audit's moderation {_since_first(notice)} "
            "(section 14). Please follow them up with the Head of Service concerned.",
            *[f"- {a}" for a in notice.actions],
        ],
        ("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": notice.audit_id}),
    )


def _since_first(notice: t.ActionEscalation | t.DipEscalation) -> str:
    """'four weeks after the first follow-up', as the configured rules have it (plf_core.stated_delays)."""
    after = delay(notice.after, notice.after_unit)
    return f"{after} after the first follow-up" if after else "since the follow-ups"


def _label(code: str) -> str:
    period = parse_code(code)
    return period.label if period else code


@builds(t.QuotaProposal)
def _quota(notice: t.QuotaProposal, context: CardContext) -> CardDict:
    summary = layered.SampleSummary(
        f"{_label(notice.cycle)} has started: its audits, ready to create",
        notice.command,
        [
            ("Per Practice Lead", f"{notice.per_lead} audits, one case from each chosen worker's caseload"),
            ("Cases matching", f"{notice.matching:,}"),
            ("Selected", f"{len(notice.chosen):,}"),
        ],
        {},
        notice.problems,
        len(notice.chosen),
        "Drawn for you at the cycle's start. Check the cases, then press Create: the start cards go to "
        "each practitioner and their Practice Lead, due at the cycle's end. If the cases have changed "
        "since, you will see the draw as it is now first.",
        notice.chosen,
        "The cases chosen (case, team, practitioner)",
    )
    return layered.sample_preview(summary, "audits")


@builds(t.SupervisionDue)
def _supervision_due(notice: t.SupervisionDue, context: CardContext) -> CardDict:
    more = notice.total - len(notice.supervisors)
    lines = [
        f"{_label(notice.cycle)} has started. These supervisors have had no supervision review of their "
        "records in the last twelve months (Appendix 12: once a year each). Assign each one to a reviewer "
        "by typing, for example:",
        f"supervision {notice.supervisors[0] if notice.supervisors else 'NAME'} to REVIEWER",
        "\n\n".join(notice.supervisors) + (f"\n\n… and {more} more" if more > 0 else ""),
    ]
    return layered.timetable_notice(f"Supervision reviews due: {notice.total}", lines, None, reminder=False)


@builds(t.DipFindings)
def _dip_findings(notice: t.DipFindings, context: CardContext) -> CardDict:
    data: dict[str, object] = {"dip_sample": notice.dip_id}
    lines = [
        f"The dip sample on {notice.theme} has gone to {notice.head or 'its Head of Service'} with {notice.actions} "
        f"action{'s' if notice.actions != 1 else ''}. Its findings and recommendations:",
        notice.findings or "(none written)",
    ]
    if notice.to_update:
        lines.append("You write where each action has got to and mark it done; when all are done the follow-ups stop.")
        return layered.timetable_notice(
            f"Dip sample {notice.dip_id}: {notice.theme}",
            lines,
            ("Update the actions", Verb.DIP_ACTIONS, data),
            reminder=False,
        )
    return layered.timetable_notice(
        f"Dip sample findings: {notice.theme}",
        lines,
        ("Open the Terms of Reference", Verb.DIP_OPEN, data),
        reminder=False,
    )


@builds(t.DipPlanned)
def _dip_planned(notice: t.DipPlanned, context: CardContext) -> CardDict:
    starts = staff_date(notice.starts) if notice.starts else "this month"
    if notice.data_request:
        return layered.timetable_notice(
            f"Data for the dip sample: {notice.theme}",
            [
                f"The dip sample on {notice.theme} starts on {starts}. Please send the QA team the case data "
                "its cohort is drawn from two weeks before: " + CASE_DATA + ".",
            ],
            None,
            reminder=False,
        )
    return layered.timetable_notice(
        f"Dip sample due: {notice.theme} ({notice.month})",
        [
            f"The year's plan has a dip sample on {notice.theme} starting {starts}. Start it to write its "
            "Terms of Reference; its cohort is drawn from them, and a share of it goes to Practice Learning Review.",
        ],
        ("Start it", Verb.COMMAND_RUN, {"command": f"dip new {notice.theme}"}),
        reminder=False,
    )


@builds(t.HighlightReportReady)
def _report_ready(notice: t.HighlightReportReady, context: CardContext) -> CardDict:
    links = context.links
    area = notice.area_id or None
    url = links.report_url(notice.reader, notice.period, area) if links else None
    days = links.lifetime_days if links else 7
    label = _label(notice.period)
    return reports.report_summary(label, notice.scope, notice.headline, url, notice.empty, days)


@builds(t.DipFollowUp)
def _dip_follow_up(notice: t.DipFollowUp, context: CardContext) -> CardDict:
    title = f"Dip sample {notice.dip_id}: {notice.theme}"
    if notice.asks_to_agree:
        by = f" by {staff_date(notice.due)}" if notice.due else ""
        line = f"Please agree the dip sample's actions: they were sent to you to agree{by}."
        return layered.timetable_notice(
            title, [line], ("Agree the actions", Verb.DIP_AGREE, {"dip_sample": notice.dip_id})
        )
    line = (
        "Please make sure the dip sample's actions are followed up: the Service Managers write where each one "
        "has got to and mark it done (section 18). When every action is done, the follow-ups stop."
    )
    return layered.timetable_notice(
        title, [line], ("Update the actions", Verb.DIP_ACTIONS, {"dip_sample": notice.dip_id})
    )


@builds(t.DipEscalation)
def _dip_escalation(notice: t.DipEscalation, context: CardContext) -> CardDict:
    return layered.timetable_notice(
        f"Escalation: dip sample {notice.dip_id} ({notice.theme})",
        [
            "The QA service has not heard that this dip sample's actions were followed up, "
            f"{_since_first(notice)} (section 18). Please follow it up with the Head of Service."
        ],
        ("Open the dip sample", Verb.DIP_OPEN, {"dip_sample": notice.dip_id}),
    )


@builds(t.PimDue)
def _pim_due(notice: t.PimDue, context: CardContext) -> CardDict:
    meeting = notice.meeting or notice.due or context.today
    if notice.rule == "pim_escalation":
        title = f"Escalation: Practice Improvement Meeting not held: case {notice.case}"
        line = (
            f"The Practice Improvement Meeting for this Red audit was due by {staff_date(meeting)} and no date "
            "held has been recorded. Please follow it up with the Head of Service."
        )
    else:
        title = f"Practice Improvement Meeting due: case {notice.case}"
        when_due = "today" if meeting <= context.today else f"by {staff_date(meeting)}"
        line = (
            f"A Practice Improvement Meeting must be held for this Red audit, {when_due}. "
            "Record the date it was held on the PIM record."
        )
    return layered.timetable_notice(
        title, [line], ("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": notice.audit_id})
    )


@builds(t.ReviewDue)
def _review_due(notice: t.ReviewDue, context: CardContext) -> CardDict:
    about = f" (case {notice.case})" if notice.case else ""
    button: tuple[str, Verb, dict[str, object]]
    deadline = staff_date(notice.deadline) if notice.deadline else "its deadline"
    if notice.rule == "review_escalation":
        title = f"Escalation: {notice.form}{about} outstanding"
        line = f"This review was due by {deadline} and has not been returned. Please follow it up."
        button = ("Open the review (read-only)", Verb.AUDIT_VIEW, {"audit": notice.audit_id})
    elif notice.deadline is not None and notice.deadline < context.today:
        title = f"Overdue: {notice.form}{about}"
        line = f"This review was due by {deadline}. Please complete and submit it, or say what is holding it up."
        button = ("Open the review", Verb.AUDIT_OPEN, {"audit": notice.audit_id})
    else:
        title = f"Due soon: {notice.form}{about}"
        line = f"This review is due by {deadline}. Everything you have saved so far is kept."
        button = ("Open the review", Verb.AUDIT_OPEN, {"audit": notice.audit_id})
    return layered.timetable_notice(title, [line], button)


@builds(t.ActionDue)
def _action_due(notice: t.ActionDue, context: CardContext) -> CardDict:
    deadline = notices.when(notice.deadline) if notice.deadline else "its deadline"
    owner = notice.owner or "the person the plan names"
    if notice.overdue:
        title = f"Overdue action: case {notice.case}"
        line = f"An action of this case's action plan, for {owner}, was due by {deadline} and is not marked done."
    else:
        title = f"Action due {deadline}: case {notice.case}"
        line = f"An action of this case's action plan, for you, is due by {deadline}."
    body: list[CardElement] = [
        heading(title),
        para(line),
        para("Read it in the audit; press Done once it is done and the reminders stop.", subtle=True),
    ]
    buttons = [
        execute("Done", Verb.ACTION_DONE, {"action": notice.action_id}, style="positive"),
        execute("Read the audit", Verb.AUDIT_VIEW, {"audit": notice.audit_id}),
    ]
    return card(body, buttons, fallback_text=title)


@builds(t.ActionsAssigned)
def _actions_assigned(notice: t.ActionsAssigned, context: CardContext) -> CardDict:
    """An owner's actions from a submitted audit, each with Done. The actions are read in the audit:
    what was typed about a child never travels in a notice."""
    body: list[CardElement] = [
        heading(f"Actions for you from the audit of case {notice.case}"),
        para(
            "The audit's action plan gives you these. You will be reminded before each deadline, and the "
            "Practice Lead told if one passes; press Done when an action is done.",
            subtle=True,
        ),
    ]
    for item in notice.items[:10]:
        deadline = f", by {notices.when(item.deadline)}" if item.deadline else ""
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"Action {item.row}{deadline}", bold=True),
                    action_row([execute("Done", Verb.ACTION_DONE, {"action": item.action_id}, style="positive")]),
                ],
            )
        )
    read = {"audit": notice.audit_id, "page": notice.page} if notice.page else {"audit": notice.audit_id}
    return card(
        body,
        [execute("Read the action plan", Verb.AUDIT_VIEW, read)],
        fallback_text=f"{len(notice.items)} action(s) for you: case {notice.case}",
    )
