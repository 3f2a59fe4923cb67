"""Wire format: CloudEvents 1.0 structured JSON in the record value, the same attributes as ce_* headers.

Decoding is tolerant: unknown event types decode to None (skipped by consumers), old versions are
upcast step by step before validation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from events.envelope import Event

CONTENT_TYPE = "application/cloudevents+json"
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
Headers = list[tuple[str, bytes]]


class UndecodableEvent(ValueError):
    """The record is not a valid event: a permanent failure, never retried."""


@dataclass(frozen=True)
class EventRegistry:
    """Event classes by type, and upcasters keyed by (type, version) that lift data one version up."""

    classes: Mapping[str, type[Event]]
    upcasters: Mapping[tuple[str, int], Upcaster] = field(default_factory=dict)

    @classmethod
    def of(
        cls, events: Iterable[type[Event]], upcasters: Mapping[tuple[str, int], Upcaster] | None = None
    ) -> EventRegistry:
        """A registry of the given classes."""
        return cls({e.TYPE: e for e in events}, dict(upcasters or {}))

    def upcast(self, type_: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """Lift `data` from `version` to the class's current version."""
        target = self.classes[type_].VERSION
        while version < target:
            step = self.upcasters.get((type_, version))
            if step is None:
                raise UndecodableEvent(f"no upcaster for {type_} v{version}")
            data, version = step(data), version + 1
        if version > target:
            raise UndecodableEvent(f"{type_} v{version} is newer than this reader (v{target})")
        return data


def to_cloudevent(event: Event) -> dict[str, Any]:
    """The event as a CloudEvents structured-mode JSON object."""
    body = event.model_dump(mode="json")
    return {
        "specversion": "1.0",
        "id": body["event_id"],
        "type": body["type"],
        "source": body["source"],
        "subject": body["subject"],
        "time": body["occurred_at"],
        "datacontenttype": "application/json",
        "eventversion": body["version"],
        "correlationid": body["correlation_id"],
        "causationid": body["causation_id"],
        "data": body["data"],
    }


def encode(event: Event) -> tuple[bytes, bytes, Headers]:
    """Key, value and headers for a Kafka record."""
    ce = to_cloudevent(event)
    value = json.dumps(ce, separators=(",", ":"), sort_keys=True).encode()
    headers: Headers = [("content-type", CONTENT_TYPE.encode())]
    for name in ("id", "type", "source", "subject", "time", "specversion", "eventversion", "correlationid"):
        headers.append((f"ce_{name}", str(ce[name]).encode()))
    return event.subject.encode(), value, headers


def decode(value: bytes | None, registry: EventRegistry) -> Event | None:
    """Parse a record value; None for an event type this reader does not know."""
    try:
        ce = json.loads(value or b"")
        type_, version = str(ce["type"]), int(ce.get("eventversion", 1))
    except (ValueError, TypeError, KeyError) as exc:
        raise UndecodableEvent(f"not a CloudEvents JSON record: {exc}") from exc
    cls = registry.classes.get(type_)
    if cls is None:
        return None
    if not isinstance(ce.get("data"), dict):
        raise UndecodableEvent(f"{type_}: data must be an object")
    data = registry.upcast(type_, version, ce["data"])
    try:
        return cls.model_validate(
            {
                "event_id": ce.get("id"),
                "occurred_at": ce.get("time"),
                "source": ce.get("source"),
                "subject": ce.get("subject"),
                "correlation_id": ce.get("correlationid"),
                "causation_id": ce.get("causationid"),
                "data": data,
            }
        )
    except ValidationError as exc:
        raise UndecodableEvent(f"{type_}: {exc.error_count()} invalid field(s): {exc.errors()[0]['msg']}") from exc
