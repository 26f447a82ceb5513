"""Who may ask a case's family for feedback, and read what they said: its allocated worker, its team's
Practice Lead, its area's Service Managers and Head of Service, and QA."""

from __future__ import annotations

from plf_core.feedback.ports import FeedbackCase
from plf_core.people import Actor


def may_ask(actor: Actor, case: FeedbackCase) -> bool:
    """The case's allocated worker, its team's Practice Lead, its area's managers, or QA."""
    return (
        actor.is_qa
        or actor.person_id == case.allocated_worker_id
        or case.team_id in actor.led_team_ids
        or case.service_area_id in actor.managed_area_ids
        or case.service_area_id in actor.headed_area_ids
    )
