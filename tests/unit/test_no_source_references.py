"""Nothing from the source document is shown to staff: no "(line 545)", no "seed lines 1010-1359".
The framework's own names (Appendix 2, section 18) are what staff know and stay."""

from __future__ import annotations

import re

from cards.catalogue import all_cards
from plf_core.forms.registry import load_forms
from tests.card_tree import texts

SOURCE_REFERENCE = re.compile(r"\bseed\b|\blines? [0-9]{2,}", re.IGNORECASE)


def test_no_card_names_a_line_of_the_source_document() -> None:
    found = {name: t for name, card in all_cards() for t in texts(card) if SOURCE_REFERENCE.search(t)}
    assert found == {}


def test_a_forms_reference_for_staff_is_its_appendix_without_line_numbers() -> None:
    forms = load_forms()
    assert forms["practice_learning_conversation"].reference == "Appendix 2"
    assert all(not SOURCE_REFERENCE.search(f.reference) for f in forms.values())


def test_the_timetable_shown_to_qa_names_no_line_of_the_source_document() -> None:
    """`timetable` shows each rule's `what`: the line numbers stay in the file's comments."""
    from scheduler.timetable_file import load_timetable

    assert [r.id for r in load_timetable() if SOURCE_REFERENCE.search(r.what or "")] == []
