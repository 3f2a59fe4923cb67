"""The measured backlog, re-read at most once a second per process and exported as Prometheus gauges."""

from __future__ import annotations

import time
from datetime import timedelta

from prometheus_client import Gauge

from api_edge.analysis.backlog import service_time
from api_edge.platform.database import Database
from events.envelope import utcnow
from storage.analysis.backlog import Backlog, measure

BACKLOG = Gauge("shine_analysis_backlog", "Uploads accepted and not finished")
SERVICE_SECONDS = Gauge("shine_analysis_service_seconds", "Recent mean time one analysis takes")
WINDOW = timedelta(minutes=5)
MAX_AGE_SECONDS = 1.0


class BacklogMeter:
    """Reads the backlog through the database (bounded, 503 when it is down); caches it briefly."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._last: tuple[float, Backlog] | None = None

    async def read(self) -> Backlog:
        """The current backlog (at most a second old)."""
        if self._last is not None and time.monotonic() - self._last[0] < MAX_AGE_SECONDS:
            return self._last[1]
        async with self.db.reading() as conn:
            found = await measure(conn, utcnow(), WINDOW)
        self._last = (time.monotonic(), found)
        BACKLOG.set(found.waiting)
        SERVICE_SECONDS.set(service_time(found))
        return found
