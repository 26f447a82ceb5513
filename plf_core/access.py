"""Who may read and who may write which part of an audit (server-side, on every action).

- practitioners: their own audits (as practitioner or second person);
- Practice Leads: their team's; Service Managers and Heads of Service: their service area's;
- QA: all; SLT (and the Director of Operations): read-only.
Manager sections are written only by the Practice Lead or a Service Manager.
"""

from __future__ import annotations

from plf_core.audits import AuditView
from plf_core.errors import NotAllowed
from plf_core.forms.model import Contributor
from plf_core.people import Actor


def is_participant(actor: Actor, audit: AuditView) -> bool:
    return actor.person_id in (audit.practitioner_id, audit.second_person_id)


def can_read(actor: Actor, audit: AuditView) -> bool:
    if actor.is_qa or actor.is_slt or is_participant(actor, audit):
        return True
    if audit.case is None:
        return False
    return (
        audit.case.team_id in actor.led_team_ids
        or audit.case.service_area_id in actor.managed_area_ids
        or audit.case.service_area_id in actor.headed_area_ids
    )


def contributions(actor: Actor, audit: AuditView) -> frozenset[Contributor]:
    """The parts of this audit the person may write now (empty: read-only).

    Each field's contributor comes from the form definition: the practitioner writes the
    practitioner's part, the second person the manager's (or the moderator's column of a
    thematic review), the team's Practice Lead and the area's Service Manager the manager's.
    Nobody writes a part that is not theirs (a Practice Lead cannot change A14, the practitioner's
    reflections)."""
    form_editors = {page.editor_of(f) for page in audit.form.pages for f in page.fields}
    mine: set[Contributor] = set()
    if audit.is_open:
        if actor.person_id == audit.practitioner_id:
            mine.add(audit.main_contributor)
        if actor.person_id == audit.second_person_id:
            mine.add(_second_part(form_editors, audit.main_contributor))
        if audit.case is not None and audit.case.team_id in actor.led_team_ids:
            mine.add(Contributor.MANAGER)
        if audit.case is not None and audit.case.service_area_id in actor.managed_area_ids:
            mine.add(Contributor.MANAGER)
    if audit.case is not None and audit.case.service_area_id in actor.headed_area_ids and audit.uploaded_at is None:
        mine.add(Contributor.HEAD_OF_SERVICE)
    return frozenset(mine & form_editors)


def _second_part(form_editors: set[Contributor], main: Contributor) -> Contributor:
    """What the second person writes: a thematic review's moderator column, a Practice Learning
    Conversation's manager sections, else the same part as the first (a joint record)."""
    for part in (Contributor.MODERATOR, Contributor.MANAGER):
        if part in form_editors:
            return part
    return main


def require_read(actor: Actor, audit: AuditView) -> None:
    if not can_read(actor, audit):
        raise NotAllowed(f"audit {audit.id} is not one you can open")


def require_write(actor: Actor, audit: AuditView) -> frozenset[Contributor]:
    require_read(actor, audit)
    mine = contributions(actor, audit)
    if not mine:
        if not audit.is_open:
            raise NotAllowed(f"audit {audit.id} has been submitted and can no longer be changed")
        raise NotAllowed(f"you can read audit {audit.id} but not change it")
    return mine


def require_qa(actor: Actor, what: str) -> None:
    if not actor.is_qa:
        raise NotAllowed(f"only the QA team can {what}")
