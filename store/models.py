"""The whole framework's data model (FRAMEWORK.md), so later features extend it.

Naming follows the framework: service areas, teams, people, cases, cycles, audits, answers,
grades, actions, moderations, sampling draws, dip samples, the outbox, conversation
references and the append-only access log. No table has a column for a child's name.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.model_base import NOW, Stamped
from store.model_base import Base as Base  # what Alembic and the schema check read the tables from
from store.types import JSONDocument, UTCDateTime


class ServiceArea(Stamped, Base):
    __tablename__ = "service_areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Team(Stamped, Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    practice_lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", use_alter=True, name="fk_teams_practice_lead_id_people")
    )
    service_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", use_alter=True, name="fk_teams_service_manager_id_people")
    )
    head_of_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", use_alter=True, name="fk_teams_head_of_service_id_people")
    )


class Person(Stamped, Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(36), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    #: False once Teams says the bot cannot reach them (app removed, blocked).
    reachable: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PersonRole(Base):
    __tablename__ = "person_roles"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    __table_args__ = (Index("ix_person_roles_role", "role"),)


class Case(Stamped, Base):
    """A child's case, known only by its Azeus number."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    azeus_number: Mapped[str] = mapped_column(String(20), unique=True)
    gender: Mapped[str] = mapped_column(String(16))
    age: Mapped[int] = mapped_column(Integer)
    cohort: Mapped[str] = mapped_column(String(20), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    legal_status: Mapped[str | None] = mapped_column(String(120))
    ehcp: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    #: A legal hold blocks deletion under the retention schedule.
    legal_hold: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    #: The day the case closed (the directory's cases file); the worker is then asked about closure feedback.
    closed_on: Mapped[date | None] = mapped_column(Date)


class Cycle(Stamped, Base):
    __tablename__ = "cycles"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    data_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the case data, marked sent to QA
    data_sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class SamplingDraw(Base):
    __tablename__ = "sampling_draws"
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    seed: Mapped[int] = mapped_column(Integer)
    population_size: Mapped[int] = mapped_column(Integer)
    selection: Mapped[list[object]] = mapped_column(JSONDocument)
    #: digest of the selection shown in the preview that QA confirmed
    fingerprint: Mapped[str | None] = mapped_column(String(16))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)


class DipSample(Stamped, Base):
    """A thematic / dip sample (Appendix 13): draft → approved → sent to HoS → actions."""

    __tablename__ = "dip_samples"
    id: Mapped[int] = mapped_column(primary_key=True)
    theme: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), server_default="draft")
    terms: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_draws.id"))
    head_of_service_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Audit(Stamped, Base):
    """One completion of one form about one case (any of the framework's forms)."""

    __tablename__ = "audits"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    second_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_draws.id"))
    dip_sample_id: Mapped[int | None] = mapped_column(ForeignKey("dip_samples.id"))
    parent_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    #: the person whose work a review is about (a supervision review's supervisor)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), server_default="assigned")
    #: Bumped on every write; a card carrying an older version cannot overwrite newer answers.
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    current_page: Mapped[str | None] = mapped_column(String(40))
    final_grade: Mapped[str | None] = mapped_column(String(8))
    due_on: Mapped[date | None] = mapped_column(Date)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    pim_due_on: Mapped[date | None] = mapped_column(Date)
    pim_held_on: Mapped[date | None] = mapped_column(Date)
    #: Each page's latest answers ({page id: {field id: value}}), kept current by every save beside the
    #: answers table's history, so loading an audit reads one row instead of searching its versions.
    latest_answers: Mapped[dict[str, object] | None] = mapped_column(JSONDocument)
    __table_args__ = (
        Index("ix_audits_status_due_on", "status", "due_on"),
        Index("ix_audits_submitted_at", "submitted_at"),
    )


