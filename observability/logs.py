"""Structured JSON logs carrying the correlation id, and the publishing metrics."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client import Counter

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

EVENTS_PUBLISHED = Counter("shine_events_published_total", "Events published to Kafka", ["topic", "type"])
PUBLISH_FAILURES = Counter("shine_publish_failures_total", "Publishes that did not get the broker's ack", ["topic"])
LOG_REPEATS_SUPPRESSED = Counter(
    "shine_log_repeats_suppressed_total", "Log lines dropped as repeats of an identical recent one", ["logger"]
)

DEFAULT_REPEAT_INTERVAL = 10.0
# Windows kept before expired ones are pruned: bounds memory when messages vary without end.
_MAX_WINDOWS = 1024


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the component, the correlation id in scope and any `extra` fields."""

    _RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def __init__(self, component: str) -> None:
        super().__init__()
        self._component = component

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "component": self._component,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        cid = correlation_id.get()
        if cid:
            entry["correlation_id"] = cid
        entry.update({k: v for k, v in record.__dict__.items() if k not in self._RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


@dataclass
class _Window:
    opened: float
    suppressed: int = 0


class RepeatFilter(logging.Filter):
    """Lets one of each identical warning/error through per interval and counts the repeats it drops.

    Records are identical when logger, message template (before %-formatting) and exception class match.
    The first record after a window closes carries `suppressed_repeats`, the number dropped in that window.
    """

    def __init__(
        self,
        interval: float = DEFAULT_REPEAT_INTERVAL,
        min_level: int = logging.WARNING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._interval = interval
        self._min_level = min_level
        self._clock = clock
        self._windows: dict[tuple[str, str, str], _Window] = {}
        # Handlers call filters outside their own lock; threads (e.g. uvicorn's) may log at once.
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        """True to emit the record; False for a repeat inside the current window."""
        if record.levelno < self._min_level or self._interval <= 0:
            return True
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        key = (record.name, str(record.msg), error)
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            if window is not None and now - window.opened < self._interval:
                window.suppressed += 1
                LOG_REPEATS_SUPPRESSED.labels(record.name).inc()
                return False
            if len(self._windows) >= _MAX_WINDOWS:
                self._prune(now)
            self._windows[key] = _Window(opened=now)
        if window is not None and window.suppressed:
            record.suppressed_repeats = window.suppressed
        return True

    def _prune(self, now: float) -> None:
        """Forget closed windows; their unreported counts are lost, which only happens under a flood of variety."""
        closed = [key for key, window in self._windows.items() if now - window.opened >= self._interval]
        for key in closed or list(self._windows)[: _MAX_WINDOWS // 2]:
            del self._windows[key]


def configure_logging(level: str, component: str, repeat_interval: float = DEFAULT_REPEAT_INTERVAL) -> None:
    """Send JSON logs to stderr for this process, identical warnings and errors at most once per repeat_interval."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(component))
    # On the handler, not a logger: logger filters do not see records propagated from child loggers.
    handler.addFilter(RepeatFilter(repeat_interval))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    for chatty in ("httpx", "httpx2", "mcp.client.streamable_http"):  # one INFO line per outside HTTP request
        logging.getLogger(chatty).setLevel(logging.WARNING)
