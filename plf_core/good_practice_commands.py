"""Good practice, used: `good practice [SERVICE AREA] [THEME] [PERIOD]` lists the nominations a reader
may see; Confirm and Decline record a Head of Service's or QA's decision; a submitted audit that
nominates tells its area's Head of Service (plf_core.good_practice holds the rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import ClassVar

from plf_core import good_practice as gp
from plf_core.audits import AuditView
from plf_core.errors import NotAllowed, NotFound, ValidationFailed
from plf_core.evidence_ports import NominatedAudit
from plf_core.notices import NoticeData, kind
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Notice

MAX_SHOWN = 10  # nominations on one card; the rest are counted, and narrowed by area, theme or period


@dataclass(frozen=True)
class GoodPracticeList:
    """The answer to `good practice ...`: the nominations found, awaiting first, and who may decide."""

    scope: str  # "the whole service", a service area, "your service areas"
    period: str  # "2026 Q3", or "" for every period
    theme: str
    found: tuple[gp.Nomination, ...]
    declined: int  # declined nominations left out
    command: str  # the command as it was asked, run again after a decision
    decides_all: bool = False  # QA: may confirm any nomination
    decides_for: frozenset[int] = field(default_factory=frozenset)  # the areas a Head of Service heads
    note: str = ""  # what a decision just did

    def may_decide(self, nomination: gp.Nomination) -> bool:
        return nomination.awaiting and (self.decides_all or nomination.area_id in self.decides_for)

    @property
    def shown(self) -> tuple[gp.Nomination, ...]:
        return self.found[:MAX_SHOWN]


async def good_practice(
    uow: AbstractUnitOfWork,
    actor: Actor,
    words: str,
    today: date,
    zone: tzinfo,
    activity: str | None = None,
    note: str = "",
) -> GoodPracticeList:
    """`good practice [SERVICE AREA] [THEME] [PERIOD]`: QA and SLT see every area's, Heads of Service
    and Service Managers their own areas'."""
    asked = gp.read_words(words, today, await uow.evidence.areas())
    own = gp.own_areas(actor)
    if asked.area_id is not None and own is not None and asked.area_id not in own:
        raise NotAllowed(
            f"you can see the good practice of your own service area, not {asked.area}'s: type 'good practice' "
            "for yours",
            action="good_practice",
        )
    areas = {asked.area_id} if asked.area_id is not None else own
    found = gp.nominations(await uow.evidence.nominated(areas, asked.period), zone)
    if asked.theme:
        found = [n for n in found if gp.matches(n, asked.theme)]
    kept = gp.in_order([n for n in found if n.decision != gp.DECLINED])
    await uow.access.log(actor, "good practice", None, activity, "ok")
    scope = asked.area or ("the whole service" if own is None else "your service area" + ("s" * (len(own) > 1)))
    return GoodPracticeList(
        scope,
        asked.period.label if asked.period else "",
        asked.theme,
        tuple(kept),
        len(found) - len(kept),
        " ".join(f"good practice {words}".split()),
        actor.is_qa,
        actor.headed_area_ids,
        note,
    )


async def decide(
    uow: AbstractUnitOfWork,
    actor: Actor,
    audit_id: int,
    field_id: str,
    decision: str,
    now: datetime,
    zone: tzinfo,
    command: str | None = None,
    activity: str | None = None,
) -> GoodPracticeList:
    """Confirm or decline one nomination; the first decision stands, and a second press says whose it was."""
    if field_id not in gp.FIELDS or decision not in gp.DECISIONS:
        raise ValidationFailed("this card does not say which example of good practice, or what you decided")
    audits = await uow.evidence.nominated(None, None, audit_id=audit_id)
    nomination = next((n for n in gp.nominations(audits, zone) if n.field_id == field_id), None)
    if nomination is None:
        raise NotFound(f"audit {audit_id} has no example of good practice to decide on", action="good_practice_decide")
    if not gp.may_decide(actor, nomination.area_id):
        raise NotAllowed(
            f"only a Head of Service of {nomination.area} or the QA team can confirm or decline this example",
            action="good_practice_decide",
            audit_id=audit_id,
        )
    earlier = await uow.evidence.decide(audit_id, field_id, decision, actor.person_id, now, nomination.fingerprint)
    if earlier is not None:
        who = "You" if earlier.by == actor.name else earlier.by
        note = f"{who} already {earlier.decision} case {nomination.case}'s example on {gp.when_decided(earlier, zone)}."
    else:
        await uow.access.log(actor, f"good practice {decision}", audit_id, activity, "ok")
        counts = "it now counts as evidence" if decision == gp.CONFIRMED else "it leaves the list"
        note = f"You {decision} case {nomination.case}'s example of good practice: {counts}."
    words = (command or "").removeprefix("good practice").strip()
    return await good_practice(uow, actor, words, now.astimezone(zone).date(), zone, activity, note)


@kind
@dataclass(frozen=True)
class GoodPracticeNominated(NoticeData):
    """To the Head of Service of the case's area: a returned audit nominates an example of good practice."""

    KEYS: ClassVar[dict[str, str]] = {"audit_id": "audit"}
    KIND = "good_practice_nominated"
    audit_id: int
    case: str
    team: str
    form_title: str
    grade: str
    nominated_by: str
    area: str  # the service area, as 'good practice AREA' types it


async def nominated_at_submit(uow: AbstractUnitOfWork, audit: AuditView) -> int:
    """The Head of Service of the case's area is told of each nomination a submitted audit makes, unless
    they made it themselves; returns how many notices were written."""
    case = audit.case
    if case is None or case.head_of_service_id is None or audit.form_id not in gp.FORMS:
        return 0
    pages = gp.pages_read(audit.form_id)
    view = NominatedAudit(
        audit.id,
        audit.form_id,
        case.azeus_number,
        case.team_name,
        case.service_area_id,
        case.service_area_name,
        audit.final_grade.value if audit.final_grade else None,
        audit.submitted_at or datetime.fromtimestamp(0, UTC),
        audit.answers,
        await uow.audits.saved_by(audit.id, pages),
        audit.practitioner_name,
        audit.second_person_name,
    )
    head = case.head_of_service_id
    head_name = await uow.people.person_name(head)
    written = 0
    for n in gp.nominations_of(view):
        if n.nominated_by == head_name:
            continue
        told = GoodPracticeNominated(
            n.audit_id, n.case, n.team, n.form_title, n.grade_label, n.nominated_by, case.service_area_name
        )
        await uow.outbox.add(Notice(f"good_practice:{n.audit_id}:{n.field_id}:{head}", head, told))
        written += 1
    return written
