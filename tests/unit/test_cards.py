"""Cards compared by value: what a person sees and what the buttons send back."""

from __future__ import annotations

from datetime import date

from cards.form_pages import AuditRef, PageView, ReviewView, readonly_card, review_card
from cards.notices import RedAlert, red_alert
from cards.page_dicts import page_card
from plf_core.concerns import INPUTS as CONCERN_BOX
from plf_core.forms.model import Contributor as C
from plf_core.forms.registry import get_form
from tests.card_tree import inputs, texts, walk

PLC = get_form("practice_learning_conversation")
REF = AuditRef(audit_id=12, version=3, case_ref="DEMO-900001", subtitle="Team FDA-N")


def test_a_page_card_prefills_answers_and_sends_back_audit_version_and_page() -> None:
    view = PageView(
        PLC,
        REF,
        "part_b_judgement",
        {"B7": 7, "B8": "Steady progress."},
        frozenset({C.PRACTITIONER}),
        refresh_user_ids=("29:a", "29:b"),
    )
    card = page_card(view)
    assert card["version"] == "1.5"
    assert "Part B — 5 Practitioner's judgement (outcomes), 6 the child's own ratings · page 9 of 14" in texts(card)
    fields = inputs(card)
    assert list(fields) == ["B7", "B8", "C1", "C2", "C3", "C4", "C5", "C6", "concern_text", "concern_at_risk"]
    assert fields["B7"]["value"] == "7"
    assert fields["B7"]["style"] == "expanded"
    assert len(fields["B7"]["choices"]) == 10
    assert fields["B8"] | {} == {
        "type": "Input.Text",
        "id": "B8",
        "value": "Steady progress.",
        "maxLength": 2000,
        "isMultiline": True,
        "label": "B8: Please add your reflections regarding your Practitioner judgement in relation to outcomes "
        "for child/young person. (required)",
        "errorMessage": "Reflections on outcomes: please check this answer (at most 2,000 characters)",
    }
    assert [a["verb"] for a in card["actions"]] == ["page.back", "page.save", "page.next", "page.review"]
    save = card["actions"][1]
    assert save["data"] == {
        "verb": "page.save",
        "audit": 12,
        "version": 3,
        "page": "part_b_judgement",
    }
    assert save["fallback"] == {"type": "Action.Submit", "title": "Save", "data": save["data"]}
    assert card["refresh"]["userIds"] == ["29:a", "29:b"]
    assert card["refresh"]["action"]["verb"] == "audit.refresh"


def test_the_last_page_leads_to_review_and_the_first_has_no_back() -> None:
    last = page_card(PageView(PLC, REF, "head_of_service", {}, frozenset({C.HEAD_OF_SERVICE})))
    assert [a["title"] for a in last["actions"]] == ["Save", "Review and submit"]  # their only page
    theirs = page_card(PageView(PLC, REF, "practitioner_overall", {}, frozenset({C.PRACTITIONER})))
    assert [a["title"] for a in theirs["actions"]] == ["Back", "Save", "Review and submit"]  # not on to the manager's
    first = page_card(
        PageView(
            PLC,
            REF,
            "header",
            {},
            frozenset({C.PRACTITIONER}),
            prefilled={"case.azeus_number": "DEMO-900001"},
        )
    )
    assert [a["title"] for a in first["actions"]] == ["Save", "Next"]
    facts = next(n for n in walk(first) if n.get("type") == "FactSet")["facts"]
    assert {"title": "Azeus Number", "value": "DEMO-900001"} in facts
    assert "H_azeus" not in inputs(first)


def test_errors_show_under_each_field_and_keep_what_was_typed() -> None:
    typed = "x" * 2500
    view = PageView(
        PLC,
        REF,
        "part_b_judgement",
        {"B8": typed, "B7": 7},
        frozenset({C.PRACTITIONER}),
        errors={"B8": "B8 — reflections on outcomes must be at most 2,000 characters (it has 2,500)"},
    )
    card = page_card(view)
    assert inputs(card)["B8"]["value"] == typed
    attention = [n["text"] for n in walk(card) if n.get("color") == "Attention"]
    assert attention == [
        "1 answer needs attention: see the messages in red. Everything you typed is still here.",
        "B8 — reflections on outcomes must be at most 2,000 characters (it has 2,500)",
    ]


