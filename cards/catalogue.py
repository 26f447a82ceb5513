"""Every card the product can emit, filled with realistic maximal content, for review and tests.

Pure: returns (name, card) pairs; `plf cards` writes them to disk with a gallery.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from cards import dip_cards, layered, reports, workflow
from cards.base import CardDict
from cards.catalogue_chat import chat_cards
from cards.catalogue_concerns import concern_cards
from cards.catalogue_evidence import evidence_cards
from cards.catalogue_feedback import family_said, feedback_cards
from cards.catalogue_feedback_summary import feedback_summary_cards
from cards.catalogue_moderation import moderation_cards
from cards.form_pages import AuditRef, PageView, ReviewView, readonly_card, review_card
from cards.notice_cards import CardContext, notice_card
from cards.page_dicts import page_card
from plf_core import notices as n
from plf_core import timetable_notices as t
from plf_core.dip_actions import DipActionsScreen, DipModerationScreen
from plf_core.dips import DEFAULT_THEMES, DipActionRow
from plf_core.forms.model import Contributor, Field, FieldKind, Form
from plf_core.forms.registry import load_forms
from plf_core.forms.validation import message
from plf_core.moderation import agreement_from_table
from plf_core.notices import DipAction, DueRow, NoticeData

SENTENCE = (
    "Synthetic demo answer: the worker visited on schedule, the plan was reviewed with the family and "
    "the network, and the record shows what changed for the child since the last review. "
)
PREFILLED = {
    "case.azeus_number": "DEMO-900123",
    "case.gender": "female",
    "case.team": "Children in Need & Protection North (demo)",
    "case.team_and_area": "CNP-N · Children in Need & Protection (demo)",
    "case.age": "14",
    "audit.practitioner": "Rowan Demoford",
    "audit.manager": "Hazel Testbury",
}
DAY = date(2026, 12, 18)


def maximal_value(f: Field) -> str | int:
    limit = f.text_limit()
    if limit is not None:
        return (
            (SENTENCE * (limit // len(SENTENCE) + 1))[:limit].rstrip()
            if f.kind is FieldKind.LONG_TEXT
            else ("Demo " + "x" * limit)[:limit]
        )
    if f.kind is FieldKind.DATE:
        return DAY.isoformat()
    if f.kind is FieldKind.NUMBER:
        return f.maximum or 0
    longest = max(f.choices, key=lambda c: len(c.title))
    return int(longest.value) if f.kind in (FieldKind.SCALE_10, FieldKind.SCALE_5) else longest.value


def sample_problem(f: Field) -> str:
    limit = f.text_limit()
    if limit is not None:
        return f"must be at most {limit:,} characters (it has {limit + 417:,})"
    if f.kind is FieldKind.DATE:
        return "must be a date written as YYYY-MM-DD (got '31/12/26')"
    if f.kind is FieldKind.GRADE:
        return "must be one of Red, Amber, Green or Blue"
    if f.minimum is not None:
        return f"must be between {f.minimum} and {f.maximum}"
    return "is required"


def maximal_answers(form: Form) -> dict[str, object]:
    return {fid: maximal_value(f) for fid, f in form.fields.items() if f.prefilled_from is None}


def contributors(form: Form) -> list[Contributor]:
    found = {page.editor_of(f) for page in form.pages for f in page.fields}
    return [c for c in Contributor if c in found]


def form_cards(form: Form) -> Iterator[tuple[str, CardDict]]:
    answers = maximal_answers(form)
    ref = AuditRef(
        audit_id=987654,
        version=42,
        case_ref="DEMO-900123",
        subtitle="Team CNP-N · cycle 2026-Q4 · due Thu 31 Dec 2026",
        family=family_said(),  # both audiences, at their longest: every page card stays within Teams' limit
    )
    users = tuple(f"29:synthetic-user-{n}" for n in range(3))
    for page in form.pages:
        for who in contributors(form):
            if any(page.editor_of(f) is who for f in page.fields):
                yield (
                    f"{form.id}/{page.id}/edit-{who.value}",
                    page_card(
                        PageView(
                            form,
                            ref,
                            page.id,
                            answers,
                            frozenset({who}),
                            PREFILLED,
                            refresh_user_ids=users,
                        )
                    ),
                )
        errors = {f.id: message(f, sample_problem(f)) for f in page.fields if f.prefilled_from is None}
        yield (
            f"{form.id}/{page.id}/errors",
            page_card(
                PageView(
                    form,
                    ref,
                    page.id,
                    answers,
                    frozenset({page.editor}),
                    PREFILLED,
                    errors=errors,
                    note="Your answers were not saved yet: please correct them.",
                )
            ),
        )
        yield (
            f"{form.id}/{page.id}/read-only",
            readonly_card(PageView(form, ref, page.id, answers, frozenset(), PREFILLED)),
        )
    main = form.pages[0].editor
    yield (
        f"{form.id}/review",
        review_card(ReviewView(form, ref, answers, frozenset(contributors(form)), refresh_user_ids=users)),
    )
    problems = {fid: message(f, "is required") for fid, f in list(form.fields.items())[:12]}
    yield (
        f"{form.id}/review-with-problems",
        review_card(ReviewView(form, ref, answers, frozenset({main}), problems=problems)),
    )
    others = [p for p in form.pages if p.editor is not main]
    if others and len(form.submit_contributors) > 1:  # one part done, another's to come
        left = {f.id: message(f, "is required") for p in others for f in p.fields if not f.prefilled_from}
        handed = f"Your part is complete — Pat Leadwell will finish {', '.join(p.part for p in others[:3])}."
        yield (
            f"{form.id}/review-part-complete",
            review_card(ReviewView(form, ref, answers, frozenset({main}), problems=left, handed_on=handed)),
        )


def example_notices() -> list[tuple[str, NoticeData]]:
    """A notice of every kind the workflow sends, at its largest."""
    long_action = (SENTENCE * 6)[:500]
    dip = tuple(
        DipAction(long_action, "Service Manager CNP", DAY, rag) for rag in ("red", "amber", "green", "red", None)
    )
    failures = tuple(
        n.FailedDelivery(5000 + i, ("Rowan Demoford", "Hazel Testbury")[i % 2], kind, reason, urgent)
        for i, (kind, reason, urgent) in enumerate(
            [("red alert", "403 BotNotInConversationRoster: app removed", True)] * 2
            + [("reminder digest", "no conversation: the person has not installed the bot yet", False)] * 38
        )
    )
    reason = "every Red audit goes to its Head of Service"
    sections = (
        n.SectionOutcome("Compliance", "amber", "red", (SENTENCE * 20)[:2000]),
        n.SectionOutcome("Overall grade", "green", "blue", (SENTENCE * 20)[:2000]),
    )
    return [
        ("notices/audit-assigned", n.AuditAssigned(1234, "DEMO-900123", "CNP-N (demo)", DAY)),
        (
            "notices/audit-assigned-to-the-practice-lead",
            n.AuditAssigned(1234, "DEMO-900123", "CNP-N (demo)", DAY, "second", "Rowan Demoford"),
        ),
        (
            "notices/audit-ready",
            n.AuditReady(1234, "DEMO-900123", "Rowan Demoford", "Manager judgement, Manager overall and Action plan"),
        ),
        (
            "notices/red-alert",
            n.RedAlert(
                1234,
                "DEMO-900123",
                "CNP-N (demo)",
                "Rowan Demoford",
                "practitioner and manager",
                DAY,
                "the practitioner's judgement (Rowan Demoford) and the manager's judgement (Pat Leadwell)",
            ),
        ),
        ("notices/pim-request", n.PimRequest(1300, 1234, "DEMO-900123", "CNP-N (demo)", DAY)),
        (
            "notices/actions-assigned",
            t.ActionsAssigned(
                1234,
                "DEMO-900123",
                "action_plan",
                tuple(t.AssignedAction(40 + i, i + 1, DAY) for i in range(6)),
            ),
        ),
        ("notices/outcomes-chart", n.OutcomesChart(1234, "DEMO-900123")),
        (
            "notices/highlight-report",
            t.HighlightReportReady(
                "2026-11",
                2,
                "Children in Need and Child Protection (demo)",
                41,
                (("Audits returned", "37 of 48"), ("Graded Good or better", "62%"), ("Moderated", "9")),
            ),
        ),
        (
            "notices/supervision-due",
            t.SupervisionDue("2027-Q1", tuple(f"Pat Leadwell {n}" for n in range(60)), 64),
        ),
        ("notices/dip-findings", t.DipFindings(7, "Voice of the child", (SENTENCE * 30)[:2000], 5)),
        ("notices/dip-findings-to-update", t.DipFindings(7, "Voice of the child", (SENTENCE * 30)[:2000], 5, 1)),
        (
            "notices/dip-planned",
            t.DipPlanned("Strategy discussion and section 47", date(2027, 4, 1), False, "April 2027"),
        ),
        (
            "notices/dip-planned-data",
            t.DipPlanned("Strategy discussion and section 47", date(2027, 4, 1), True, "April 2027"),
        ),
        (
            "notices/quota-proposal",
            t.QuotaProposal(
                "2027-Q1",
                "sample quota seed 202701 confirm 0123456789abcdef",
                3,
                2612,
                tuple((f"DEMO-{900100 + i}", "CNP-N", "Juniper Samplewell") for i in range(48)),
                ("Practice Lead Pat Leadwell: only 2 workers with open cases (3 asked for)",),
            ),
        ),
        ("notices/audit-final", n.AuditFinal(1234, "DEMO-900123", "Practice Learning Conversation", "amber")),
        ("notices/moderation-request", n.ModerationRequest(1234, "DEMO-900123", "CNP-N (demo)", reason, DAY)),
        ("notices/actions-not-yet", n.ActionsNotYet(1234, "DEMO-900123", long_action, "Rowan Demoford")),
        (
            "notices/review-assigned",
            n.ReviewAssigned(9002, "thematic_cla_care_leavers", "DEMO-900123", "Voice of the child " * 10, DAY),
        ),
        ("notices/dip-sample-actions", n.DipSampleActions(77, "Quality of pre-birth assessments", DAY, dip)),
        (
            "notices/moderation-outcome",
            n.ModerationOutcome(
                9001, "DEMO-900123", "green", "blue", sections, tuple([("Action: " + SENTENCE)[:500]] * 20)
            ),
        ),
        ("notices/delivery-failures", n.DeliveryFailures(failures, ("Hazel Testbury", "Rowan Demoford"))),
        (
            "notices/unknown-sender",
            n.UnknownSenderNotice("Newly Joined Worker", "11111111-2222-4333-8444-555555555555"),
        ),
    ]


def notice_cards() -> Iterator[tuple[str, CardDict]]:
    context = CardContext(DAY, CATALOGUE_LINKS)
    for name, notice in example_notices():
        yield name, notice_card(notice, context)
    headline = [
        ("Audits returned", "118"),
        ("Outstanding", "3*"),
        ("Good or better", "58%"),
        ("Red (Inadequate)", "14%"),
    ]
    report_url = "https://plf.example.org/links/reports/" + "x" * 160 + ".html"
    submitted = workflow.submitted(
        1234, "DEMO-900123", "Practice Learning Conversation / Self-Audit", ("manager",), DAY, False, 3
    )
    yield "workflow/submitted-red", submitted
    yield "reports/summary", reports.report_summary("2026 Q3", "the whole service", headline, report_url, False, 7)
    yield "reports/summary-empty", reports.report_summary("2026 Q3", "Front Door (demo)", headline, report_url, True, 7)


def layered_cards() -> Iterator[tuple[str, CardDict]]:
    """Sampling and moderation previews, the moderation form (empty, full, with errors), its
    outcome and the agreement figures, at their largest."""
    strata = {f"CNP-{n:02d} (demo team)": 3 for n in range(40)}
    problems = [f"team CNP-{n:02d}: only 2 of 3 cases" for n in range(40)]
    rows = [
        ("Method", "quota"),
        ("Criteria", "cohort cp, cla; aged 0-17; not audited in the last 6 months"),
        ("Seed", "424242"),
        ("Cases matching", "100,000"),
        ("Selected", "120 (3 per Practice Lead)"),
    ]
    summary = layered.SampleSummary(
        "Sample preview — nothing created yet",
        "sample quota seed 424242 confirm 0123456789abcdef",
        rows,
        strata,
        problems,
        120,
        "The cases changed since that preview: this is the draw now.",
    )
    yield "layered/sample-preview", layered.sample_preview(summary, "audits")
    yield from moderation_cards()
    figures = agreement_from_table([[30, 5, 1, 0], [4, 60, 9, 1], [1, 8, 120, 6], [0, 1, 5, 20]])
    by_team = {f"CNP-{n:02d}": figures for n in range(30)}
    yield "layered/agreement", layered.agreement_card("2026 Q4", figures, "team", by_team)
    yield "layered/dip-themes", layered.dip_themes(DEFAULT_THEMES)
    steps = ["created 2026-11-02", "approved 2026-11-09", "sent 2026-11-10", "agreed 2026-11-16"]
    lines = [layered.DipLine(n, "SMART plans (CIN, CP, LAC & Pathway) " * 5, "agreed", steps) for n in range(1, 31)]
    yield "layered/dip-list", layered.dip_list(lines)
    long = (SENTENCE * 6)[:1000]
    dip_rows = tuple(
        DipActionRow(700 + n, long, "Service Manager CNP", DAY, ("red", "amber", "green", None, "amber")[n], *state)
        for n, state in enumerate(
            [("done", long, "Sam Manager", datetime(2026, 12, 1, 11, tzinfo=UTC))] + [("open", long, "", None)] * 4
        )
    )
    theme = "SMART plans (CIN, CP, LAC & Pathway)"
    note = "Thank you: 1 update saved and 1 action marked done."
    yield "layered/dip-actions", dip_cards.dip_actions(DipActionsScreen(7, theme, dip_rows, True, note))
    yield "layered/dip-actions-read-only", dip_cards.dip_actions(DipActionsScreen(7, theme, dip_rows, False))
    comments = (SENTENCE * 30)[:4000]
    yield "layered/dip-moderation", dip_cards.dip_moderation(DipModerationScreen(7, theme, comments, "Saved."))
    yield (
        "layered/review-assigned",
        layered.review_assigned(
            9002, "Thematic Practice Review (CLA & Care Leavers)", "DEMO-900123", "Voice of the child " * 10, DAY
        ),
    )


def example_timetable_notices() -> list[NoticeData]:
    """A notice of every kind the timetable sends, at its largest, and a day's digest of them all."""
    rows = tuple(DueRow(9000 + n, f"DEMO-{900100 + n}", "CNP-N", date(2026, 12, 31)) for n in range(40))
    actions = tuple([("Action: " + SENTENCE)[:300]] * 10)
    theme = "Voice of the child " * 5
    examples: list[NoticeData] = [
        t.DataRequest("2027-Q1", date(2027, 1, 1), DAY, "data_request"),
        t.ReminderDigest(rows, date(2026, 12, 1), "monthly_reminder", "2026-12"),
        t.OutstandingList(rows, date(2026, 12, 24), "outstanding_list", "2026-Q4"),
        t.SltEscalation(rows, date(2027, 1, 7), "slt_outstanding", "2026-Q4", 14, 23, "2027-Q1", after=7),
        t.SltEscalation((), date(2027, 1, 7), "slt_outstanding", "2026-Q4", 3, 0, after=7),  # every audit in
        t.ActionFollowUp(9001, "DEMO-900123", actions, DAY, "followup_2"),
        t.ActionEscalation(9001, "DEMO-900123", actions, DAY, "followup_escalation", after=28),
        t.DipFollowUp(7, theme, DAY, "dip_agree"),
        t.DipEscalation(7, theme, DAY, "dip_escalation", after=28),
        t.PimDue(9001, "DEMO-900123", DAY, "pim_due", DAY),
        t.ReviewDue(9002, "Thematic Practice Review – CLA and Care Leavers", "DEMO-900123", DAY, DAY, "review_due"),
        t.ActionDue(41, 9001, "DEMO-900123", "Rowan Demoford", DAY + timedelta(days=3), DAY, "action_reminder"),
        t.ActionDue(41, 9001, "DEMO-900123", "Rowan Demoford", DAY, DAY + timedelta(days=1), "action_overdue"),
    ]
    return [*examples, t.DailyDigest(DAY, tuple(t.DigestItem(e.KIND, e) for e in examples))]


