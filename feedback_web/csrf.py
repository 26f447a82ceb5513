"""The page's guard against a form posted from somewhere else: a signed, timed value in a hidden field,
bound to the link it was served for (no cookie). itsdangerous signs the first 16 characters of the
link's hash with HMAC-SHA256 and the time it was made, by the project's clock.

The key comes from LINK_SECRET, shared by every instance; without it (local mode) a random one is made
at start-up, as for the links to charts and reports, so a page opened before a restart must be opened
again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from enum import StrEnum

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

FIELD = "form_check"
FRESH_FOR_S = 24 * 3600  # a page may be open a day before it is sent


class Seal(StrEnum):
    GOOD = "good"
    STALE = "stale"  # ours and for this link, but older than FRESH_FOR_S: the page comes back to be sent again
    BAD = "bad"  # missing, altered, or for another link: refused (403)


class FormChecks:
    def __init__(self, secret: str | None, clock: Callable[[], float]) -> None:
        self.ephemeral = secret is None
        key = secret if secret is not None else secrets.token_urlsafe(32)
        clocked = clock

        class ClockedSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clocked())

        self._signer = ClockedSigner(key, salt="plf-feedback-form-v1", digest_method=hashlib.sha256)

    def make(self, token_hash: str) -> str:
        return str(self._signer.sign(token_hash[:16]).decode("ascii"))

    def check(self, value: str | None, token_hash: str) -> Seal:
        if not value or len(value) > 200:
            return Seal.BAD
        try:
            bound = self._signer.unsign(value, max_age=FRESH_FOR_S)
        except SignatureExpired as expired:
            return Seal.STALE if expired.payload == token_hash[:16].encode("ascii") else Seal.BAD
        except BadSignature:
            return Seal.BAD
        return Seal.GOOD if secrets.compare_digest(bound, token_hash[:16].encode("ascii")) else Seal.BAD
