"""A synthetic history for the demo borough: a year of returned Practice Learning Conversations
with grades, outcome scales, the children's own ratings, moderations, actions and PIMs, so the
highlight report and the outcomes charts have something to show. Seeded: the same seed gives the
same history. Every value is invented; nothing describes a real child."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from plf_core.outcomes import AREAS
from plf_core.periods import Period, cycle_containing, quarter
from plf_core.vocabulary import Grade

QUARTERS = 4  # whole quarters of history, and the current quarter so far
PER_QUARTER = 120
RE_AUDITED = 0.3  # the share of a quarter's audits that revisit a case audited the quarter before
MODERATED = 0.25
LATE = 0.1  # the share returned after their cycle's due date (outstanding at its end)
GRADE_WEIGHTS = ((Grade.BLUE, 5), (Grade.GREEN, 45), (Grade.AMBER, 35), (Grade.RED, 15))
ORDER = (Grade.RED, Grade.AMBER, Grade.GREEN, Grade.BLUE)


@dataclass(frozen=True)
class HistoryCase:
    case_id: int
    worker_id: int
    lead_id: int | None


@dataclass(frozen=True)
class HistoryAction:
    deadline: date
    status: str  # done | open
    confirmed_on: date | None


@dataclass(frozen=True)
class HistoryAudit:
    case_id: int
    practitioner_id: int
    second_person_id: int | None
    created_on: date
    submitted_on: date
    practitioner_grade: Grade
    manager_grade: Grade
    scales: dict[str, int]
    child: dict[str, int]
    manager_overall: int
    moderated: tuple[int, Grade, date] | None = None  # moderator, moderated grade, completed on
    actions: tuple[HistoryAction, ...] = field(default_factory=tuple)
    pim: tuple[date, date | None] | None = None  # due, held
    due_on: date | None = None  # the end of the cycle it was assigned in


def _shift(grade: Grade, step: int) -> Grade:
    return ORDER[max(0, min(len(ORDER) - 1, ORDER.index(grade) + step))]


def _clip(value: float) -> int:
    return max(1, min(10, round(value)))


def _day_in(rng: random.Random, period: Period, today: date, after: date | None = None) -> date:
    first = max(period.starts, after or period.starts)
    last = min(period.ends - timedelta(days=1), today - timedelta(days=1))
    if last < first:
        return first
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def build_history(cases: list[HistoryCase], moderators: list[int], today: date, seed: int = 7) -> list[HistoryAudit]:
    rng = random.Random(seed)
    if not cases:
        return []
    periods = [quarter(today)]
    for _ in range(QUARTERS):
        periods.insert(0, periods[0].previous())
    base = {c.case_id: rng.uniform(3.0, 7.0) for c in cases}
    audits: list[HistoryAudit] = []
    previous: list[HistoryCase] = []
    for index, period in enumerate(periods):
        size = PER_QUARTER if period.ends <= today else PER_QUARTER * max(1, (today - period.starts).days) // 91
        revisit = rng.sample(previous, min(len(previous), int(size * RE_AUDITED)))
        fresh = rng.sample(cases, min(len(cases), size - len(revisit)))
        chosen = revisit + [c for c in fresh if c not in revisit]
        audits += [_audit(rng, case, period, base[case.case_id] + 0.35 * index, moderators, today) for case in chosen]
        previous = chosen
    return audits


def _audit(
    rng: random.Random, case: HistoryCase, period: Period, level: float, moderators: list[int], today: date
) -> HistoryAudit:
    """One returned audit of `case` in `period`, its scales around `level` (a little better each quarter)."""
    created = _day_in(rng, period, today)
    due = cycle_containing(created).due_on
    submitted = min(created + timedelta(days=rng.randrange(7, 45)), today - timedelta(days=1))
    if submitted >= period.ends:
        submitted = period.ends - timedelta(days=1)
    if rng.random() < LATE and due + timedelta(days=3) < today:  # returned late, in the next cycle
        submitted = min(due + timedelta(days=rng.randrange(3, 28)), today - timedelta(days=1))
    scales = {a: _clip(rng.gauss(level, 1.2)) for a in AREAS}
    child = {a: _clip(v + rng.choice((-1, 0, 0, 1))) for a, v in scales.items()} if rng.random() < 0.7 else {}
    practitioner = rng.choices([g for g, _ in GRADE_WEIGHTS], [w for _, w in GRADE_WEIGHTS])[0]
    manager = _shift(practitioner, rng.choice((0, 0, 0, -1, 1)))
    moderated = None
    if moderators and rng.random() < MODERATED:
        done = min(submitted + timedelta(days=rng.randrange(5, 30)), today - timedelta(days=1))
        moderated = (rng.choice(moderators), _shift(manager, rng.choice((0, 0, 0, 1, -1))), done)
    actions = _actions(rng, submitted, today) if manager in (Grade.AMBER, Grade.RED) else []
    pim = None
    if manager is Grade.RED:
        due = submitted + timedelta(days=14)
        pim = (due, due - timedelta(days=rng.randrange(0, 4)) if due < today and rng.random() < 0.8 else None)
    overall = _clip(sum(scales.values()) / len(scales) + rng.choice((-1, 0, 1)))
    who = case.case_id, case.worker_id, case.lead_id
    return HistoryAudit(
        *who, created, submitted, practitioner, manager, scales, child, overall, moderated, tuple(actions), pim, due
    )


def _actions(rng: random.Random, submitted: date, today: date) -> list[HistoryAction]:
    """One to three actions: most done on time, some late, the rest still open."""
    actions: list[HistoryAction] = []
    for _ in range(rng.randrange(1, 4)):
        deadline = submitted + timedelta(days=rng.choice((21, 28, 35)))
        roll = rng.random()
        if roll < 0.6 and deadline - timedelta(days=3) < today:
            actions.append(HistoryAction(deadline, "done", deadline - timedelta(days=rng.randrange(0, 5))))
        elif roll < 0.75 and deadline + timedelta(days=7) < today:
            actions.append(HistoryAction(deadline, "done", deadline + timedelta(days=rng.randrange(1, 8))))
        else:
            actions.append(HistoryAction(deadline, "open", None))
    return actions
