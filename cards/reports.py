"""The `report` command's card: the headline figures, and a link to the full, printable report."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import OpenUrlAction
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, card, facts, heading, para


def report_summary(
    period: str, scope: str, headline: Sequence[tuple[str, str]], url: str | None, empty: bool, link_days: int
) -> CardDict:
    body: list[CardElement] = [heading(f"Highlight report: {period}, {scope}")]
    if empty:
        body.append(para(f"Nothing was assigned, returned or moderated in {period} for {scope}: nothing to report."))
    body.append(facts(list(headline)))
    body.append(
        para(
            "The full report has the grades by area, cohort and team, moderation agreement, actions, outcome "
            "scales, children and families' feedback, the top themes and the trend. Its link works for "
            f"{link_days} days, for you only: it is checked against your roles each time it opens. * marks a "
            "small number (fewer than 5 audits or answers).",
            subtle=True,
        )
    )
    actions = [OpenUrlAction(title="Open the full report", url=url)] if url else []
    return card(body, actions, fallback_text=f"Highlight report: {period}, {scope}")
