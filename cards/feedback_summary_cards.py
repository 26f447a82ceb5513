"""The quarter's children and families' feedback for a Service Manager's performance meeting
(plf_core.feedback.meeting): the figures, satisfaction by cohort, what helped and what got in the way
as themes, and the quarter's full highlight report for their area behind a link signed for them."""

from __future__ import annotations

from microsoft_teams.cards import OpenUrlAction
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, card, facts, heading, para
from cards.registry import CardContext, builds
from plf_core.feedback.figures import OTHER
from plf_core.feedback.meeting import FeedbackSummary
from plf_core.periods import parse_code


def _number(cell: str) -> int:
    digits = cell.rstrip("*")
    return int(digits) if digits.isascii() and digits.isdigit() else 0


def _counted(rows: tuple[tuple[str, ...], ...], column: int) -> list[tuple[str, str]]:
    """(theme, count) for the themes with any answer in that column, most first, Other last."""
    found = [(row[0], row[column]) for row in rows if _number(row[column])]
    return sorted(found, key=lambda pair: (pair[0] == OTHER, -_number(pair[1])))


def feedback_summary(notice: FeedbackSummary, url: str | None, link_days: int) -> CardDict:
    period = parse_code(notice.quarter)
    label = period.label if period else notice.quarter
    title = f"Children and families' feedback: {notice.area}, {label}"
    body: list[CardElement] = [
        heading(title),
        para(
            f"For your performance meeting: what children, young people, parents and carers told us about "
            f"{notice.area} in {label}, from the feedback links your teams sent."
        ),
    ]
    if notice.received == 0:
        body.append(
            para(
                f"Nobody answered a feedback link in {label}. Ask for feedback when a case closes, or at any "
                "time: type feedback followed by the case id."
            )
        )
    else:
        body.append(facts([("Answers received", str(notice.received)), *notice.figures]))
        cohorts = [(name, f"{share} satisfied, of {answers} answers") for name, answers, share in notice.cohorts]
        body += [para("By cohort", bold=True), facts(cohorts)] if cohorts else []
        for title_, column in (("What helped", 1), ("What got in the way", 2)):
            counted = _counted(notice.themes, column)
            body += [para(title_, bold=True), facts(counted)] if counted else []
        body.append(
            para(
                "Answers are counted by the themes whose words they hold; Other holds none of them. Families' "
                "own words stay with their case: the practitioner and manager see them on its next audit. "
                "* marks a small number (fewer than 5 answers): read it with care.",
                subtle=True,
            )
        )
    if url:
        body.append(
            para(
                f"The quarter's highlight report for {notice.area}: its link works for {link_days} days, for you only.",
                subtle=True,
            )
        )
    actions = [OpenUrlAction(title="Open the quarter's report", url=url)] if url else []
    return card(body, actions, fallback_text=title)


@builds(FeedbackSummary)
def _feedback_summary(notice: FeedbackSummary, context: CardContext) -> CardDict:
    links = context.links
    url = links.report_url(notice.reader, notice.quarter, notice.area_id) if links else None
    return feedback_summary(notice, url, links.lifetime_days if links else 7)
