"""Who is acting: a person of the directory, with their roles and what they lead."""

from __future__ import annotations

from dataclasses import dataclass, field

from plf_core.vocabulary import QA_ROLES, Role


@dataclass(frozen=True)
class Actor:
    person_id: int
    aad_object_id: str
    name: str
    roles: frozenset[Role]
    team_id: int | None = None
    #: Teams this person is the Practice Lead of.
    led_team_ids: frozenset[int] = field(default_factory=frozenset)
    #: Service areas this person is a Service Manager of (through a team they manage).
    managed_area_ids: frozenset[int] = field(default_factory=frozenset)
    #: Service areas this person is Head of Service of.
    headed_area_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_qa(self) -> bool:
        return bool(self.roles & QA_ROLES)

    @property
    def is_slt(self) -> bool:
        return Role.SLT in self.roles or Role.DIRECTOR_OF_OPERATIONS in self.roles

    def has(self, role: Role) -> bool:
        return role in self.roles
