"""The families' feedback tables (issue 20): the one-time links families are given and what they answered.
Part of store.models' metadata (it imports this module at its end, and re-exports the two)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from store.model_base import Base
from store.types import JSONDocument, UTCDateTime


class FeedbackRequest(Base):
    """One link a family was given: only its token's SHA-256 is kept, so no stored row makes a working
    link; it works until `expires_at`, and once (`used_at`)."""

    __tablename__ = "feedback_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: child (a child or young person) or parent (a parent or carer): which version of the page
    audience: Mapped[str] = mapped_column(String(12))
    #: asked (from Teams) or closure (when the case closed)
    occasion: Mapped[str] = mapped_column(String(12))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedbackAnswer(Base):
    """What a family answered on one link: against the case id and the request, never a name."""

    __tablename__ = "feedback_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("feedback_requests.id", ondelete="CASCADE"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: question id -> a rating 1-5 or the family's own words
    answers: Mapped[dict[str, object]] = mapped_column(JSONDocument)
    #: each answer with its question as the family read it: [[question, answer], ...] (the next audit shows it,
    #: whatever later edits to the form's wording)
    worded: Mapped[list[list[str]]] = mapped_column(JSONDocument)
    #: a worrying phrase was in it: an immediate concern went to the case's managers
    flagged: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
