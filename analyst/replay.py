"""Analysts' replay: rebuild every registered projection from offset 0 of its topics into a fresh schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from analyst.topic_reader import Snapshot, read_topics
from consumers.projector.handlers import handled_events, projector_handlers
from consumers.runtime.delivery import Delivery, RetryPolicy
from events.codec import Headers
from events.registry import REGISTRY
from events.topics import topics_carrying
from storage.replay_schemas import recreate


@dataclass
class Rejects:
    """Records replay could not apply (they were dead-lettered live too); counted, never re-published."""

    records: list[tuple[str, int, int]] = field(default_factory=list)

    async def send_raw(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None:
        coords = dict(headers)
        self.records.append(
            (
                coords["dlq.original.topic"].decode(),
                int(coords["dlq.original.partition"]),
                int(coords["dlq.original.offset"]),
            )
        )


@dataclass(frozen=True)
class ReplayStats:
    records: int
    applied: int
    skipped: int
    rejected: int


async def rebuild(
    engine: AsyncEngine,
    bootstrap: str,
    prefix: str,
    schema: str,
    progress: Callable[[int, int], None],
) -> ReplayStats:
    """Recreate `schema` and fold every record of the projector's topics into it."""
    async with engine.begin() as conn:
        await recreate(conn, schema)
    rejects = Rejects()
    delivery = Delivery("replay", projector_handlers(engine, schema), REGISTRY, rejects, RetryPolicy(max_retries=0))
    snapshot, counts = Snapshot(), {"handled": 0, "skipped": 0, "dead": 0}
    topics = [t.resolve(prefix) for t in topics_carrying(handled_events())]
    async for record in read_topics(bootstrap, topics, snapshot=snapshot):
        counts[await delivery.process(record)] += 1
        progress(sum(counts.values()), snapshot.total)
    return ReplayStats(sum(counts.values()), counts["handled"], counts["skipped"], counts["dead"])
