"""The framework's own words: roles, cohorts and grades (FRAMEWORK.md)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who a person is in the framework. A person may hold several roles."""

    PRACTITIONER = "practitioner"
    PRACTICE_LEAD = "practice_lead"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"
    PRACTICE_LEARNING_REVIEWER = "practice_learning_reviewer"
    QA_MANAGER = "qa_manager"
    SLT = "slt"
    DIRECTOR_OF_OPERATIONS = "director_of_operations"
    DATA_AND_IMPACT = "data_and_impact"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: "Practitioner (social worker)",
    Role.PRACTICE_LEAD: "Practice Lead",
    Role.SERVICE_MANAGER: "Service Manager",
    Role.HEAD_OF_SERVICE: "Head of Service",
    Role.PRACTICE_LEARNING_REVIEWER: "Practice Learning Reviewer (QA officer)",
    Role.QA_MANAGER: "QA manager / Assistant Director QA",
    Role.SLT: "Senior Leadership Team",
    Role.DIRECTOR_OF_OPERATIONS: "Director of Operations",
    Role.DATA_AND_IMPACT: "Data & Impact team",
}

#: Roles that belong to the QA service and may drive the framework from chat.
QA_ROLES = frozenset({Role.PRACTICE_LEARNING_REVIEWER, Role.QA_MANAGER})


class Cohort(StrEnum):
    """The groups of children the framework samples and reports on."""

    ASSESSMENT = "assessment"
    CHILD_IN_NEED = "cin"
    CHILD_PROTECTION = "cp"
    CHILD_LOOKED_AFTER = "cla"
    CARE_LEAVER = "care_leaver"
    EARLY_HELP = "early_help"

    @property
    def label(self) -> str:
        return COHORT_LABELS[self]


COHORT_LABELS: dict[Cohort, str] = {
    Cohort.ASSESSMENT: "Assessment",
    Cohort.CHILD_IN_NEED: "Child in Need (CiN)",
    Cohort.CHILD_PROTECTION: "Child Protection (CP)",
    Cohort.CHILD_LOOKED_AFTER: "Child Looked After (CLA)",
    Cohort.CARE_LEAVER: "Care Leaver",
    Cohort.EARLY_HELP: "Early Help",
}


class Grade(StrEnum):
    """Ofsted's four grades with the framework's BRAG colours (seed lines 893-915)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def rank(self) -> int:
        """1 (Inadequate) to 4 (Outstanding): the order moderation statistics use."""
        return _GRADE_RANK[self]


#: The one order grades are shown in, everywhere staff read them (forms, moderation, reports,
#: alerts): best first, as the framework's guidance lists them. Statistics use Grade.rank.
GRADE_ORDER: tuple[Grade, ...] = (Grade.BLUE, Grade.GREEN, Grade.AMBER, Grade.RED)

GRADE_LABELS: dict[Grade, str] = {
    Grade.RED: "Red — Inadequate",
    Grade.AMBER: "Amber — Requires Improvement",
    Grade.GREEN: "Green — Good",
    Grade.BLUE: "Blue — Outstanding",
}
_GRADE_RANK: dict[Grade, int] = {Grade.RED: 1, Grade.AMBER: 2, Grade.GREEN: 3, Grade.BLUE: 4}


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AuditStatus(StrEnum):
    """Where an audit is in its life (Appendix 1, lines 749-769)."""

    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    MODERATION = "moderation"
    COMPLETED = "completed"
    UPLOADED = "uploaded"
    CANCELLED = "cancelled"


OPEN_AUDIT_STATUSES = frozenset({AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS})


class GradeSource(StrEnum):
    """Who gave a grade: the layered audit keeps all three (line 473)."""

    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    MODERATOR = "moderator"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_YET = "not_yet"
    CANCELLED = "cancelled"


class Rag(StrEnum):
    """RAG status of a dip-sample action (Appendix 13)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"
    CANCELLED = "cancelled"  # no longer needed (the actions were confirmed before it went)
    MERGED = "merged"  # a reminder that went out inside a person's daily digest, not on its own
