"""What a use case answers (plf_core's screens) to the card the person sees: a registry by screen type.

The Teams edge asks `screen_card(screen, context)`; the context carries who else shares the card (its
refresh.userIds) and whatever signs links (a report's link is made for its reader as the card is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from cards import chat_cards, concern_cards, dip_cards, good_practice_cards, layered, outbox_cards, reports, workflow
from cards.base import CardDict
from cards.feedback_cards import family_answers_card, feedback_link_card
from cards.form_pages import AuditRef, PageView, ReviewView, readonly_card, review_card
from cards.notices import when
from cards.page_dicts import page_card
from cards.registry import LinkSigner
from plf_core import command_hints, concern_commands, concerns, dip_actions, dips, moderating, timetable_commands
from plf_core import layered as layered_audit
from plf_core.audits import AuditView
from plf_core.evidence import EvidenceSummary
from plf_core.feedback.answered import FamilyAnswers
from plf_core.feedback.asking import FeedbackLink
from plf_core.good_practice_commands import GoodPracticeList
from plf_core.report_command import ReportSummary
from plf_core.sampling import Method
from plf_core.unknown_senders import NotInDirectory
from plf_core.workflow import AuditList, PageScreen, Reply, ReviewScreen, SubmittedScreen, UnknownList


@dataclass(frozen=True)
class ScreenContext:
    refresh_user_ids: tuple[str, ...] = ()
    links: LinkSigner | None = None
    today: date | None = None


S = TypeVar("S")
SCREENS: dict[type[Any], Callable[[Any, ScreenContext], CardDict]] = {}


def shows(kind: type[S]) -> Callable[[Callable[[S, ScreenContext], CardDict]], Callable[[S, ScreenContext], CardDict]]:
    def register(builder: Callable[[S, ScreenContext], CardDict]) -> Callable[[S, ScreenContext], CardDict]:
        SCREENS[kind] = builder
        return builder

    return register


def screen_card(screen: object, context: ScreenContext | None = None) -> CardDict:
    builder = SCREENS.get(type(screen))
    if builder is None:
        raise TypeError(f"no card for a {type(screen).__name__}")
    return builder(screen, context or ScreenContext())


def audit_ref(audit: AuditView) -> AuditRef:
    parts = []
    if audit.case is not None:
        parts.append(f"Team {audit.case.team_code}")
    if audit.due_on:
        parts.append(f"due {when(audit.due_on)}")
    if audit.pim_held_on:
        parts.append(f"PIM held on {when(audit.pim_held_on)}")
    elif audit.pim_due_on:
        parts.append(f"PIM due by {when(audit.pim_due_on)}")
    if audit.status.value not in ("assigned", "in_progress"):
        parts.append(audit.status.value.replace("_", " "))
    case_ref = audit.case.azeus_number if audit.case else "—"
    return AuditRef(audit.id, audit.version, case_ref, " · ".join(parts), audit.family)


def prefilled(audit: AuditView, today: date | None = None) -> dict[str, str]:
    """The answers a form fills in itself (the case, its team and the people) and those it offers
    until answered (the second person, today's date)."""
    case = audit.case
    values = {
        "audit.practitioner": audit.practitioner_name,
        "audit.manager": audit.second_person_name,
        "audit.second_person": audit.second_person_name,
    }
    if today is not None:
        values["today"] = today.isoformat()
    if case is not None:
        values |= {
            "case.azeus_number": case.azeus_number,
            "case.gender": case.gender,
            "case.team": case.team_name,
            "case.team_and_area": f"{case.team_name} · {case.service_area_name}",
            "case.age": str(case.age),
        }
    return values


def _case(audit: AuditView) -> str:
    return audit.case.azeus_number if audit.case else "—"


@shows(FamilyAnswers)
def _family_answers(screen: FamilyAnswers, context: ScreenContext) -> CardDict:
    return family_answers_card(screen)


@shows(FeedbackLink)
def _feedback_link(screen: FeedbackLink, context: ScreenContext) -> CardDict:
    url = context.links.feedback_url(screen.token) if context.links else f"/feedback/{screen.token}"
    return feedback_link_card(screen, url)


@shows(PageScreen)
def _page(screen: PageScreen, context: ScreenContext) -> CardDict:
    view = PageView(
        screen.audit.form,
        audit_ref(screen.audit),
        screen.page_id,
        screen.values,
        screen.editors,
        prefilled(screen.audit, context.today),
        screen.errors,
        screen.note,
        context.refresh_user_ids,
        screen.concern,
    )
    return readonly_card(view) if screen.read_only else page_card(view)


@shows(concerns.ConcernScreen)
def _concern(screen: concerns.ConcernScreen, context: ScreenContext) -> CardDict:
    return concern_cards.concern_screen(screen)


@shows(concern_commands.ConcernList)
def _concern_list(screen: concern_commands.ConcernList, context: ScreenContext) -> CardDict:
    return concern_cards.concern_list(screen)


@shows(ReviewScreen)
def _review(screen: ReviewScreen, context: ScreenContext) -> CardDict:
    audit = screen.audit
    view = ReviewView(
        audit.form,
        audit_ref(audit),
        audit.answers,
        screen.editors,
        screen.problems,
        bool(screen.editors),
        context.refresh_user_ids,
        screen.note,
        screen.handed_on,
        screen.concern,
    )
    return review_card(view)


@shows(SubmittedScreen)
def _submitted(screen: SubmittedScreen, context: ScreenContext) -> CardDict:
    audit = screen.audit
    return workflow.submitted(
        audit.id, _case(audit), audit.form.title, screen.red_by, screen.pim_due_on, screen.repeated, screen.actions
    )


@shows(AuditList)
def _audit_list(screen: AuditList, context: ScreenContext) -> CardDict:
    lines = [
        workflow.AuditLine(a.id, a.form.title, _case(a), screen.role_in(a), a.status.value.replace("_", " "), a.due_on)
        for a in screen.audits
    ]
    moderations = [
        workflow.AuditLine(a.id, a.form.title, _case(a), "moderator", "to moderate", None) for a in screen.to_moderate
    ]
    return workflow.audit_list(lines, moderations=moderations)


@shows(UnknownList)
def _unknown(screen: UnknownList, context: ScreenContext) -> CardDict:
    shown = [
        f"{s.name} ({s.aad_object_id}): {s.messages} message(s), last {s.last_seen:%d %b %Y %H:%M}"
        for s in screen.senders
    ] or ["Nobody unknown has written to the bot."]
    return workflow.text_card("People not in the directory", shown)


@shows(NotInDirectory)
def _stranger(screen: NotInDirectory, context: ScreenContext) -> CardDict:
    return workflow.text_card("Practice Learning Framework", [screen.text])


@shows(command_hints.HelpMenu)
def _help(screen: command_hints.HelpMenu, context: ScreenContext) -> CardDict:
    return chat_cards.help_menu(screen)


@shows(command_hints.Choice)
def _choice(screen: command_hints.Choice, context: ScreenContext) -> CardDict:
    return chat_cards.choice(screen)


@shows(Reply)
def _reply(screen: Reply, context: ScreenContext) -> CardDict:
    return workflow.text_card("Practice Learning", [screen.text])


@shows(ReportSummary)
def _report(screen: ReportSummary, context: ScreenContext) -> CardDict:
    links = context.links
    url = links.report_url(screen.reader_id, screen.period.code, screen.area_id, screen.team_id) if links else None
    days = links.lifetime_days if links else 7
    return reports.report_summary(screen.period.label, screen.scope, screen.headline, url, screen.empty, days)


@shows(GoodPracticeList)
def _good_practice(screen: GoodPracticeList, context: ScreenContext) -> CardDict:
    return good_practice_cards.good_practice_list(screen)


@shows(EvidenceSummary)
def _evidence(screen: EvidenceSummary, context: ScreenContext) -> CardDict:
    links = context.links
    url = links.evidence_url(screen.reader_id, screen.period.code) if links else None
    days = links.lifetime_days if links else 7
    return good_practice_cards.evidence_summary(screen.period.label, screen.headline, url, days)


@shows(timetable_commands.TimetablePreview)
def _timetable(screen: timetable_commands.TimetablePreview, context: ScreenContext) -> CardDict:
    shown: list[str] = []
    for day, _rule, what, count, urgent in screen.lines:
        who = "person" if count == 1 else "people"
        shown.append(f"{day:%a %d %b}: {what} — {count} {who}" + (" (escalation)" if urgent else ""))
    title = f"The timetable: the next {screen.days} days"
    return workflow.text_card(title, shown or [f"Nothing is due in the next {screen.days} days."])


@shows(timetable_commands.StatusFigures)
def _status(screen: timetable_commands.StatusFigures, context: ScreenContext) -> CardDict:
    return layered.status_card(
        f"Status — {screen.scope}, cycle {screen.cycle}",
        [
            ("Audits due in the cycle", str(screen.assigned)),
            ("Returned", str(screen.returned)),
            ("Outstanding", str(screen.outstanding)),
            ("Overdue", str(screen.overdue)),
            ("Moderated", str(screen.moderated)),
            ("Actions open", str(screen.actions_open)),
            ("Actions past their deadline", str(screen.actions_overdue)),
            ("Case data for the cycle", screen.data_sent),
        ],
    )


@shows(timetable_commands.OutboxList)
def _outbox(screen: timetable_commands.OutboxList, context: ScreenContext) -> CardDict:
    return outbox_cards.outbox(screen)


@shows(dips.DipThemes)
def _themes(screen: dips.DipThemes, context: ScreenContext) -> CardDict:
    return layered.dip_themes(screen.themes)


@shows(dip_actions.DipActionsScreen)
def _dip_actions(screen: dip_actions.DipActionsScreen, context: ScreenContext) -> CardDict:
    return dip_cards.dip_actions(screen)


@shows(dip_actions.DipModerationScreen)
def _dip_moderation(screen: dip_actions.DipModerationScreen, context: ScreenContext) -> CardDict:
    return dip_cards.dip_moderation(screen)


@shows(dips.DipList)
def _dips(screen: dips.DipList, context: ScreenContext) -> CardDict:
    rows = [
        layered.DipLine(d.dip_id, d.theme, d.status, [f"{step} {when[:10]}" for step, when, _ in d.history])
        for d in screen.dips
    ]
    return layered.dip_list(rows)


@shows(layered_audit.SamplePreview)
def _sample(screen: layered_audit.SamplePreview, context: ScreenContext) -> CardDict:
    d = screen.draw
    review = sum(p.for_review for p in d.picks)
    per_lead = f" ({d.size} per Practice Lead)" if d.method is Method.QUOTA else ""
    rows = [
        ("Method", d.method.value.replace("_", " ")),
        ("Criteria", d.criteria.describe()),
        ("Seed", str(d.seed)),
        ("Cases matching", f"{d.population_size:,}"),
        ("Selected", f"{len(d.picks):,}{per_lead}"),
    ]
    note = screen.note
    if d.method is not Method.QUOTA:
        rows.append(("For Practice Learning Review", f"{review} (an audit each; the rest are the dip's cohort)"))
        cohort = "Only the cases for Practice Learning Review get an audit; the others are the dip sample's cohort."
        note = f"{note} {cohort}" if note else cohort
    confirm = f"{screen.command} confirm {screen.fingerprint}"
    title = "Sample preview — nothing created yet"
    chosen = screen.chosen
    summary = layered.SampleSummary(
        title,
        confirm,
        rows,
        d.strata,
        d.shortfalls,
        len(layered_audit.audited(d)),
        note,
        chosen,
        "The cases chosen (case, team, practitioner)",
    )
    return layered.sample_preview(summary, "audits")


STREAM_NAMES = {
    "head_of_service": "Heads of Service",
    "practice_learning_reviewer": "Practice Learning Reviewers",
    "ad_qa": "AD QA and lead reviewers",
}


@shows(layered_audit.ModeratePreview)
def _moderate(screen: layered_audit.ModeratePreview, context: ScreenContext) -> CardDict:
    selection = screen.selection
    summary = layered.SampleSummary(
        f"Moderation for {screen.month:%B %Y} — nothing sent yet",
        f"{screen.command} confirm {screen.fingerprint}",
        [("Audits returned", str(screen.returned)), ("Moderation requests", str(len(selection.requests)))],
        {STREAM_NAMES.get(k, k): v for k, v in selection.by_stream().items()},
        selection.problems,
        len(selection.requests),
        screen.note,
    )
    return layered.sample_preview(summary, "moderation requests")


@shows(moderating.ModerationScreen)
def _moderation(screen: moderating.ModerationScreen, context: ScreenContext) -> CardDict:
    ref = audit_ref(screen.audit)
    sections = [layered.ModerationSection(s.section, s.label, s.original) for s in screen.sections]
    subtitle = f"{screen.audit.form.title} · {ref.subtitle}" if ref.subtitle else screen.audit.form.title
    return layered.moderation_form(
        screen.audit.id,
        ref.case_ref,
        subtitle,
        sections,
        screen.values,
        screen.errors,
        screen.note,
        screen.audit.form.grade_guidance,
    )


@shows(moderating.ModerationDone)
def _moderated(screen: moderating.ModerationDone, context: ScreenContext) -> CardDict:
    r = screen.result
    rows = [[g.label, g.original.value if g.original else "", g.moderated.value, g.reason] for g in r.sections]
    original = r.original_grade.value if r.original_grade else ""
    case = audit_ref(screen.audit).case_ref
    return layered.moderation_outcome(
        r.audit_id,
        case,
        original,
        r.moderated_grade.value,
        rows,
        r.actions,
        for_moderator=True,
        repeated=screen.repeated,
    )


@shows(layered_audit.AgreementScreen)
def _agreement(screen: layered_audit.AgreementScreen, context: ScreenContext) -> CardDict:
    return layered.agreement_card(screen.period, screen.overall, screen.dimension, screen.breakdown)
