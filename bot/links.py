"""Signed links to what the bot serves over HTTP (outcomes charts, reports): unguessable, expiring,
and useless once tampered with. itsdangerous signs a small payload with HMAC-SHA256 and a
timestamp; a link older than its lifetime, or altered by one character, is refused (404).

A link is a bearer token: whoever holds it sees the picture. It carries only ids; what it shows is
read from the database when it is opened, so a link to a report is also checked against its
reader's rights at that moment.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer


def _signer_with_clock(clock: Callable[[], float]) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return ClockedSigner


class SignedLinks:
    def __init__(
        self,
        secret: str | None,
        base_url: str,
        *,
        lifetime_s: float = 7 * 86_400,
        clock: Callable[[], float],
    ) -> None:
        #: No secret (local mode): a random one, so links stop working when the bot restarts.
        self.ephemeral = secret is None
        key = secret if secret is not None else secrets.token_urlsafe(32)
        self.base_url = base_url.rstrip("/")
        self.lifetime_s = lifetime_s
        self.clock = clock
        self._serializer = URLSafeTimedSerializer(
            key,
            salt="plf-links-v1",
            signer=_signer_with_clock(clock),
            signer_kwargs={"digest_method": hashlib.sha256},
        )

    def token(self, kind: str, payload: Mapping[str, Any]) -> str:
        return str(self._serializer.dumps({"k": kind, **payload}))

    def read(self, kind: str, token: str) -> dict[str, Any] | None:
        """The payload of a valid, unexpired link of this kind; None otherwise (say 404)."""
        try:
            data = self._serializer.loads(token, max_age=int(self.lifetime_s))
        except BadSignature:  # includes SignatureExpired and malformed tokens
            return None
        if not isinstance(data, dict) or data.get("k") != kind:
            return None
        return {k: v for k, v in data.items() if k != "k"}

    def chart_url(self, audit_id: int) -> str:
        return f"{self.base_url}/links/charts/{self.token('chart', {'a': audit_id})}.png"

    def report_url(self, reader: int, period: str, area_id: int | None, team_id: int | None = None) -> str:
        """The full report, for one reader: opening it checks the reader's rights again. `team_id`: a
        team's report (its Practice Lead's and practitioners')."""
        claims = {"p": reader, "r": period, "a": area_id, **({"t": team_id} if team_id is not None else {})}
        return f"{self.base_url}/links/reports/{self.token('report', claims)}.html"

    def evidence_url(self, reader: int, period: str) -> str:
        """The inspection evidence pack of a quarter, for one reader (QA or SLT, checked as it opens)."""
        return f"{self.base_url}/links/evidence/{self.token('evidence', {'p': reader, 'r': period})}.html"

    def feedback_url(self, token: str) -> str:
        """A family's one-time feedback page: the token is the whole secret (plf_core.feedback.links), so
        it is not signed again here."""
        return f"{self.base_url}/feedback/{token}"

    @property
    def lifetime_days(self) -> int:
        return round(self.lifetime_s / 86_400)

    def expires_at(self) -> float:
        """When a link made now stops working (epoch seconds)."""
        return self.clock() + self.lifetime_s
