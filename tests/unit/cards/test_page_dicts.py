"""The page card the bot answers a save with (cards.page_dicts, assembled from cached element dicts)
is the card the typed models build (cards.form_pages.page_card_from_models): for every page of every
form, for each contributor alone and for the practitioner with their manager, empty and answered, with
errors, a note, prefilled facts, a subtitle, a refused concern, refresh users (issue 19) and what the family
said (issue 20)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import product

import pytest

from cards.form_pages import AuditRef, PageView, page_card_from_models
from cards.page_dicts import page_card
from plf_core.audits import FamilySaid
from plf_core.concern_ports import ConcernBox
from plf_core.forms.model import Contributor, Field, FieldKind, Form
from plf_core.forms.registry import load_forms

FORMS = load_forms()
EDITORS = [frozenset({c}) for c in Contributor] + [frozenset({Contributor.PRACTITIONER, Contributor.MANAGER})]


def answer(f: Field, n: int) -> object:
    """A plausible answer, different for each `n`."""
    if f.choices:
        return f.choices[n % len(f.choices)].value
    if f.kind is FieldKind.NUMBER:
        return (f.minimum or 0) + n
    if f.kind is FieldKind.DATE:
        return f"2026-11-{1 + n:02d}"
    return f"Synthetic answer {n} to {f.id}: <b>not bold</b> & “quoted”"


def answers(form: Form, n: int) -> dict[str, object]:
    return {f.id: answer(f, n) for p in form.pages for f in p.fields if f.prefilled_from is None}


FAMILY = (
    FamilySaid(
        "parent",
        datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
        (("Was our help useful to your family?", "4 of 5: Mostly"), ("What helped?", "<b>Being listened to</b>")),
        flagged=True,
    ),
    FamilySaid("child", datetime(2026, 12, 1, 17, tzinfo=UTC), (("Did we help you?", "2 of 5: Not really"),)),
)


def views(form: Form) -> list[PageView]:
    ref = AuditRef(17, 4, "DEMO-900100")
    made = []
    for page, editors in product(form.pages, EDITORS):
        fields = [f.id for f in page.fields if f.prefilled_from is None]
        first = fields[:1]
        made += [
            PageView(form, ref, page.id, {}, editors),
            PageView(form, ref, page.id, answers(form, 1), editors, note="Saved.", concern=ConcernBox(sent=True)),
            PageView(
                form,
                AuditRef(18, 9, "DEMO-900101", "Dip sample 2: Voice of the child", FAMILY),
                page.id,
                answers(form, 2),
                editors,
                prefilled={"case": "DEMO-900101", "team": "FDA-N", "worker": "Quill Pretendham"},
                errors={**{k: "Please check this answer" for k in first}, "elsewhere": "Not on this page"},
                refresh_user_ids=("29:one", "29:two"),
                concern=ConcernBox("A concern typed, refused", True, "the concern is too long"),
            ),
        ]
    return made


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_every_page_card_is_the_one_the_models_build(form_id: str) -> None:
    for view in views(FORMS[form_id]):
        fast, models = page_card(view), page_card_from_models(view)
        assert fast == models, (view.page_id, view.editors)
        assert json.dumps(fast, sort_keys=True) == json.dumps(models, sort_keys=True)


def test_the_cached_elements_are_not_changed_by_the_cards_made_from_them() -> None:
    form = FORMS["practice_learning_conversation"]
    view = views(form)[1]
    before = json.dumps(page_card(view), sort_keys=True)
    for other in views(form)[:30]:
        page_card(other)
    assert json.dumps(page_card(view), sort_keys=True) == before
    assert page_card(view) == page_card_from_models(view)
