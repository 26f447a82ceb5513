"""The framework's timetable (sections 13, 14 and 18): which notices are due, to whom, when.

Pure. The rules come from configuration (a YAML file, parsed elsewhere, checked here); the state (cycles,
open audits, moderations with open actions, dip samples, PIMs, reviews, actions, each service area's
feedback over a quarter just ended, people by role) comes from the store. `due_notices` returns every
notice due at `now`, each with a stable dedupe key, so sweeping twice (or on two instances) writes each
notice once. Dates count in days or in working days (Europe/London, England and Wales bank holidays);
notices go out in working hours: one due overnight or at a weekend goes at the next opening.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from plf_core.errors import ValidationFailed
from plf_core.notices import NoticeData, parse
from plf_core.stated_delays import stated_delay
from plf_core.timetable_notices import TIMETABLE_CARDS
from plf_core.timetable_state import (  # the state the engine reads, named from here too
    CycleState as CycleState,
)
from plf_core.timetable_state import (
    ModeratedAudit as ModeratedAudit,
)
from plf_core.timetable_state import (
    OpenAudit as OpenAudit,
)
from plf_core.timetable_state import (
    OpenReview as OpenReview,
)
from plf_core.timetable_state import (
    PimDue as PimDue,
)
from plf_core.timetable_state import (
    SentDip as SentDip,
)
from plf_core.timetable_state import (
    State as State,
)
from plf_core.timetable_state import (
    TrackedAction as TrackedAction,
)
from plf_core.working_days import Hours as Hours  # working hours, named from here too
from plf_core.working_days import add_working_days


class Trigger(StrEnum):
    CYCLE_START = "cycle_start"  # a cycle's first day
    CYCLE_DUE = "cycle_due"  # a cycle's due date (its last day)
    MONTH_START = "month_start"  # the 1st of every month
    MODERATED = "moderated"  # a moderation with actions was completed
    DIP_SENT = "dip_sent"  # a dip sample was sent to its Head of Service
    PIM_DUE = "pim_due"  # a Red audit's Practice Improvement Meeting is due
    ACTION_DUE = "action_due"  # an action plan's action reaches its deadline
    REVIEW_DUE = "review_due"  # a thematic or supervision review reaches its deadline
    QUARTER_START = "quarter_start"  # a quarter's first day: about the quarter just ended


class Unit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"


class Recipient(StrEnum):
    DATA_AND_IMPACT = "data_and_impact"
    PARTICIPANTS = "participants"  # the practitioner and second person of each open audit
    PRACTITIONER = "practitioner"
    PRACTICE_LEAD = "practice_lead"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"
    SLT = "slt"
    DIRECTOR_OF_OPERATIONS = "director_of_operations"
    QA = "qa"
    OWNER = "owner"  # the person an action is for


class Unless(StrEnum):
    CONFIRMED = "confirmed"  # the actions were confirmed done
    AGREED = "agreed"  # the dip sample's actions were agreed
    HELD = "held"  # the PIM was held


#: which recipients make sense for each trigger
ALLOWED: dict[Trigger, frozenset[Recipient]] = {
    Trigger.CYCLE_START: frozenset({Recipient.DATA_AND_IMPACT, Recipient.QA}),
    Trigger.CYCLE_DUE: frozenset(
        {
            Recipient.PARTICIPANTS,
            Recipient.PRACTICE_LEAD,
            Recipient.SERVICE_MANAGER,
            Recipient.HEAD_OF_SERVICE,
            Recipient.SLT,
            Recipient.QA,
        }
    ),
    Trigger.MONTH_START: frozenset({Recipient.PARTICIPANTS, Recipient.QA}),
    Trigger.MODERATED: frozenset(
        {Recipient.PRACTITIONER, Recipient.PRACTICE_LEAD, Recipient.SERVICE_MANAGER, Recipient.SLT, Recipient.QA}
    ),
    Trigger.DIP_SENT: frozenset(
        {Recipient.HEAD_OF_SERVICE, Recipient.SERVICE_MANAGER, Recipient.DIRECTOR_OF_OPERATIONS, Recipient.QA}
    ),
    Trigger.PIM_DUE: frozenset({Recipient.HEAD_OF_SERVICE, Recipient.SLT, Recipient.QA}),
    Trigger.REVIEW_DUE: frozenset(
        {Recipient.PARTICIPANTS, Recipient.SERVICE_MANAGER, Recipient.HEAD_OF_SERVICE, Recipient.SLT, Recipient.QA}
    ),
    Trigger.ACTION_DUE: frozenset({Recipient.OWNER, Recipient.PRACTICE_LEAD, Recipient.SERVICE_MANAGER, Recipient.QA}),
    Trigger.QUARTER_START: frozenset({Recipient.SERVICE_MANAGER, Recipient.HEAD_OF_SERVICE}),
}
CARDS = TIMETABLE_CARDS  # the timetable's notice kinds (plf_core.timetable_notices)
MAX_OFFSET_DAYS = 366


@dataclass(frozen=True)
class Rule:
    id: str
    trigger: Trigger
    offset: int
    unit: Unit
    to: tuple[Recipient, ...]
    card: str
    urgent: bool = False  # an escalation: sent at once, outside the digest, cannot be snoozed
    unless: Unless | None = None
    what: str = ""

    def due_on(self, anchor: date) -> date:
        if self.unit is Unit.WORKING_DAYS:
            return add_working_days(anchor, self.offset)
        return anchor + timedelta(days=self.offset)


def parse_rules(data: object) -> tuple[Rule, ...]:
    """The timetable from its configuration (a list of mappings), every problem named with its
    rule: start-up stops on a bad file rather than sending the wrong thing."""
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise ValidationFailed("the timetable needs a 'rules:' list")
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["rules"], 1):
        rules.append(_rule(raw, n, seen))
    return tuple(rules)


def _rule(raw: object, n: int, seen: set[str]) -> Rule:
    if not isinstance(raw, Mapping):
        raise ValidationFailed(f"rule {n}: should be a mapping of id, trigger, offset, to, card")
    rule_id = raw.get("id")
    name = f"rule {n} ('{rule_id}')" if isinstance(rule_id, str) else f"rule {n}"
    if not isinstance(rule_id, str) or not rule_id.replace("_", "").isalnum():
        raise ValidationFailed(f"{name}: 'id' must be a word such as followup_1")
    if rule_id in seen:
        raise ValidationFailed(f"{name}: the id is used twice")
    seen.add(rule_id)
    known = {"id", "trigger", "offset", "unit", "to", "card", "urgent", "unless", "what"}
    extra = sorted(set(raw) - known)
    if extra:
        raise ValidationFailed(f"{name}: unknown key '{extra[0]}' (known: {', '.join(sorted(known))})")
    trigger = _choice(raw.get("trigger"), Trigger, name, "trigger")
    unit = _choice(raw.get("unit", "days"), Unit, name, "unit")
    offset = raw.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or abs(offset) > MAX_OFFSET_DAYS:
        raise ValidationFailed(f"{name}: 'offset' must be a whole number of days between -366 and 366")
    if trigger in (Trigger.MODERATED, Trigger.DIP_SENT) and offset < 0:
        raise ValidationFailed(f"{name}: a '{trigger}' rule cannot be due before its trigger (offset {offset})")
    to_raw = raw.get("to")
    if isinstance(to_raw, str):
        to_raw = [to_raw]
    if not isinstance(to_raw, list) or not to_raw:
        raise ValidationFailed(f"{name}: 'to' must name at least one recipient")
    to = tuple(_choice(r, Recipient, name, "recipient") for r in to_raw)
    wrong = [r.value for r in to if r not in ALLOWED[trigger]]
    if wrong:
        allowed = ", ".join(sorted(r.value for r in ALLOWED[trigger]))
        raise ValidationFailed(f"{name}: '{wrong[0]}' cannot receive a '{trigger}' notice (allowed: {allowed})")
    card = raw.get("card")
    if card not in CARDS:
        raise ValidationFailed(f"{name}: unknown card '{card}' (known: {', '.join(sorted(CARDS))})")
    unless = _choice(raw["unless"], Unless, name, "unless") if raw.get("unless") is not None else None
    urgent = raw.get("urgent", False)
    if not isinstance(urgent, bool):
        raise ValidationFailed(f"{name}: 'urgent' must be true or false")
    what = raw.get("what", "")
    return Rule(rule_id, trigger, offset, unit, to, str(card), urgent, unless, str(what))


def _choice(value: Any, kind: type[StrEnum], name: str, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise ValidationFailed(f"{name}: unknown {what} '{value}' (known: {known})") from None


@dataclass(frozen=True)
class DueNotice:
    dedupe_key: str
    person_id: int
    data: NoticeData
    urgent: bool
    send_at: datetime
    rule: str

    @property
    def kind(self) -> str:
        return self.data.KIND


def due_notices(
    rules: Sequence[Rule], state: State, now: datetime, hours: Hours, lookback_days: int = 14
) -> list[DueNotice]:
    """Every notice due at `now` (its send time has come, within `lookback_days` of it, so a
    bot that was down catches up but a new rule does not replay the past year)."""
    out: list[DueNotice] = []
    today = now.astimezone(hours.zone).date()
    for rule in rules:
        delay = stated_delay(rule, rules)  # the figure its card states
        for anchor, subject, people, data, done in _subjects(rule, state, today):
            if done:
                continue
            due = rule.due_on(anchor)
            send_at = hours.send_time(due)
            if not (send_at <= now < send_at + timedelta(days=lookback_days)):
                continue
            for person in sorted(people):
                out.append(
                    DueNotice(
                        f"{rule.id}:{subject}:{person}",
                        person,
                        parse(rule.card, {**data, **delay, "rule": rule.id, "due": due.isoformat()}),
                        rule.urgent,
                        send_at,
                        rule.id,
                    )
                )
    return out


Subject = tuple[date, str, set[int], dict[str, object], bool]


def _subjects(rule: Rule, state: State, today: date) -> list[Subject]:
    """Each thing the rule is about (a cycle, a month, an audit, a dip sample, a PIM): its anchor date,
    its key, who is told, the notice's data, and whether it is already done."""
    if rule.trigger in (Trigger.CYCLE_START, Trigger.CYCLE_DUE):
        return _cycle_subjects(rule, state)
    if rule.trigger is Trigger.MONTH_START:
        return _month_subjects(rule, state, today)
    if rule.trigger is Trigger.MODERATED:
        return [_moderated_subject(rule, state, m) for m in state.moderated]
    if rule.trigger is Trigger.DIP_SENT:
        return [_dip_subject(rule, state, d) for d in state.dips]
    if rule.trigger is Trigger.ACTION_DUE:
        return [_action_subject(rule, state, a) for a in state.actions]
    if rule.trigger is Trigger.REVIEW_DUE:
        return [_review_subject(rule, state, r) for r in state.reviews]
    if rule.trigger is Trigger.QUARTER_START:  # each area's feedback to its managers (plf_core.feedback.meeting)
        return [subject for area in state.feedback for subject in area.subjects(rule.to)]
    return [_pim_subject(rule, state, p) for p in state.pims]


