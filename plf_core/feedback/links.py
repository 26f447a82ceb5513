"""One-time feedback links. The link carries a random token and nothing else (no case id, no name);
only the token's SHA-256 is stored, so the database alone cannot make a working link."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

TOKEN_BYTES = 32  # 256 bits of randomness: 43 URL-safe characters
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed(token: str) -> bool:
    """A token as new_token makes them: anything else is refused before the database is asked."""
    return bool(TOKEN_SHAPE.match(token))


class LinkState(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LinkTimes:
    expires_at: datetime
    used_at: datetime | None


def state_of(times: LinkTimes | None, now: datetime) -> LinkState:
    if times is None:
        return LinkState.UNKNOWN
    if times.used_at is not None:
        return LinkState.USED
    if now >= times.expires_at:
        return LinkState.EXPIRED
    return LinkState.OPEN
