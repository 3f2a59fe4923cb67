"""A consumer group is one declaration: its name, the events it handles, its resources and its settings.

Its input topics derive from the event types its handlers take. Its `open` factory is an async context
manager that opens the group's *own* resources (a database engine, a blob store, a Stripe client, an MCP
session pool …) from the settings and yields the handler map; it runs only in that group's processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from consumers.runtime.delivery import Handler, RetryPolicy
from events.envelope import Event
from events.topics import Topic, topics_carrying
from producers.publisher import EventPublisher

if TYPE_CHECKING:
    from shine.settings import Settings


@dataclass(frozen=True)
class GroupContext:
    """What the host gives every group's factory: the settings and the process's publisher."""

    settings: Settings
    publisher: EventPublisher


Handlers = Mapping[type[Event], Handler]
OpenGroup = Callable[[GroupContext], AbstractAsyncContextManager[Handlers]]


@dataclass(frozen=True)
class Polling:
    """How the group's Kafka consumer polls."""

    max_poll_records: int | None = None
    max_poll_interval_ms: int = 600_000


@dataclass(frozen=True)
class ConsumerGroup:
    """One consumer group; `instances` is how many processes `shine run` starts for it."""

    name: str
    handles: tuple[type[Event], ...]
    open: OpenGroup
    retry: RetryPolicy | None = None  # None: the SHINE_CONSUMER_* defaults
    polling: Polling = field(default_factory=Polling)
    instances: int = 1
    ready_required: bool = True  # /ready waits for a live instance of this group

    @property
    def topics(self) -> tuple[Topic, ...]:
        """The input topics: every topic that carries an event type this group handles."""
        return topics_carrying(self.handles)