def _everyone(rule: Rule, state: State, *roles: Recipient) -> set[int]:
    """The people holding each of `roles` the rule sends to."""
    return {person for role in roles if role in rule.to for person in state.people_by_role.get(role, ())}


def _named(rule: Rule, *holders: tuple[Recipient, int | None]) -> set[int]:
    """The people holding a role about one subject (its practitioner, its Practice Lead) the rule sends to."""
    return {who for role, who in holders if role in rule.to and who is not None}


def _cycle_subjects(rule: Rule, state: State) -> list[Subject]:
    subjects: list[Subject] = []
    for cycle in state.cycles:
        anchor = cycle.starts_on if rule.trigger is Trigger.CYCLE_START else cycle.due_on
        recipients = _cycle_recipients(rule, cycle, state)
        if Recipient.SLT in rule.to and rule.trigger is Trigger.CYCLE_DUE and _slt_has_news(state):
            for person in state.people_by_role.get(Recipient.SLT, ()):  # every audit in, but not all done
                recipients.setdefault(person, [])
        for person, items in recipients.items():
            data: dict[str, object] = {"cycle": cycle.code, "items": items}
            if Recipient.SLT in rule.to:
                data |= {"moderations": state.moderations_outstanding, "actions": state.actions_unconfirmed}
                data |= {"quota_missing": state.quota_missing} if state.quota_missing else {}
            subjects.append((anchor, cycle.code, {person}, data, False))
        for role in (Recipient.DATA_AND_IMPACT, Recipient.QA):
            if role in rule.to:
                about: dict[str, object] = {"cycle": cycle.code, "starts": cycle.starts_on.isoformat()}
                subjects.append((anchor, cycle.code, _everyone(rule, state, role), about, False))
    return subjects