def test_manager_sections_are_read_only_for_the_practitioner() -> None:
    card = page_card(PageView(PLC, REF, "manager_overall", {"MO1": "amber"}, frozenset({C.PRACTITIONER})))
    assert set(inputs(card)) == set(CONCERN_BOX)  # nothing to answer; only the box to raise a concern
    assert "Amber — Requires Improvement" in texts(card)
    assert "Completed by the manager." in texts(card)
    assert "MO1" in inputs(page_card(PageView(PLC, REF, "manager_overall", {}, frozenset({C.MANAGER}))))


def test_the_read_only_view_has_no_inputs_and_pages_through_the_audit() -> None:
    card = readonly_card(PageView(PLC, REF, "part_a_planning", {"A7a": "yes"}, frozenset()))
    assert set(inputs(card)) == set(CONCERN_BOX)  # nothing to answer; only the box to raise a concern
    assert "Read-only view" in texts(card)
    assert [(a["verb"], a["data"]["page"]) for a in card["actions"]] == [
        ("audit.view", "part_a_assessment"),
        ("audit.view", "part_a_oversight"),
    ]


def test_the_review_card_summarises_every_page_with_edit_and_submit() -> None:
    answers = {"A1b": "word " * 100, "P1": "red"}
    card = review_card(
        ReviewView(
            PLC,
            REF,
            answers,
            frozenset({C.PRACTITIONER}),
            problems={"A2a": "A2a — essential information on file is required", "MO1": "MO1 is required"},
        )
    )
    edits = [
        n["data"]["page"] for n in walk(card) if n.get("verb") == "page.open" and n.get("type") == "Action.Execute"
    ]
    assert len(edits) == 10  # the practitioner's pages; manager and HoS pages are not theirs to edit
    facts = {f["title"].split(":")[0]: f for n in walk(card) if n.get("type") == "FactSet" for f in n["facts"]}
    assert facts["P1"] == {"title": "P1: practitioner's overall grade", "value": "Red — Inadequate"}
    assert facts["A1b"]["value"].endswith("…")
    assert len(facts["A1b"]["value"]) <= 90
    assert facts["A2a"]["value"] == "⚠ A2a — essential information on file is required"
    assert card["actions"][0]["verb"] == "audit.submit"
    # each section is one line saying where it stands, its answers behind Show answers; the section with
    # something of the reader's to put right is open
    boxes = {n["id"]: n.get("isVisible", True) for n in walk(card) if str(n.get("id", "")).startswith("review_")}
    assert len(boxes) == len(PLC.pages)
    assert [k for k, shown in boxes.items() if shown] == ["review_part_a_assessment"]
    shown = texts(card)
    assert "0 of 2 answered · still to do by the manager" in shown  # the manager's overall grade
    assert any(t.endswith("⚠ 1 for you to complete or correct") for t in shown)
    # the count at the top is the reader's own; the others' are said apart
    assert (
        "1 of your answer(s) must be completed or corrected: they are marked below. "
        "1 answer(s) are still to come from others, as each section says." in shown
    )


def test_a_red_alert_says_what_is_asked_by_when_and_opens_the_audit() -> None:
    graders = "the manager's judgement (Pat Leadwell)"
    card = red_alert(RedAlert(44, "DEMO-900007", "CNP-N", "Rowan Demoford", "manager", date(2026, 12, 10), graders))
    assert card == {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "msteams": {"width": "full"},
        "fallbackText": "Red audit: case DEMO-900007",
        "body": [
            {
                "type": "Container",
                "style": "attention",
                "items": [
                    {
                        "type": "TextBlock",
                        "text": "Red — Inadequate: case DEMO-900007",
                        "size": "Large",
                        "weight": "Bolder",
                        "wrap": True,
                    },
                    {
                        "type": "TextBlock",
                        "wrap": True,
                        "text": "An audit of this case in CNP-N has been graded Red — Inadequate by the manager's judgement (Pat Leadwell).",
                    },
                ],
            },
            {
                "type": "TextBlock",
                "wrap": True,
                "text": "What is asked: read the audit, and hold a Practice Improvement Meeting by Thu 10 Dec 2026 "
                "(framework Appendix 1).",
            },
        ],
        "actions": [
            {
                "type": "Action.Execute",
                "title": "Open the audit (read-only)",
                "verb": "audit.view",
                "data": {"verb": "audit.view", "audit": 44},
                "fallback": {
                    "type": "Action.Submit",
                    "title": "Open the audit (read-only)",
                    "data": {"verb": "audit.view", "audit": 44},
                },
            }
        ],
    }


