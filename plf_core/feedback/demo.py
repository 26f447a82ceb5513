"""Synthetic families' feedback for the demo borough: a year of answers on its cases, so the audits show
what a family said and the highlight report has satisfaction and themes to count. Seeded; every word is
invented and none names anyone."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from plf_core.feedback.answers import Answers, worded
from plf_core.feedback.form import Audience, FeedbackForm

PER_CASE = 0.35  # the share of the borough's cases whose family answered once this year
DAYS = 365
RATINGS = (1, 2, 3, 4, 4, 5, 5, 5)  # most families satisfied, some not
HELPED = (
    "Being listened to and having things explained.",
    "Having the same worker all the way through.",
    "Help with housing and getting to school.",
    "Family time with my brother was sorted out.",
    "The worker was always there when we needed her.",
    "We felt safer at home by the end.",
)
IN_THE_WAY = (
    "The worker kept changing, so we had to tell our story again.",
    "Visits were cancelled and nobody told us why.",
    "It took a long time to get any help with money.",
    "We were not told what was happening at meetings.",
    "Nothing, it was fine.",
)
CHANGED = ("Things are calmer at home.", "I go to school most days now.", "Not much has changed yet.")
WRITTEN = (("helped", HELPED, 0.8), ("in_the_way", IN_THE_WAY, 0.6), ("changed", CHANGED, 0.5))  # answered by a share


@dataclass(frozen=True)
class DemoFeedback:
    case_id: int
    audience: Audience
    received_on: date
    answers: Answers
    worded: tuple[tuple[str, str], ...]


def build_feedback(case_ids: list[int], form: FeedbackForm, today: date, seed: int = 7) -> list[DemoFeedback]:
    rng = random.Random(seed * 31 + 20)
    chosen = sorted(rng.sample(case_ids, int(len(case_ids) * PER_CASE)))
    made = []
    for case_id in chosen:
        audience = Audience.CHILD if rng.random() < 0.4 else Audience.PARENT
        answers: Answers = {"useful": rng.choice(RATINGS), "listened": rng.choice(RATINGS)}
        for question, pool, share in (
            ("helped", HELPED, 0.8),
            ("in_the_way", IN_THE_WAY, 0.6),
            ("changed", CHANGED, 0.5),
        ):
            if rng.random() < share:
                answers[question] = rng.choice(pool)
        received = today - timedelta(days=rng.randrange(1, DAYS))
        version = form.version(audience)
        made.append(DemoFeedback(case_id, audience, received, answers, tuple(worded(version, answers))))
    return made