def _slt_has_news(state: State) -> bool:
    """SLT hears of a cycle a week after it was due when moderations are outstanding (line 495) or the
    next cycle started with none of its audits drawn, even if every audit is in."""
    return state.moderations_outstanding > 0 or bool(state.quota_missing)


def _month_subjects(rule: Rule, state: State, today: date) -> list[Subject]:
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    subjects: list[Subject] = []
    for month in (last_month, this_month):
        code = f"{month:%Y-%m}"
        for person, items in _open_audit_people(state, month).items():
            subjects.append((month, code, {person}, {"month": code, "items": items}, False))
        if Recipient.QA in rule.to:
            subjects.append((month, code, _everyone(rule, state, Recipient.QA), {"month": code}, False))
    return subjects


def _moderated_subject(rule: Rule, state: State, m: ModeratedAudit) -> Subject:
    people = _everyone(rule, state, Recipient.SLT, Recipient.QA)
    people |= _named(rule, (Recipient.PRACTITIONER, m.practitioner_id), (Recipient.PRACTICE_LEAD, m.practice_lead_id))
    people |= _named(rule, (Recipient.SERVICE_MANAGER, m.service_manager_id))
    data = {"audit": m.audit_id, "case": m.case_ref, "actions": list(m.actions)}
    return m.moderated_on, f"audit-{m.audit_id}", people, data, m.confirmed and rule.unless is Unless.CONFIRMED


