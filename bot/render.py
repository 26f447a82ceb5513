"""Results of the workflow, and outbox notices, turned into cards (built in cards/)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from cards import layered, notices, reports, workflow
from cards.base import CardDict
from cards.form_pages import AuditRef, PageView, ReviewView, page_card, readonly_card, review_card
from plf_core import timetable
from plf_core.audits import AuditView
from plf_core.dips import DipAction, DipList, DipThemes
from plf_core.layered import AgreementScreen, ModeratePreview, ModerationDone, ModerationScreen, SamplePreview
from plf_core.report_command import ReportSummary
from plf_core.sampling import Method
from plf_core.timetable_commands import OutboxList, StatusFigures, TimetablePreview
from plf_core.workflow import (
    AuditList,
    PageScreen,
    Reply,
    ReviewScreen,
    Screen,
    SubmittedScreen,
    UnknownList,
)

LayeredScreen = (
    SamplePreview
    | ModeratePreview
    | ModerationScreen
    | ModerationDone
    | AgreementScreen
    | DipThemes
    | DipList
    | TimetablePreview
    | OutboxList
    | StatusFigures
    | ReportSummary
)


def audit_ref(audit: AuditView) -> AuditRef:
    parts = []
    if audit.case is not None:
        parts.append(f"Team {audit.case.team_code}")
    if audit.due_on:
        parts.append(f"due {audit.due_on.isoformat()}")
    if audit.pim_held_on:
        parts.append(f"PIM held on {audit.pim_held_on.isoformat()}")
    elif audit.pim_due_on:
        parts.append(f"PIM due by {audit.pim_due_on.isoformat()}")
    if audit.status.value not in ("assigned", "in_progress"):
        parts.append(audit.status.value.replace("_", " "))
    return AuditRef(audit.id, audit.version, audit.case.azeus_number if audit.case else "—", " · ".join(parts))


def prefilled(audit: AuditView) -> dict[str, str]:
    case = audit.case
    values = {"audit.practitioner": audit.practitioner_name, "audit.manager": audit.second_person_name}
    if case is not None:
        values |= {
            "case.azeus_number": case.azeus_number,
            "case.gender": case.gender,
            "case.team": case.team_name,
            "case.team_and_area": f"{case.team_name} · {case.service_area_name}",
            "case.age": str(case.age),
        }
    return values


def screen_card(screen: Screen | LayeredScreen, refresh_user_ids: tuple[str, ...] = ()) -> CardDict:
    if isinstance(screen, PageScreen):
        view = PageView(
            screen.audit.form,
            audit_ref(screen.audit),
            screen.page_id,
            screen.values,
            screen.editors,
            prefilled(screen.audit),
            screen.errors,
            screen.note,
            refresh_user_ids,
        )
        return readonly_card(view) if screen.read_only else page_card(view)
    if isinstance(screen, ReviewScreen):
        return review_card(
            ReviewView(
                screen.audit.form,
                audit_ref(screen.audit),
                screen.audit.answers,
                screen.editors,
                screen.problems,
                bool(screen.editors),
                refresh_user_ids,
            )
        )
    if isinstance(screen, SubmittedScreen):
        audit = screen.audit
        return workflow.submitted(
            audit.id,
            audit.case.azeus_number if audit.case else "—",
            audit.form.title,
            screen.red_by,
            screen.pim_due_on,
            screen.repeated,
        )
    if isinstance(screen, AuditList):
        lines = [
            workflow.AuditLine(
                a.id,
                a.form.title,
                a.case.azeus_number if a.case else "—",
                screen.role_in(a),
                a.status.value.replace("_", " "),
                a.due_on,
            )
            for a in screen.audits
        ]
        moderations = [
            workflow.AuditLine(
                a.id, a.form.title, a.case.azeus_number if a.case else "—", "moderator", "to moderate", None
            )
            for a in screen.to_moderate
        ]
        return workflow.audit_list(lines, moderations=moderations)
    if isinstance(screen, UnknownList):
        shown = [
            f"{s.name} ({s.aad_object_id}): {s.messages} message(s), last {s.last_seen:%d %b %Y %H:%M}"
            for s in screen.senders
        ] or ["Nobody unknown has written to the bot."]
        return workflow.text_card("People not in the directory", shown)
    if isinstance(screen, TimetablePreview):
        return _timetable_preview(screen)
    if isinstance(screen, ReportSummary):
        return reports.report_summary(
            screen.period.label, screen.scope, screen.headline, screen.url, screen.empty, screen.link_days
        )
    if isinstance(screen, StatusFigures):
        return layered.status_card(
            f"Status — {screen.scope}, cycle {screen.cycle}",
            [
                ("Reviews assigned", str(screen.assigned)),
                ("Returned", str(screen.returned)),
                ("Outstanding", str(screen.outstanding)),
                ("Overdue", str(screen.overdue)),
                ("Moderated", str(screen.moderated)),
                ("Actions open", str(screen.actions_open)),
                ("Actions past their deadline", str(screen.actions_overdue)),
                ("Case data for the cycle", screen.data_sent),
            ],
        )
    if isinstance(screen, OutboxList):
        return layered.failed_messages(
            [(m.outbox_id, m.person, m.kind.replace("_", " "), m.status, m.attempts, m.error) for m in screen.messages]
        )
    if isinstance(screen, DipThemes):
        return layered.dip_themes(screen.themes)
    if isinstance(screen, DipList):
        rows = [
            layered.DipLine(d.dip_id, d.theme, d.status, [f"{step} {when[:10]}" for step, when, _ in d.history])
            for d in screen.dips
        ]
        return layered.dip_list(rows)
    if isinstance(screen, SamplePreview | ModeratePreview | ModerationScreen | ModerationDone | AgreementScreen):
        return layered_card(screen)
    assert isinstance(screen, Reply)
    return workflow.text_card("Practice Learning", [screen.text])


def layered_card(
    screen: SamplePreview | ModeratePreview | ModerationScreen | ModerationDone | AgreementScreen,
) -> CardDict:
    if isinstance(screen, SamplePreview):
        d = screen.draw
        review = sum(p.for_review for p in d.picks)
        rows = [
            ("Method", d.method.value.replace("_", " ")),
            ("Criteria", d.criteria.describe()),
            ("Seed", str(d.seed)),
            ("Cases matching", f"{d.population_size:,}"),
            ("Selected", f"{len(d.picks):,}" + (f" ({d.size} per Practice Lead)" if d.method is Method.QUOTA else "")),
        ]
        if review:
            rows.append(("Also for Practice Learning Review", str(review)))
        summary = layered.SampleSummary(
            "Sample preview — nothing created yet",
            f"{screen.command} confirm {screen.fingerprint}",
            rows,
            d.strata,
            d.shortfalls,
            len(d.picks),
            screen.note,
        )
        return layered.sample_preview(summary, "audits")
    if isinstance(screen, ModeratePreview):
        counts = screen.selection.by_stream()
        names = {
            "head_of_service": "Heads of Service",
            "practice_learning_reviewer": "Practice Learning Reviewers",
            "ad_qa": "AD QA and lead reviewers",
        }
        summary = layered.SampleSummary(
            f"Moderation for {screen.month:%B %Y} — nothing sent yet",
            f"{screen.command} confirm {screen.fingerprint}",
            [("Audits returned", str(screen.returned)), ("Moderation requests", str(len(screen.selection.requests)))],
            {names.get(k, k): v for k, v in counts.items()},
            screen.selection.problems,
            len(screen.selection.requests),
            screen.note,
        )
        return layered.sample_preview(summary, "moderation requests")
    if isinstance(screen, ModerationScreen):
        ref = audit_ref(screen.audit)
        sections = [layered.ModerationSection(s.section, s.label, s.original) for s in screen.sections]
        subtitle = f"{screen.audit.form.title} · {ref.subtitle}" if ref.subtitle else screen.audit.form.title
        return layered.moderation_form(
            screen.audit.id, ref.case_ref, subtitle, sections, screen.values, screen.errors, screen.note
        )
    if isinstance(screen, ModerationDone):
        r = screen.result
        return layered.moderation_outcome(
            r.audit_id,
            audit_ref(screen.audit).case_ref,
            r.original_grade.value if r.original_grade else "",
            r.moderated_grade.value,
            [[g.label, g.original.value if g.original else "", g.moderated.value, g.reason] for g in r.sections],
            r.actions,
            for_moderator=True,
            repeated=screen.repeated,
        )
    return layered.agreement_card(screen.period, screen.overall, screen.dimension, screen.breakdown)


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def notice_card(kind: str, data: Mapping[str, Any], today: date) -> CardDict:
    """An outbox message's card, rendered when it is sent."""
    if kind == "audit_assigned":
        return workflow.audit_assigned(int(data["audit"]), str(data["case"]), str(data["team"]), _day(data.get("due")))
    if kind == "red_alert":
        due = _day(data.get("pim_due")) or today
        return notices.red_alert(
            notices.RedAlert(
                int(data["audit"]),
                str(data["case"]),
                str(data["team"]),
                str(data.get("by", "")),
                str(data.get("sources", "")),
                due,
            )
        )
    if kind == "pim_request":
        due = _day(data.get("pim_due")) or today
        return notices.pim_request(int(data["pim_audit"]), str(data["case"]), str(data["team"]), due)
    if kind == "outcomes_chart":
        if not data.get("url"):
            raise ValueError("an outcomes chart needs its signed link")
        expires = _day(data.get("expires")) or today
        return notices.outcomes_chart(str(data["case"]), str(data["url"]), expires)
    if kind == "audit_final":
        return workflow.final_audit(int(data["audit"]), str(data["case"]), str(data["form"]), str(data["grade"]))
    if kind == "moderation_request":
        due = _day(data.get("due")) or today
        audit, case, team, reason = int(data["audit"]), str(data["case"]), str(data["team"]), str(data["reason"])
        return notices.moderation_request(audit, case, team, reason, due)
    if kind == "actions_not_yet":
        return workflow.text_card(
            f"Actions not yet completed: case {data.get('case', '')}",
            [f"{data.get('by', 'The practitioner')} says: {data.get('reason', '')}"],
        )
    if kind in TIMETABLE_KINDS:
        return timetable_card(kind, data, today)
    if kind == "daily_digest":
        day = _day(data.get("day")) or today
        parts = [
            timetable_card(str(i["kind"]), i["data"], today)
            for i in data.get("items", [])
            if i.get("kind") in TIMETABLE_KINDS
        ]
        return layered.daily_digest(day, parts, f"digest:{day.isoformat()}")
    if kind == "review_assigned":
        from plf_core.forms.registry import get_form

        title = get_form(str(data["form"])).title
        return layered.review_assigned(
            int(data["audit"]), title, str(data.get("case") or ""), str(data.get("theme") or ""), _day(data.get("due"))
        )
    if kind == "dip_sample_actions":
        actions = [DipAction(str(t), str(w), _day(b), str(r) or None) for t, w, b, r in data.get("actions", [])]
        due = _day(data.get("agree_by")) or today
        return notices.dip_sample_actions(int(data["dip"]), str(data["theme"]), actions, due)
    if kind == "moderation_outcome":
        return layered.moderation_outcome(
            int(data["audit"]),
            str(data["case"]),
            str(data.get("original", "")),
            str(data["moderated"]),
            [[str(v) for v in row] for row in data.get("sections", [])],
            [str(a) for a in data.get("actions", [])],
        )
    if kind == "delivery_failures":
        failures = [
            notices.FailedDelivery(int(f["outbox"]), str(f["person"]), str(f["kind"]), str(f["reason"]))
            for f in data.get("failures", [])
        ]
        return notices.delivery_failures(failures, [str(p) for p in data.get("unreachable", [])])
    if kind == "unknown_sender":
        return workflow.text_card(
            "Someone not in the directory wrote to the bot",
            [
                f"{data.get('name', 'Someone')} (Entra object id {data.get('aad', '?')}) wrote to the "
                "Practice Learning bot but is not in the directory. Add them with `plf import people`, "
                "or type 'unknown people' to see everyone waiting."
            ],
        )
    raise ValueError(f"no card for notice kind '{kind}'")