def timetable_cards() -> Iterator[tuple[str, CardDict]]:
    """Every timetable notice, alone and in a day's digest, as the dispatcher renders them."""
    context = CardContext(DAY, CATALOGUE_LINKS)
    for notice in example_timetable_notices():
        name = notice.KIND if not isinstance(notice, t.ActionDue) else notice.rule  # a reminder, then overdue
        if isinstance(notice, t.SltEscalation) and not notice.items:
            name += "-all-returned"  # every audit in, moderations still outstanding
        yield f"timetable/{name.replace('_', '-')}", notice_card(notice, context)


class CatalogueLinks:
    """Links as long as real ones, signed by nobody: the catalogue only shows them."""

    lifetime_days = 7

    def chart_url(self, audit_id: int) -> str:
        return "https://plf.example.org/links/charts/" + "x" * 160 + ".png"

    def report_url(self, reader: int, period: str, area_id: int | None, team_id: int | None = None) -> str:
        return "https://plf.example.org/links/reports/" + "x" * 160 + ".html"

    def evidence_url(self, reader: int, period: str) -> str:
        return "https://plf.example.org/links/evidence/" + "x" * 160 + ".html"

    def feedback_url(self, token: str) -> str:
        return "https://plf.example.org/feedback/" + token


CATALOGUE_LINKS = CatalogueLinks()


def all_cards() -> list[tuple[str, CardDict]]:
    cards: list[tuple[str, CardDict]] = []
    for form in load_forms().values():
        cards += form_cards(form)
    cards += notice_cards()
    cards += layered_cards()
    cards += timetable_cards()
    cards += chat_cards()
    cards += concern_cards()
    cards += evidence_cards()
    cards += feedback_cards()
    cards += feedback_summary_cards()
    return cards