def _dip_subject(rule: Rule, state: State, d: SentDip) -> Subject:
    people = _everyone(rule, state, Recipient.DIRECTOR_OF_OPERATIONS, Recipient.QA)
    if Recipient.HEAD_OF_SERVICE in rule.to and d.head_of_service_id is not None:
        people.add(d.head_of_service_id)
    if Recipient.SERVICE_MANAGER in rule.to:
        people |= set(d.service_manager_ids)
    done = (rule.unless is Unless.AGREED and d.agreed) or (rule.unless is Unless.CONFIRMED and d.confirmed)
    return d.sent_on, f"dip-{d.dip_id}", people, {"dip": d.dip_id, "theme": d.theme}, done


def _action_subject(rule: Rule, state: State, a: TrackedAction) -> Subject:
    people = _everyone(rule, state, Recipient.QA)
    people |= _named(rule, (Recipient.OWNER, a.owner_id), (Recipient.PRACTICE_LEAD, a.practice_lead_id))
    people |= _named(rule, (Recipient.SERVICE_MANAGER, a.service_manager_id))
    data = {
        "action": a.action_id,
        "audit": a.audit_id,
        "case": a.case_ref,
        "owner": a.owner,
        "deadline": a.deadline.isoformat(),
    }
    return a.deadline, f"action-{a.action_id}", people, data, a.done and rule.unless is Unless.CONFIRMED


def _pim_subject(rule: Rule, state: State, p: PimDue) -> Subject:
    people = _everyone(rule, state, Recipient.QA, Recipient.SLT)
    if Recipient.HEAD_OF_SERVICE in rule.to and p.head_of_service_id is not None:
        people.add(p.head_of_service_id)
    done = rule.unless is Unless.HELD and p.held
    data = {"audit": p.audit_id, "case": p.case_ref, "meeting": p.due_on.isoformat()}
    return p.due_on, f"pim-{p.audit_id}", people, data, done


def _review_subject(rule: Rule, state: State, r: OpenReview) -> Subject:
    people = _everyone(rule, state, Recipient.QA, Recipient.SLT)
    if Recipient.PARTICIPANTS in rule.to:
        people |= {p for p in (r.practitioner_id, r.second_person_id) if p is not None}
    people |= _named(rule, (Recipient.SERVICE_MANAGER, r.service_manager_id))
    people |= _named(rule, (Recipient.HEAD_OF_SERVICE, r.head_of_service_id))
    data = {"audit": r.audit_id, "form": r.form, "case": r.case_ref, "deadline": r.due_on.isoformat()}
    return r.due_on, f"review-{r.audit_id}", people, data, False


def _open_audit_people(state: State, month: date) -> dict[int, list[list[object]]]:
    """Practitioners and second people with audits still open and due from `month` on."""
    people: dict[int, list[list[object]]] = {}
    for audit in state.open_audits:
        if audit.due_on is None or audit.due_on < month:
            continue
        line: list[object] = [audit.audit_id, audit.case_ref, audit.team, audit.due_on.isoformat()]
        for person in {audit.practitioner_id, audit.second_person_id} - {None}:
            assert person is not None
            people.setdefault(person, []).append(line)
    return people


def _cycle_recipients(rule: Rule, cycle: CycleState, state: State) -> dict[int, list[list[object]]]:
    """For a cycle's due date: each person's outstanding audits, for their own scope."""
    people: dict[int, list[list[object]]] = {}
    for audit in state.open_audits:
        if audit.due_on is None or audit.due_on > cycle.due_on or audit.due_on < cycle.starts_on:
            continue
        line: list[object] = [audit.audit_id, audit.case_ref, audit.team, audit.due_on.isoformat()]
        who: set[int] = set()
        if Recipient.PARTICIPANTS in rule.to:
            who |= {p for p in (audit.practitioner_id, audit.second_person_id) if p is not None}
        for role, person in (
            (Recipient.PRACTICE_LEAD, audit.practice_lead_id),
            (Recipient.SERVICE_MANAGER, audit.service_manager_id),
            (Recipient.HEAD_OF_SERVICE, audit.head_of_service_id),
        ):
            if role in rule.to and person is not None:
                who.add(person)
        if Recipient.SLT in rule.to:
            who |= set(state.people_by_role.get(Recipient.SLT, ()))
        for person in who:
            people.setdefault(person, []).append(line)
    return people
