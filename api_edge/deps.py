"""What the edge's routes use, opened by the composition root and handed to create_app."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from api_edge.oidc import OidcClient
from api_edge.rate_limit import Limit, RateLimiter
from producers.publisher import EventPublisher
from storage.blobs import BlobStore
from storage.users.sessions import SessionPolicy


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    min_side: int


@dataclass(frozen=True)
class AuthConfig:
    """Sign-in: the provider, the exact redirect URIs allowed, login and session lifetimes."""

    oidc: OidcClient
    redirect_uris: tuple[str, ...]
    login_ttl: timedelta
    sessions: SessionPolicy


@dataclass(frozen=True)
class RateLimits:
    limiter: RateLimiter
    auth_ip: Limit
    auth_user: Limit
    default_ip: Limit
    default_user: Limit


@dataclass(frozen=True)
class EdgeDeps:
    """Connections and limits; `kafka_check` answers None when the broker is reachable, else what is wrong."""

    engine: AsyncEngine
    publisher: EventPublisher
    blobs: BlobStore
    limits: UploadLimits
    kafka_check: Callable[[], Awaitable[str | None]]
    expected_consumers: tuple[str, ...]
    heartbeat_stale_seconds: float
    decode_slots: asyncio.Semaphore
    auth: AuthConfig
    rates: RateLimits
