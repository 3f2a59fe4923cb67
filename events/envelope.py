"""The event envelope shared by every context (DESIGN §3), with CloudEvents 1.0 attribute mapping."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4e51-9a43-2f0d9c8b7a61")


def derived_id(consumer: str, input_event_id: uuid.UUID) -> uuid.UUID:
    """Deterministic id for an event derived by `consumer` from an input event (reprocessing re-emits it)."""
    return uuid.uuid5(NAMESPACE, f"{consumer}/{input_event_id}")


def utcnow() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class Payload(BaseModel):
    """Base for event payloads: immutable, tolerant of fields added by newer producers."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Event(BaseModel):
    """Envelope fields followed by the typed payload in `data`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    TYPE: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str = ""
    version: int = 0
    occurred_at: datetime = Field(default_factory=utcnow)
    source: str
    subject: str
    correlation_id: str
    causation_id: str | None = None
    data: Any

    def model_post_init(self, context: Any, /) -> None:
        # Type and version always come from the class, so a producer cannot mislabel an event.
        object.__setattr__(self, "type", self.TYPE)
        object.__setattr__(self, "version", self.VERSION)

    @classmethod
    def caused_by(cls, cause: Event, *, event_id: uuid.UUID, source: str, subject: str, data: Any) -> Self:
        """A new event that carries the cause's correlation id and names it as causation."""
        return cls(
            event_id=event_id,
            source=source,
            subject=subject,
            correlation_id=cause.correlation_id,
            causation_id=str(cause.event_id),
            data=data,
        )
