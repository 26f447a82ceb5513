"""The hand-off between the contributors of one audit (a practitioner, then their Practice Lead):
who still has to do what, and telling the next one when a part is complete."""

from __future__ import annotations

from collections.abc import Collection

from plf_core.audits import AuditView
from plf_core.forms.model import Contributor
from plf_core.forms.validation import check_submission
from plf_core.notices import AuditReady
from plf_core.ports import AbstractUnitOfWork, Notice

TITLES = {
    Contributor.MANAGER: "your Practice Lead",
    Contributor.HEAD_OF_SERVICE: "the Head of Service",
    Contributor.PRACTITIONER: "the practitioner",
}


def left_to_do(audit: AuditView) -> dict[Contributor, list[str]]:
    """For each contributor who must finish before Submit: the sections they still have to complete."""
    form = audit.form
    missing = check_submission(form, audit.answers, form.submit_contributors).errors
    left: dict[Contributor, list[str]] = {}
    for page in form.pages:
        for f in page.fields:
            if f.id in missing and page.part not in left.get(page.editor_of(f), []):
                left.setdefault(page.editor_of(f), []).append(page.part)
    return left


def said(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def who_is(audit: AuditView, contributor: Contributor) -> tuple[int | None, str]:
    """The person who writes a contributor's part, and their name (or what they are)."""
    case = audit.case
    if contributor is Contributor.MANAGER:
        person = audit.second_person_id or (case.practice_lead_id if case else None)
        return person, audit.second_person_name or TITLES[contributor]
    if contributor is Contributor.PRACTITIONER:
        return audit.practitioner_id, audit.practitioner_name or TITLES[contributor]
    if contributor is Contributor.HEAD_OF_SERVICE:
        return (case.head_of_service_id if case else None), TITLES[contributor]
    return None, contributor.value.replace("_", " ")


def handed_on(audit: AuditView, editors: Collection[Contributor]) -> str | None:
    """For someone whose own part is complete while others' is not: what happens next, in words."""
    left = left_to_do(audit)
    if not left or any(c in left for c in editors) or not set(editors) & audit.form.submit_contributors:
        return None
    rest = [f"{who_is(audit, c)[1]} will finish {said(parts)}" for c, parts in left.items()]
    told = all(who_is(audit, c)[0] is not None for c in left)  # tell_the_next reaches only a known person
    return "Your part is complete — " + "; ".join(rest) + (". They have been told." if told else ".")


async def tell_the_next(
    uow: AbstractUnitOfWork, before: AuditView, after: AuditView, editors: Collection[Contributor], by: str
) -> None:
    """A part completed by this save: each contributor still to finish gets a card saying it is ready."""
    if after.case is None:
        return
    now = left_to_do(after)
    if all(c in now for c in editors):  # most saves: this person's part is still under way
        return
    was = left_to_do(before)
    completed = [c for c in editors if c in was and c not in now]
    if not completed:
        return
    for contributor, parts in now.items():
        person, _ = who_is(after, contributor)
        if person is None:
            continue
        ready = AuditReady(after.id, after.case.azeus_number, by, said(parts))
        await uow.outbox.add(Notice(f"ready:{after.id}:{contributor.value}:{person}", person, ready))
