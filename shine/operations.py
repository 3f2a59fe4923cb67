"""Operator commands: provision, migrate, stop, status, tokens."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import make_url

from api_edge.users.session_rules import SessionPolicy
from api_edge.users.sessions import open_session
from infra.kafka_local import ensure_kafka, stop_kafka
from infra.postgres_local import ensure_postgres, stop_postgres
from infra.topics import ensure_topics
from shine.payments_status import payments_status
from shine.peers import prepare_peers
from shine.settings import Settings
from shine.signin import oidc_config
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.users import accounts


def up(settings: Settings) -> dict[str, bool]:
    """Provision Kafka and Postgres (unless external ones are configured), migrate, create topics."""
    started = {"kafka": False, "postgres": False}
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if settings.kafka_bootstrap is None:
        kafka = ensure_kafka(
            settings.var_dir,
            settings.kafka_port,
            settings.kafka_controller_port,
            kafka_home=settings.kafka_home,
            log_dir=settings.log_dir,
        )
        started["kafka"] = kafka.started_here
    if settings.database_url is None:
        started["postgres"] = ensure_postgres(settings.var_dir, settings.pg_port, log_dir=settings.log_dir).started_here
    migrate(settings)
    created = asyncio.run(ensure_topics(settings.kafka_servers, settings.topic_prefix))
    prepare_peers(settings)
    print(
        f"shine is up: kafka {settings.kafka_servers}, postgres {masked(settings.db_url)}"
        + (f", created topics {', '.join(created)}" if created else ""),
        file=sys.stderr,
    )
    return started


def migrate(settings: Settings) -> None:
    """Apply database migrations."""
    upgrade(settings.db_url)


def down(settings: Settings, only: dict[str, bool] | None = None) -> None:
    """Stop the local Kafka and Postgres (only those this project runs under var/)."""
    if settings.kafka_bootstrap is None and (only is None or only["kafka"]):
        stop_kafka(settings.var_dir)
    if settings.database_url is None and (only is None or only["postgres"]):
        stop_postgres(settings.var_dir)


def masked(url: str) -> str:
    """A database URL safe to print."""
    return make_url(url).render_as_string(hide_password=True)


def status(settings: Settings, consumers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The settings in effect, as `shine status --json` prints them."""
    return {
        "edge_url": f"http://{settings.edge_host}:{settings.edge_port}",
        "kafka_bootstrap": settings.kafka_servers,
        "database_url": masked(settings.db_url),
        "topic_prefix": settings.topic_prefix,
        "blob_dir": str(settings.blobs_path),
        "consumers": consumers,
        "signin": _signin_status(settings),
        **payments_status(settings),
    }


async def token(settings: Settings, email: str, role: str | None) -> str:
    """Create the user if needed and open a session; returns the bearer token."""
    engine = create_engine(settings.db_url, pool_size=1)
    lifetime = timedelta(seconds=settings.operator_token_ttl_seconds)
    policy = SessionPolicy(
        access_ttl=lifetime,
        refresh_ttl=None,
        idle_timeout=lifetime,
        absolute_lifetime=lifetime,
        max_sessions=settings.max_sessions_per_user,
    )
    try:
        async with engine.begin() as conn:
            user_id = await accounts.ensure_user(conn, email, role)
            return (await open_session(conn, user_id, policy, agent="shine-cli")).access_token
    finally:
        await engine.dispose()


def _signin_status(settings: Settings) -> dict[str, Any]:
    config = oidc_config(settings)
    return {"discovery_url": config.discovery_url, "local": config.local, "redirect_uris": list(config.redirect_uris)}
