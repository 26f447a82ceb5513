"""The port of the access log (append-only: who read or changed what, when) and of the people who
wrote to the bot without being in the directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from plf_core.people import Actor


@dataclass(frozen=True)
class UnknownSender:
    aad_object_id: str
    name: str
    first_seen: datetime
    last_seen: datetime
    messages: int


class Access(Protocol):
    async def log(
        self, actor: Actor | None, action: str, audit_id: int | None, activity_id: str | None, outcome: str
    ) -> None: ...

    async def record_unknown_sender(self, aad_object_id: str, name: str, tenant_id: str | None) -> bool: ...

    async def unknown_senders(self) -> list[UnknownSender]: ...