TIMETABLE_KINDS = timetable.CARDS  # the cards a timetable rule may name


def _rows(data: Mapping[str, Any]) -> list[notices.OutstandingRow]:
    return [
        notices.OutstandingRow(str(case), "", str(team), "open", date.fromisoformat(str(due)), int(audit))
        for audit, case, team, due in data.get("items", [])
    ]


def timetable_card(kind: str, data: Mapping[str, Any], today: date) -> CardDict:
    """A notice of the timetable (plf_core.timetable), from its outbox payload."""
    due = _day(data.get("due")) or today
    if kind == "data_request":
        starts = _day(data.get("starts")) or due
        criteria = ["every open case: Azeus number, gender, age, cohort, team, allocated worker, legal status, EHCP"]
        return notices.data_request(str(data.get("cycle", "")), starts, due + timedelta(days=7), criteria)
    if kind == "reminder_digest":
        items = [
            notices.DueItem("Practice Learning Conversation", str(case), date.fromisoformat(str(when)), int(audit))
            for audit, case, _team, when in data.get("items", [])
        ]
        return notices.reminder_digest("", items, f"{data.get('rule', '')}:{data.get('month', '')}")
    if kind == "outstanding_list":
        return notices.outstanding_list("your scope", due + timedelta(days=7), _rows(data))
    if kind == "slt_escalation":
        waiting, late = int(data.get("moderations", 0)), int(data.get("actions", 0))
        return notices.slt_escalation(str(data.get("cycle", "")), _rows(data), waiting, late)
    if kind == "action_follow_up":
        number = 2 if str(data.get("rule", "")).endswith("2") else 1
        actions = [notices.ActionLine(str(a), "allocated team", None) for a in data.get("actions", [])]
        return notices.action_follow_up(int(data["audit"]), str(data["case"]), actions, number, due + timedelta(days=7))
    if kind == "action_escalation":
        return layered.timetable_notice(
            f"Escalation: actions for case {data.get('case', '')} not confirmed",
            [
                "Nobody has confirmed the actions from this audit's moderation four weeks after the first "
                "follow-up (section 14). Please follow them up with the Head of Service concerned.",
                *[f"- {a}" for a in data.get("actions", [])],
            ],
            ("Open the audit (read-only)", "audit.view", {"audit": int(data["audit"])}),
        )
    if kind == "dip_follow_up":
        agree = str(data.get("rule", "")) == "dip_agree"
        return layered.timetable_notice(
            f"Dip sample {data.get('dip', '')}: {data.get('theme', '')}",
            [
                "Please agree the dip sample's actions: they were sent to you a week ago (line 545)."
                if agree
                else "Please confirm the dip sample's actions are completed, or say what is still to do (section 18)."
            ],
            ("Agree the actions", "dip.agree", {"dip_sample": int(data["dip"])})
            if agree
            else ("Open the dip sample", "dip.open", {"dip_sample": int(data["dip"])}),
        )
    if kind == "dip_escalation":
        return layered.timetable_notice(
            f"Escalation: dip sample {data.get('dip', '')} ({data.get('theme', '')})",
            [
                "The QA service has not heard that this dip sample's actions were followed up, four weeks after "
                "the follow-up (section 18). Please follow it up with the Head of Service."
            ],
            ("Open the dip sample", "dip.open", {"dip_sample": int(data["dip"])}),
        )
    return layered.timetable_notice(
        f"Practice Improvement Meeting due: case {data.get('case', '')}",
        [
            "A Practice Improvement Meeting must be held for this Red audit, and it is due today (line 759). "
            "Record the date it was held on the PIM record."
        ],
        ("Open the audit (read-only)", "audit.view", {"audit": int(data["audit"])}),
    )


def _timetable_preview(screen: TimetablePreview) -> CardDict:
    shown: list[str] = []
    for day, _rule, what, count, urgent in screen.lines:
        who = "person" if count == 1 else "people"
        shown.append(f"{day:%a %d %b}: {what} — {count} {who}" + (" (escalation)" if urgent else ""))
    return workflow.text_card(
        f"The timetable: the next {screen.days} days", shown or [f"Nothing is due in the next {screen.days} days."]
    )
