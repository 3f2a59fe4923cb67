"""The edge's dependencies, opened for the application's lifespan and handed to each context, typed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from api_edge.admin.deps import AdminDeps
from api_edge.analysis.backlog_meter import BacklogMeter
from api_edge.analysis.deps import AnalysisDeps, Backpressure, UploadLimits
from api_edge.analysis.paths import Urls
from api_edge.discovery.deps import DiscoveryDeps, DiscoveryLimits, DiscoveryUrls
from api_edge.guard import GuardDeps
from api_edge.oidc import OidcClient
from api_edge.payments.build import payments_deps
from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database, bounded_engine
from api_edge.platform.idempotency import Idempotency
from api_edge.rate_limit import Limit, RateLimiter
from api_edge.recommendations.deps import RecommendationDeps
from api_edge.system.deps import SystemDeps
from api_edge.users.deps import UsersDeps
from api_edge.users.session_rules import SessionPolicy
from consumers.registry import ready_groups
from events.topics import UPLOADS
from producers.outbox import relay_forever
from shine.settings import Settings
from shine.signin import oidc_config
from storage.blobs import BlobStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edge:
    """Every context's dependencies; a route receives only its own context's."""

    system: SystemDeps
    users: UsersDeps
    admin: AdminDeps
    analysis: AnalysisDeps
    guard: GuardDeps
    payments: PaymentsDeps
    recommendations: RecommendationDeps
    discovery: DiscoveryDeps


def session_policy(settings: Settings) -> SessionPolicy:
    """Session lifetimes from settings."""
    return SessionPolicy(
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
        idle_timeout=timedelta(seconds=settings.session_idle_timeout_seconds),
        absolute_lifetime=timedelta(seconds=settings.session_absolute_lifetime_seconds),
        max_sessions=settings.max_sessions_per_user,
    )


def ip_limits(settings: Settings) -> tuple[Limit, Limit]:
    """Per-client-IP budgets: sign-in paths, everything else."""
    window = settings.rate_limit_window_seconds
    return Limit(settings.rate_limit_auth_per_ip, window), Limit(settings.rate_limit_default_per_ip, window)


def _edge(settings: Settings, db: Database, bus: Bus, limiter: RateLimiter) -> Edge:
    timeout, retry = settings.dependency_timeout_seconds, settings.retry_after_seconds
    window, backlog = settings.rate_limit_window_seconds, BacklogMeter(db)
    policy = session_policy(settings)
    signin = oidc_config(settings)
    if signin.local:
        log.warning("sign-in uses the local OpenID provider (anyone signs in as anyone): set SHINE_OIDC_CLIENT_ID")
    oidc = OidcClient(
        signin.discovery_url, signin.client_id, signin.client_secret, settings.oidc_scope, timeout=timeout
    )
    # An in-flight key is abandoned once its work could not still be running (each step is bounded).
    lease = timedelta(seconds=max(30.0, 6 * timeout))
    analysis = AnalysisDeps(
        db=db,
        bus=bus,
        blobs=BlobStore(settings.blobs_path),
        limits=UploadLimits(settings.max_upload_bytes, settings.max_image_pixels, settings.min_image_side),
        decode_slots=asyncio.Semaphore(settings.max_concurrent_decodes),
        decode_wait_seconds=timeout,
        urls=Urls(settings.edge_url),
        backlog=backlog,
        backpressure=Backpressure(settings.max_analysis_backlog, settings.premium_backlog_share, retry),
        idempotency=Idempotency(db, timedelta(seconds=settings.idempotency_ttl_seconds), lease),
        free_analyses_per_month=settings.free_analyses_per_month,
    )
    return Edge(
        system=SystemDeps(
            db,
            bus,
            UPLOADS.resolve(settings.topic_prefix),
            ready_groups(settings),
            settings.heartbeat_stale_seconds,
            backlog,
        ),
        users=UsersDeps(
            db,
            oidc,
            signin.redirect_uris,
            timedelta(seconds=settings.login_ttl_seconds),
            policy,
            settings.topic_prefix,
        ),
        admin=AdminDeps(db),
        analysis=analysis,
        guard=GuardDeps(
            db,
            policy.idle_timeout,
            limiter,
            Limit(settings.rate_limit_auth_per_user, window),
            Limit(settings.rate_limit_default_per_user, window),
        ),
        recommendations=RecommendationDeps(db, bus, analysis.idempotency),
        payments=payments_deps(settings, db, bus, analysis.idempotency),
        discovery=DiscoveryDeps(
            db,
            bus,
            analysis.idempotency,
            DiscoveryUrls(settings.edge_url),
            DiscoveryLimits(
                settings.discovery_max_running_per_user,
                timedelta(seconds=settings.discovery_deadline_seconds),
                timedelta(seconds=settings.discovery_ticket_ttl_seconds),
            ),
        ),
    )


async def _relay(engine: AsyncEngine, bus: Bus) -> None:
    await relay_forever(engine, await bus.wait_connected())


@contextlib.asynccontextmanager
async def open_edge(settings: Settings) -> AsyncIterator[Edge]:
    """Open the database pools, the producer (in the background), the OIDC client and the outbox relay."""
    timeout = settings.dependency_timeout_seconds
    engine = bounded_engine(settings.db_url, pool_size=10, timeout=timeout)
    # Its own small pool: counting must not queue behind the requests it counts.
    limiter = RateLimiter(
        bounded_engine(settings.db_url, pool_size=2, timeout=timeout), timeout_seconds=min(1.0, timeout / 4)
    )
    bus = Bus(settings.kafka_servers, settings.topic_prefix, timeout, settings.retry_after_seconds)
    tasks = [asyncio.create_task(bus.connect_forever()), asyncio.create_task(_relay(engine, bus))]
    try:
        yield _edge(settings, Database(engine, timeout, settings.retry_after_seconds), bus, limiter)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await bus.close()
        await engine.dispose()
        await limiter.close()
