"""Analyst commands: replay into a schema, compare with live, export a topic, redrive a DLQ."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import TextIO

from analyst.export import export_jsonl
from analyst.redrive import redrive
from analyst.replay import rebuild
from events.topics import by_name
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.engine import create_engine
from storage.replay_schemas import differences


class ProgressLine:
    """A throttled progress line on stderr."""

    def __init__(self, verb: str) -> None:
        self.verb, self._last = verb, 0.0

    def __call__(self, done: int, total: int = 0) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and done != total:
            return
        self._last = now
        share = f" ({100 * done // total}%)" if total else ""
        print(f"\r{self.verb} {done}/{total or '?'}{share}", end="", file=sys.stderr, flush=True)


async def replay_into(settings: Settings, schema: str) -> int:
    """Rebuild every projection into `schema`."""
    engine = create_engine(settings.db_url)
    try:
        stats = await rebuild(engine, settings.kafka_servers, settings.topic_prefix, schema, ProgressLine("replayed"))
    finally:
        await engine.dispose()
    print(
        f"\nreplayed {stats.records} records into {schema}: {stats.applied} applied, {stats.skipped} skipped, "
        f"{stats.rejected} rejected",
        file=sys.stderr,
    )
    return 0


async def compare(settings: Settings, schema: str) -> int:
    """0 when `schema` equals the live projections row by row, else 1 with the differences."""
    engine = create_engine(settings.db_url)
    try:
        async with engine.connect() as conn:
            found = await differences(conn, schema)
    finally:
        await engine.dispose()
    for line in found:
        print(line)
    print(
        f"{schema}: {'identical to live projections' if not found else 'differs from live projections'}",
        file=sys.stderr,
    )
    return 0 if not found else 1


async def export(settings: Settings, topic: str, since: datetime | None, out: TextIO) -> int:
    """Write a topic's events as JSON lines."""
    name = by_name(topic, settings.topic_prefix).resolve(settings.topic_prefix)
    written = await export_jsonl(settings.kafka_servers, name, out, since=since, progress=ProgressLine("read"))
    print(f"\nexported {written} events from {name}", file=sys.stderr)
    return 0


async def dlq_redrive(settings: Settings, topic: str) -> int:
    """Re-publish a topic's dead letters."""
    producer = build_producer(settings.kafka_servers, "shine-redrive")
    await producer.start()
    try:
        publisher = EventPublisher(producer, settings.topic_prefix)
        moved = await redrive(
            settings.kafka_servers, by_name(topic, settings.topic_prefix), publisher, ProgressLine("redriven")
        )
    finally:
        await producer.stop()
    print(f"\nredrove {moved} dead letters back to {topic}", file=sys.stderr)
    return 0
