"""Composition root of the edge process: reads settings, opens connections, serves HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import uvicorn
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from api_edge.app import create_app
from api_edge.deps import AuthConfig, EdgeDeps, RateLimits, UploadLimits
from api_edge.oidc import OidcClient
from api_edge.rate_limit import Limit, RateLimiter
from consumers.registry import ready_groups
from events.topics import UPLOADS
from observability.logs import configure_logging
from producers.outbox import relay_forever
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.blobs import BlobStore
from storage.engine import create_engine
from storage.users.sessions import SessionPolicy


def kafka_probe(producer: AIOKafkaProducer, topic: str) -> Callable[[], Awaitable[str | None]]:
    """A readiness check: fresh metadata from the broker that includes the uploads topic."""

    async def check() -> str | None:
        try:
            metadata = await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout=3)
        except Exception as exc:  # reported by /ready, not raised
            return f"unreachable: {type(exc).__name__}"
        return None if topic in metadata.topics() else f"topic {topic} missing"

    return check


def session_policy(settings: Settings) -> SessionPolicy:
    """Session lifetimes from settings."""
    return SessionPolicy(
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
        idle_timeout=timedelta(seconds=settings.session_idle_timeout_seconds),
        absolute_lifetime=timedelta(seconds=settings.session_absolute_lifetime_seconds),
        max_sessions=settings.max_sessions_per_user,
    )


def auth_config(settings: Settings) -> AuthConfig:
    """The sign-in provider and policies from settings."""
    oidc = OidcClient(
        settings.oidc_discovery_url, settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_scope
    )
    return AuthConfig(
        oidc, settings.oidc_redirect_uris, timedelta(seconds=settings.login_ttl_seconds), session_policy(settings)
    )


def rate_limits(settings: Settings, engine: AsyncEngine) -> RateLimits:
    """Shared (Postgres-backed) request budgets from settings."""
    window = settings.rate_limit_window_seconds
    return RateLimits(
        # Its own small pool: counting must not queue behind the requests it counts.
        RateLimiter(create_engine(settings.db_url, pool_size=2)),
        Limit(settings.rate_limit_auth_per_ip, window),
        Limit(settings.rate_limit_auth_per_user, window),
        Limit(settings.rate_limit_default_per_ip, window),
        Limit(settings.rate_limit_default_per_user, window),
    )


async def serve(settings: Settings) -> None:
    """Run the edge until SIGINT/SIGTERM."""
    configure_logging(settings.log_level, "edge")
    engine = create_engine(settings.db_url, pool_size=10)
    producer = build_producer(settings.kafka_servers, "shine-edge")
    await producer.start()
    deps = EdgeDeps(
        engine=engine,
        publisher=EventPublisher(producer, settings.topic_prefix),
        blobs=BlobStore(settings.blobs_path),
        limits=UploadLimits(settings.max_upload_bytes, settings.max_image_pixels, settings.min_image_side),
        kafka_check=kafka_probe(producer, UPLOADS.resolve(settings.topic_prefix)),
        expected_consumers=ready_groups(settings),
        heartbeat_stale_seconds=settings.heartbeat_stale_seconds,
        decode_slots=asyncio.Semaphore(settings.max_concurrent_decodes),
        auth=auth_config(settings),
        rates=rate_limits(settings, engine),
    )
    config = uvicorn.Config(
        create_app(deps),
        host=settings.edge_host,
        port=settings.edge_port,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    relay = asyncio.create_task(relay_forever(engine, deps.publisher))
    try:
        await uvicorn.Server(config).serve()
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await producer.stop()
        await engine.dispose()
        await deps.rates.limiter.close()