class Answer(Base):
    """The answers of one page of one audit; every save is a new version, none overwritten."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    page_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    is_draft: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)
    __table_args__ = (UniqueConstraint("audit_id", "page_id", "version"),)


class Moderation(Stamped, Base):
    __tablename__ = "moderations"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: Which stream chose it: head_of_service, practice_learning_reviewer, ad_qa.
    stream: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), server_default="requested")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    original_grade: Mapped[str | None] = mapped_column(String(8))
    moderated_grade: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    #: what the moderator has typed so far (grades, reasons, actions), kept between sittings
    draft: Mapped[dict[str, object] | None] = mapped_column(JSONDocument)
    __table_args__ = (UniqueConstraint("audit_id", "moderator_id"),)


class GradeRecord(Base):
    """A grade for a section or the whole of an audit, by practitioner, manager or moderator."""

    __tablename__ = "grades"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    section: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str] = mapped_column(String(8))
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    moderation_id: Mapped[int | None] = mapped_column(ForeignKey("moderations.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)
    __table_args__ = (UniqueConstraint("audit_id", "source", "section", "moderation_id"),)


class OutcomeScore(Base):
    """One outcome scale of a returned audit: by whom (practitioner, child, manager), for which area
    (or 'overall'), 1-10. Written at submission from the answers, for reports."""

    __tablename__ = "outcome_scores"
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)


class ActionItem(Stamped, Base):
    """An action from an audit's action plan or a dip sample, followed up until confirmed."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    dip_sample_id: Mapped[int | None] = mapped_column(ForeignKey("dip_samples.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    owner_text: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    impact_on_child: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    rag: Mapped[str | None] = mapped_column(String(8))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_yet_reason: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[str | None] = mapped_column(Text)  # a dip sample action's update (its Service Manager's)
    __table_args__ = (Index("ix_actions_status_deadline", "status", "deadline"),)


class OutboxMessage(Base):
    """Every proactive message, written once (unique dedupe key) and delivered by the dispatcher."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    status: Mapped[str] = mapped_column(String(12), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the day QA's summary named this failure (each failure is summarised once)
    reported_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)


class ConversationReference(Base):
    """Where to reach a person in Teams; refreshed on every activity (the serviceUrl can change)."""

    __tablename__ = "conversation_references"
    aad_object_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(36))
    service_url: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str] = mapped_column(String(500))
    reference: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    installed: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW)


class AccessLogEntry(Base):
    """Append-only: who read or wrote what, when, from which activity. No answers, no names."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=NOW, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor_aad_object_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20), server_default="ok")


class UnknownSenderRow(Base):
    """Someone who wrote to the bot but is not in the directory: QA is told and can list them."""

    __tablename__ = "unknown_senders"
    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    messages: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class SnoozeRow(Base):
    """A person's reminders wait until this day (escalations and red alerts never wait)."""

    __tablename__ = "snoozes"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    until: Mapped[date] = mapped_column(Date)


class SendPace(Base):
    """When the next proactive message of any instance may leave (seconds since the epoch by the
    database's clock): Teams' limit shared by every instance (PostgreSQL, store.limits). One row."""

    __tablename__ = "send_pace"
    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    next_at: Mapped[float] = mapped_column(Float)


class LiveInstance(Base):
    """Each running instance, seen every few seconds: how many share the limits (PostgreSQL)."""

    __tablename__ = "live_instances"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Concern(Base):
    """An immediate concern raised while auditing (or a dip sample's Red action): to the case's
    managers at once, escalated level by level until someone presses "I'm dealing with this"."""

    __tablename__ = "concerns"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    dip_sample_id: Mapped[int | None] = mapped_column(ForeignKey("dip_samples.id"), index=True)
    #: a dip sample's Red action raises one concern, once
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), unique=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("service_areas.id"), index=True)
    page_id: Mapped[str | None] = mapped_column(String(40))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    description: Mapped[str] = mapped_column(Text)
    at_risk_now: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    #: who has been sent it: 0 the Practice Lead and Service Manager, 1 the Head of Service, 2 the Director
    level: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GoodPracticeDecision(Base):
    """A Head of Service's or QA's decision on a good-practice nomination (an audit's answer that
    nominates it): confirmed ones count as evidence, declined ones leave the list."""

    __tablename__ = "good_practice"
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True)
    #: the field whose answer nominated it (HOS4, G_practice, G_moderator)
    field_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    decision: Mapped[str] = mapped_column(String(12))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the example as decided on (SHA-256 of its words): changed since, it waits for a decision again
    text_hash: Mapped[str | None] = mapped_column(String(64))


# The families' feedback tables are in their own module; imported here so that Base.metadata (Alembic,
# the tests' schema check) and `from store.models import FeedbackAnswer` know them.
from store.feedback_models import FeedbackAnswer as FeedbackAnswer  # noqa: E402
from store.feedback_models import FeedbackRequest as FeedbackRequest  # noqa: E402
