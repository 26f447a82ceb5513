"""Prebuilt Core statements for what every card action does (load, save, log).

Built once at import, with bind parameters, and run on the session's connection: no ORM
identity map and no statement construction per request, which the submit benchmark showed
to be the bulk of a card action's cost.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import String, Table, bindparam, func, insert, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from store.models import (
    AccessLogEntry,
    Answer,
    Audit,
    Case,
    ConversationReference,
    FeedbackAnswer,
    Moderation,
    Person,
    ServiceArea,
    Team,
)
from store.types import JSONDocument

AUDITS = cast(Table, Audit.__table__)
ANSWER_ROWS = cast(Table, Answer.__table__)
MODERATIONS = cast(Table, Moderation.__table__)
ACCESS_LOG = cast(Table, AccessLogEntry.__table__)
A, C, T, S = AUDITS.c, Case.__table__.c, Team.__table__.c, ServiceArea.__table__.c
_PRACTITIONER = cast(Table, Person.__table__).alias("practitioner")
_SECOND = cast(Table, Person.__table__).alias("second_person")
_AUDIT_COLUMNS = (
    A.id,
    A.form_id,
    A.case_id,
    A.practitioner_id,
    A.second_person_id,
    A.status,
    A.version,
    A.current_page,
    A.submitted_by_id,
    A.submitted_at,
    A.due_on,
    A.pim_due_on,
    A.pim_held_on,
    A.parent_audit_id,
    A.final_grade,
    A.uploaded_at,
    C.azeus_number,
    C.gender,
    C.age,
    C.team_id,
    T.code.label("team_code"),
    T.name.label("team_name"),
    T.service_area_id,
    T.practice_lead_id,
    T.service_manager_id,
    T.head_of_service_id,
    S.name.label("service_area_name"),
    _PRACTITIONER.c.display_name.label("practitioner_name"),
    _SECOND.c.display_name.label("second_person_name"),
)
_AUDIT_FROM = (
    Audit.__table__.outerjoin(Case.__table__, A.case_id == C.id)
    .outerjoin(Team.__table__, C.team_id == T.id)
    .outerjoin(ServiceArea.__table__, T.service_area_id == S.id)
    .outerjoin(_PRACTITIONER, A.practitioner_id == _PRACTITIONER.c.id)
    .outerjoin(_SECOND, A.second_person_id == _SECOND.c.id)
)
#: An audit with its case, team and service area: the one join every scoped query starts from
#: (inner joins: a case always has a team, a team a service area; an audit without a case is not in it).
AUDIT_IN_AREA = (
    AUDITS.join(cast(Table, Case.__table__), A.case_id == C.id)
    .join(cast(Table, Team.__table__), C.team_id == T.id)
    .join(cast(Table, ServiceArea.__table__), T.service_area_id == S.id)
)
AUDITS_WITH_CASES = select(*_AUDIT_COLUMNS).select_from(_AUDIT_FROM)
_F = cast(Table, FeedbackAnswer.__table__).c


def _family(column: Any, audience: str) -> Any:
    """One column of the latest feedback from the case's child or young person (or its parent or carer),
    null if none, in the audit's own row: each audience's latest, so a parent's later answer does not
    hide what the child said."""
    latest = (
        select(column)
        .where(_F.case_id == C.id, _F.audience == audience)
        .order_by(_F.received_at.desc(), _F.id.desc())
        .limit(1)
    )
    return latest.scalar_subquery().label(f"{audience}_{column.name}")


FAMILY_AUDIENCES = ("child", "parent")
_FAMILY = tuple(
    _family(column, audience) for audience in FAMILY_AUDIENCES for column in (_F.received_at, _F.worded, _F.flagged)
)
#: One audit with its people, each page's latest answers and what the family last said: everything a card
#: action reads, in one row.
AUDIT = (
    select(*_AUDIT_COLUMNS, A.latest_answers, *_FAMILY).select_from(_AUDIT_FROM).where(A.id == bindparam("audit_id"))
)
AUDIT_FOR_UPDATE = AUDIT.with_for_update(of=Audit.__table__)
LATEST_ANSWERS = select(A.latest_answers).where(A.id == bindparam("audit_id"))
_N = ANSWER_ROWS.c
_LATER = ANSWER_ROWS.alias("later")
#: One page's answers as they were at an audit version (its latest row at or before it).
PAGE_AT = (
    select(_N["values"])
    .where(_N.audit_id == bindparam("audit_id"), _N.page_id == bindparam("page_id"))
    .where(_N.version <= bindparam("version"))
    .order_by(_N.version.desc())
    .limit(1)
)
#: Who saved each page's latest answers (a grade is given by whoever saved its page).
SAVED_BY = (
    select(_N.page_id, Person.__table__.c.display_name)
    .join(Person.__table__, Person.__table__.c.id == _N.saved_by_id)
    .where(_N.audit_id == bindparam("audit_id"), _N.page_id.in_(bindparam("pages", expanding=True)))
    .where(
        _N.version
        == select(func.max(_LATER.c.version))
        .where(_LATER.c.audit_id == _N.audit_id, _LATER.c.page_id == _N.page_id)
        .scalar_subquery()
    )
)
NAMES = select(Person.__table__.c.id, Person.__table__.c.display_name).where(
    Person.__table__.c.id.in_(bindparam("ids", expanding=True))
)


class PutPage(FunctionElement[Any]):
    """The audit's latest answers with one page's put in (replacing that page's): computed by the
    database in the save's own UPDATE, so no other page's answers travel with it."""

    type = JSONDocument
    inherit_cache = True


@compiles(PutPage, "postgresql")
def _put_page_postgresql(element: PutPage, compiler: SQLCompiler, **kw: Any) -> str:
    document, page, values = (compiler.process(c, **kw) for c in element.clauses)
    return f"coalesce({document}, '{{}}'::jsonb) || jsonb_build_object({page}, {values})"


@compiles(PutPage, "sqlite")
def _put_page_sqlite(element: PutPage, compiler: SQLCompiler, **kw: Any) -> str:
    document, page, values = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_set(coalesce({document}, '{{}}'), '$.\"' || {page} || '\"', json({values}))"


SAVE_VERSION = (
    update(AUDITS)
    .where(A.id == bindparam("audit_id"), A.version == bindparam("expected"))
    .values(
        version=A.version + 1,
        current_page=bindparam("current_page"),
        status=bindparam("status"),
        updated_at=bindparam("now"),
        latest_answers=PutPage(
            A.latest_answers, bindparam("page_id", type_=String), bindparam("values", type_=JSONDocument)
        ),
    )
)
ADD_ANSWER = insert(ANSWER_ROWS)
ADD_ACCESS = insert(ACCESS_LOG)
_R = ConversationReference.__table__.c
REFERENCE_STATE = select(_R.person_id, _R.service_url, _R.conversation_id, _R.installed, _R.updated_at).where(
    _R.aad_object_id == bindparam("aad")
)
USER_REFERENCES = select(_R.person_id, _R.reference).where(_R.person_id.in_(bindparam("ids", expanding=True)))
