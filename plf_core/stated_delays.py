"""How long after what an escalation comes, read from the configured rules, so that a card never
states a figure the timetable's configuration contradicts: "SLT are told one week after reviews are
due" is the `slt_outstanding` rule's offset; "four weeks after the first follow-up" is the escalation's
offset less the first follow-up's (`followup_escalation` less `followup_1`, `dip_escalation` less
`dip_agree`, the dip sample's first follow-up). A notice carries the figure as `after` and
`after_unit`; none (0) where the rules do not give one, and the card then states no number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:  # plf_core.timetable uses this module: its types only, to type the rules
    from plf_core.timetable import Rule

#: an escalation's card, and the card of the follow-ups its figure counts from
FOLLOWED_UP_BY = {"action_escalation": "action_follow_up", "dip_escalation": "dip_follow_up"}
SLT_CARD = "slt_escalation"


class Delay(TypedDict, total=False):
    """As a notice's payload and its fields hold it: how many days (or working days) after what."""

    after: int
    after_unit: str


def stated_delay(rule: Rule, rules: Sequence[Rule]) -> Delay:
    """The figure `rule`'s card states, as the notice's payload holds it ({} where it states none)."""
    if rule.card == SLT_CARD and rule.trigger == "cycle_due" and rule.offset > 0:
        return {"after": rule.offset, "after_unit": str(rule.unit)}
    follow_up = FOLLOWED_UP_BY.get(rule.card)
    earlier = [
        r.offset
        for r in rules
        if r.card == follow_up and r.trigger == rule.trigger and r.unit == rule.unit and r.offset < rule.offset
    ]
    if not earlier:
        return {}
    return {"after": rule.offset - min(earlier), "after_unit": str(rule.unit)}


def slt_delay(rules: Sequence[Rule]) -> Delay:
    """What SLT's escalation card states however it is sent (the timetable's rule, or QA's `escalate`)."""
    for rule in rules:
        if rule.card == SLT_CARD and (found := stated_delay(rule, rules)):
            return found
    return {}
