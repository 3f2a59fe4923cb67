"""Analysts' export: a topic's events as JSON lines (one CloudEvent per line)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from analyst.topic_reader import Snapshot, read_topics


async def export_jsonl(
    bootstrap: str,
    topic: str,
    out: TextIO,
    *,
    since: datetime | None,
    progress: Callable[[int, int], None],
) -> int:
    """Write every event of `topic` (from `since`, by event time) to `out`; returns how many were written."""
    snapshot, seen, written = Snapshot(), 0, 0
    async for record in read_topics(bootstrap, [topic], since=since, snapshot=snapshot):
        seen += 1
        progress(seen, snapshot.total)
        try:
            event = json.loads(record.value or b"")
            when = datetime.fromisoformat(event["time"])
        except (ValueError, KeyError, TypeError):
            continue  # not an event (a poison record): nothing an analyst can use
        if since is None or when >= since:
            out.write(json.dumps(event, sort_keys=True) + "\n")
            written += 1
    return written
