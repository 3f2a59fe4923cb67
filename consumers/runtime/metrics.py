"""Prometheus metrics of the consumer processes."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

CONSUMED = Counter("shine_events_consumed_total", "Records consumed, by outcome", ["consumer", "topic", "outcome"])
FAILED = Counter("shine_events_failed_total", "Handler attempts that raised", ["consumer", "topic"])
DEAD_LETTERED = Counter("shine_events_dead_lettered_total", "Records sent to a DLQ", ["consumer", "topic"])
HANDLER_SECONDS = Histogram("shine_handler_duration_seconds", "Handler duration", ["consumer", "type"])
LAG = Gauge("shine_consumer_lag", "Records behind the partition end", ["consumer", "topic", "partition"])
UPLOAD_TO_RESULT = Histogram(
    "shine_upload_to_result_seconds",
    "From upload accepted to analysis outcome",
    buckets=(0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60, 120),
)
OUTAGE = Gauge("shine_consumer_outage", "1 while the instance holds a record through a dependency outage", ["consumer"])
OUTAGE_RETRIES = Counter(
    "shine_consumer_outage_retries_total",
    "Handler attempts that met an unavailable dependency",
    ["consumer", "dependency"],
)
