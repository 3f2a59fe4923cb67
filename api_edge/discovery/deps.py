"""What the discovery routes use."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency

PROGRESS = "/mcp/discovery-progress/{discovery_id}"
RESULTS = "/mcp/discovery-results/{discovery_id}"
TICKET = PROGRESS + "/ticket"
SOCKET = PROGRESS + "/ws"


@dataclass(frozen=True)
class DiscoveryLimits:
    """Discoveries a user may run at once; how long one may take before it no longer counts; ticket lifetime."""

    max_running: int
    deadline: timedelta
    ticket_ttl: timedelta
    poll_interval: float = 0.25  # how often a progress socket reads the projection


@dataclass(frozen=True)
class DiscoveryUrls:
    """Absolute URLs under the public URL (never the request's Host)."""

    base: str

    def progress(self, discovery_id: uuid.UUID) -> str:
        return self.base + PROGRESS.format(discovery_id=discovery_id)

    def results(self, discovery_id: uuid.UUID) -> str:
        return self.base + RESULTS.format(discovery_id=discovery_id)

    def ticket(self, discovery_id: uuid.UUID) -> str:
        return self.base + TICKET.format(discovery_id=discovery_id)

    def socket(self, discovery_id: uuid.UUID) -> str:
        """The WebSocket URL (ws:// or wss:// after the public URL's scheme), without its ticket."""
        return "ws" + self.base.removeprefix("http") + SOCKET.format(discovery_id=discovery_id)


@dataclass(frozen=True)
class DiscoveryDeps:
    db: Database
    bus: Bus
    idempotency: Idempotency
    urls: DiscoveryUrls
    limits: DiscoveryLimits
