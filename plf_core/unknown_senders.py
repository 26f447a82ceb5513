"""Someone not in the directory writes to the bot: they are told politely, and QA hears of it once."""

from __future__ import annotations

from dataclasses import dataclass

from plf_core.notices import UnknownSenderNotice
from plf_core.ports import AbstractUnitOfWork, Notice

REPLY = (
    "Hello. You are not yet in the Practice Learning Framework's directory, so I can't show you any audits. "
    "I have told the QA team; they will add you and let you know."
)


@dataclass(frozen=True)
class NotInDirectory:
    """The answer to someone the directory does not know."""

    text: str = REPLY
    first_time: bool = False


async def unknown_sender(
    uow: AbstractUnitOfWork, aad_object_id: str, name: str, tenant_id: str | None
) -> NotInDirectory:
    """Recorded each time; QA is told the first time (the list stays in `unknown people`)."""
    first = await uow.access.record_unknown_sender(aad_object_id, name[:120], tenant_id)
    if first:
        for qa in await uow.people.qa_people():
            notice = UnknownSenderNotice(name[:120], aad_object_id)
            await uow.outbox.add(Notice(f"unknown:{aad_object_id}:{qa}", qa, notice))
    return NotInDirectory(first_time=first)
