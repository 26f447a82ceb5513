"""The ports of delivery: the outbox of notices and where each person is reached in Teams."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from plf_core.delivery import Claimed
    from plf_core.ports import Notice
    from plf_core.timetable_commands import FailedMessage
    from plf_core.vocabulary import OutboxStatus


class Outbox(Protocol):
    async def add(self, notice: Notice) -> None: ...

    async def written(self, dedupe_key: str) -> bool:
        """Whether a notice with this key was ever written (whatever became of it)."""
        ...

    async def cancel_pending(self, key_prefixes: tuple[str, ...], subject: str) -> int: ...

    async def failed(self, limit: int, offset: int = 0) -> list[FailedMessage]:
        """What could not be delivered (QA's summaries aside), the urgent first, then the newest."""
        ...

    async def failed_count(self) -> int: ...

    async def unreported_failures(self, limit: int) -> list[FailedMessage]:
        """Failures no daily summary has named yet, oldest first (QA's summaries never among them)."""
        ...

    async def mark_reported(self, outbox_ids: Sequence[int], day: date) -> None: ...

    async def summarised_on(self, day: date) -> bool:
        """Whether QA's summary of failures has been written on this day."""
        ...

    async def retry(self, outbox_id: int) -> bool: ...

    async def claim(self, limit: int, claim_seconds: float) -> list[Claimed]: ...

    async def renew(self, message: Claimed, claim_seconds: float) -> Claimed | None: ...

    async def mark_sent(self, message_id: int) -> None: ...

    async def mark_retry(self, message_id: int, delay_s: float, error: str) -> None: ...

    async def mark_failed(self, message_id: int, error: str, status: OutboxStatus) -> None: ...

    async def requeue_for(self, person_id: int) -> int: ...


class Conversations(Protocol):
    async def remember(
        self,
        *,
        aad_object_id: str,
        person_id: int | None,
        tenant_id: str | None,
        service_url: str,
        conversation_id: str,
        reference: dict[str, Any],
    ) -> bool: ...

    async def set_installed(self, aad_object_id: str, installed: bool) -> None: ...

    async def mark_unreachable(self, person_id: int) -> None: ...

    async def reference_of(self, person_id: int) -> dict[str, Any] | None: ...

    async def teams_user_ids(self, person_ids: Collection[int]) -> dict[int, list[str]]: ...
