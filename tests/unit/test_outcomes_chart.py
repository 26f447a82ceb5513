"""The outcomes chart: the scales read from a Practice Learning Conversation by meaning, and the
PNG drawn with the right series (checked by their colours in the image)."""

from __future__ import annotations

import io
from datetime import date

import numpy
import PIL.Image

from plf_core.forms.registry import get_form
from plf_core.outcomes import AREAS, OutcomeScales, OutcomesPicture, scales_of
from reports.outcomes_chart import CHILD, EARLIER, MANAGER, PRACTITIONER, outcomes_chart_png, series_of

PLC = get_form("practice_learning_conversation")
NOW = OutcomeScales(
    dict(zip(AREAS, (7, 5, 8, 6, 4, 6), strict=True)), dict(zip(AREAS, (8, 4, 7, 7, 5, 6), strict=True)), 6, 5
)
BEFORE = OutcomeScales(dict(zip(AREAS, (5, 4, 6, 5, 3, 4), strict=True)))


def colour_count(png: bytes, hex_colour: str, tolerance: int = 12) -> int:
    """How many pixels of the image are (nearly) this colour."""
    target = numpy.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = numpy.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((numpy.abs(pixels - target) <= tolerance).all(axis=2).sum())


def test_the_scales_are_read_by_the_meaning_of_each_field() -> None:
    answers = {
        "B1a": "7",
        "B2a": 5,
        "B3a": "8",
        "B4a": "6",
        "B5a": "4",
        "B6a": "6",
        "C1": "8",
        "C3": "7",  # the child rated two areas
        "B7": "6",
        "MB1": "5",
        "B1b": "Synthetic evidence",
    }
    scales = scales_of(PLC, answers)
    assert scales.practitioner == dict(zip(AREAS, (7, 5, 8, 6, 4, 6), strict=True))
    assert scales.child == {"living_arrangements": 8, "health": 7}
    assert (scales.practitioner_overall, scales.manager_overall) == (6, 5)
    assert scales_of(PLC, {"B1a": "eleven", "B2a": "0", "C1": ""}).empty  # nothing that is not a 1-10 scale


def test_the_chart_is_a_png_with_each_series_labelled_and_drawn() -> None:
    picture = OutcomesPicture("DEMO-900123", date(2026, 11, 20), NOW, BEFORE, date(2026, 5, 12))
    png = outcomes_chart_png(picture)
    image = PIL.Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (720, 640))
    assert 20_000 < len(png) < 300_000
    assert [label for label, _ in series_of(picture)] == [
        "Earlier audit (12 May 2026): practitioner's scale",
        "Practitioner's scale",
        "Child's own ratings",
    ]
    for colour in (PRACTITIONER, CHILD, MANAGER, EARLIER):
        assert colour_count(png, colour) > 200, colour


def test_a_chart_shows_only_what_was_recorded_and_one_chart_leaves_nothing_on_the_next() -> None:
    full = outcomes_chart_png(OutcomesPicture("DEMO-1", None, NOW, BEFORE, date(2026, 5, 12)))
    alone = outcomes_chart_png(OutcomesPicture("DEMO-2", None, OutcomeScales(dict(zip(AREAS, [6] * 6, strict=True)))))
    assert colour_count(full, CHILD) > 200
    assert colour_count(alone, PRACTITIONER) > 200
    for colour in (CHILD, MANAGER):
        assert colour_count(alone, colour) < 20, colour  # drawn on the template, then taken off again
    empty = outcomes_chart_png(OutcomesPicture("DEMO-3", None, OutcomeScales()))
    assert colour_count(empty, PRACTITIONER) < 20
