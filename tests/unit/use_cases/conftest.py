"""The use cases against the in-memory unit of work: a small borough at a fixed instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from plf_core.clock import FixedClock
from plf_core.forms.model import Contributor, FieldKind
from plf_core.forms.registry import get_form
from plf_core.people import Actor
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import Borough, small_borough

PLC = get_form("practice_learning_conversation")


@pytest.fixture
def borough(clock: FixedClock) -> Borough:
    return small_borough(clock.today())


@pytest.fixture
def uow(borough: Borough, clock: FixedClock) -> FakeUnitOfWork:
    return FakeUnitOfWork(borough.world, clock)


def actor(uow: FakeUnitOfWork, person_id: int) -> Actor:
    found = uow.people._actor(person_id)
    assert found is not None
    return found


def answers_for(page_id: str, editors: set[Contributor], grade: str = "green") -> dict[str, Any]:
    """Every field of the page that these contributors write, answered as a busy person might."""
    page = PLC.page(page_id)
    values: dict[str, Any] = {}
    for f in page.fields:
        if f.prefilled_from or page.editor_of(f) not in editors:
            continue
        values[f.id] = {
            FieldKind.YES_NO: "no",
            FieldKind.GRADE: grade,
            FieldKind.SCALE_10: "6",
            FieldKind.DATE: "2026-11-20",
            FieldKind.CHOICE: "self",
            FieldKind.TEXT: "Written by the test",
            FieldKind.LONG_TEXT: "Synthetic evidence: the plan was reviewed with the family.",
        }[f.kind]
    return values


def moment(clock: FixedClock) -> datetime:
    return clock.now()
