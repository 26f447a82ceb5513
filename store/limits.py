"""Limits every instance shares through the database (PostgreSQL): Teams' 50 messages a second for
the app, and each person's flood limit. On SQLite there is one instance, which keeps its own.

- Sending: one row holds when the next message of any instance may leave, by the database's clock
  (instances' own clocks may differ, PLF_NOW among them). Each message moves it on by 1/rate with
  one UPDATE ... RETURNING and leaves at its time: all instances together send at a steady pace,
  never in a burst that Teams would count in one second (the generic cell rate algorithm).
- Flood: every instance says it is alive every few seconds; with N alive, each lets one person
  send 1/N of the limit (a load balancer spreads a person's requests across them).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

ALIVE_FOR_S = 15
JITTER_MARGIN = 2.0  # messages a second kept back from DISPATCH_RATE
_TAKE = text(
    "UPDATE send_pace SET next_at = greatest(next_at, extract(epoch FROM clock_timestamp())) + :gap "
    "WHERE id = 1 RETURNING next_at - :gap - extract(epoch FROM clock_timestamp())"
)
_ALIVE = text(
    "INSERT INTO live_instances (id, seen_at) VALUES (:id, clock_timestamp()) "
    "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at"
)
_COUNT = text("SELECT count(*) FROM live_instances WHERE seen_at > clock_timestamp() - make_interval(secs => :alive)")
_FORGET_INSTANCES = text("DELETE FROM live_instances WHERE seen_at < clock_timestamp() - interval '1 hour'")
_GONE = text("DELETE FROM live_instances WHERE id = :id")


class SharedLimits:
    def __init__(self, engine: AsyncEngine, messages_per_second: float, instance_id: str) -> None:
        self.engine = engine
        self.shared = engine.dialect.name == "postgresql"
        # two a second fewer than the rate: arrivals jitter (the network, each instance's event loop),
        # and Teams counts them in any one second
        self.gap = 1.0 / max(1.0, messages_per_second - JITTER_MARGIN)
        self.instance_id = instance_id

    async def take_send_turn(self) -> float:
        """The seconds until one message may leave: its own turn in the pace the instances share."""
        if not self.shared:
            return 0.0
        async with self.engine.begin() as connection:
            wait = float((await connection.execute(_TAKE, {"gap": self.gap})).scalar_one())
        return max(0.0, wait)

    async def alive(self) -> int:
        """This instance is alive: how many are (itself included)."""
        if not self.shared:
            return 1
        async with self.engine.begin() as connection:
            await connection.execute(_ALIVE, {"id": self.instance_id})
            await connection.execute(_FORGET_INSTANCES)
            count = int((await connection.execute(_COUNT, {"alive": ALIVE_FOR_S})).scalar_one())
        return max(1, count)

    async def gone(self) -> None:
        """At shutdown: the others take this instance's share at once."""
        if self.shared:
            async with self.engine.begin() as connection:
                await connection.execute(_GONE, {"id": self.instance_id})