def test_a_date_answer_reads_as_staff_read_dates_everywhere() -> None:
    from cards.form_pages import display_value

    field = PLC.fields["H_date"]
    assert display_value(field, "2026-12-31") == "Thu 31 Dec 2026"
    assert display_value(field, "not a date") == "not a date"  # shown as it was stored, never an error


def test_each_grade_option_carries_its_guidance_in_one_order_best_first() -> None:
    card = page_card(PageView(PLC, REF, "part_a_judgement", {}, frozenset({C.PRACTITIONER})))
    options = [c["title"] for c in inputs(card)["A13"]["choices"]]
    assert [o.split(":")[0] for o in options] == [
        "Blue — Outstanding",
        "Green — Good",
        "Amber — Requires Improvement",
        "Red — Inadequate",
    ]
    assert options[0].startswith("Blue — Outstanding: Recording is consistently clear")
    assert "Show guidance" not in {a.get("title") for a in walk(card)}  # nothing hidden behind a button


def test_the_managers_page_shows_the_practitioners_answer_beside_theirs_read_only() -> None:
    answers = {"A13": "amber", "A14": "Visits were late (synthetic)", "B7": "6"}
    card = page_card(PageView(PLC, REF, "manager_judgement", answers, frozenset({C.MANAGER})))
    shown = texts(card)
    at = shown.index("The practitioner's answer (A13)")
    assert shown[at + 1] == "Amber — Requires Improvement"
    assert "Visits were late (synthetic)" in shown
    assert {"A13", "A14", "B7"}.isdisjoint(inputs(card))  # for comparison only: nothing of theirs to send
    assert shown[shown.index("The practitioner's answer (B8)") + 1] == "not answered yet"


def test_what_the_bot_knows_is_offered_until_answered() -> None:
    known = {"audit.second_person": "Pat Leadwell", "today": "2026-11-20"}
    card = page_card(PageView(PLC, REF, "header", {}, frozenset({C.PRACTITIONER}), known))
    assert (inputs(card)["H_second"]["value"], inputs(card)["H_date"]["value"]) == ("Pat Leadwell", "2026-11-20")
    answered = page_card(PageView(PLC, REF, "header", {"H_date": "2026-11-02"}, frozenset({C.PRACTITIONER}), known))
    assert inputs(answered)["H_date"]["value"] == "2026-11-02"


def test_the_outbox_offers_retry_only_where_it_can_help() -> None:
    """A message waiting for its person to install the bot goes when they do: it says so, without Retry."""
    from cards.screens import screen_card
    from plf_core.timetable_commands import FailedMessage, OutboxList
    from tests.card_tree import texts, walk

    waiting = FailedMessage(8, "Alder Samplewell", "daily_digest", "failed", 1, "no conversation: not installed")
    dead = FailedMessage(9, "Cedar Testbury", "red_alert", "dead", 8, "gave up after 8 attempts: 503")
    card = screen_card(OutboxList((dead, waiting), 1, 1, 2, "Message 7 will be sent again in a moment."))
    retries = [n["data"]["outbox"] for n in walk(card) if n.get("type") == "Action.Execute" and n["title"] == "Retry"]
    assert retries == [9]
    shown = texts(card)
    assert "Waiting: Alder Samplewell has not installed the bot yet; it goes as soon as they do." in shown
    assert "Urgent: red alert to Cedar Testbury" in shown
    assert shown[1] == "Message 7 will be sent again in a moment."
