"""An isolated running system: edge + consumers as processes, its own database, topics and ports."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from consumers.registry import GROUPS
from infra.oidc_local import OidcProvider
from infra.postgres_local import create_database
from infra.topics import ensure_topics
from shine.settings import Settings
from storage.migrate import upgrade
from tests.support.discovery import DiscoveryPeers, start_discovery_peers, stop_discovery_peers
from tests.support.oidc import (
    ALL_REDIRECT_URIS,
    CLIENT_ID,
    CLIENT_SECRET,
    GOOGLE_ISSUER_ID,
    start_provider,
    stop_provider,
)
from tests.support.payments import PaymentPeers, start_payment_peers, stop_payment_peers
from tests.support.polling import eventually
from tests.support.services import PG_PORT, ROOT, TestServices, env_for, free_port_run, spawn, stop


@dataclass(frozen=True)
class Stack:
    settings: Settings
    base_url: str
    logs: Path

    def shine(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a `shine` command against this stack."""
        return subprocess.run(
            [sys.executable, "-m", "shine.cli", *args],
            cwd=ROOT,
            env=env_for(self.settings),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def token(self, email: str, role: str | None = None) -> str:
        done = self.shine("token", "--email", email, *(("--role", role) if role else ()))
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@pytest.fixture(scope="session")
def oidc(services: TestServices) -> Iterator[OidcProvider]:
    provider = start_provider(services.var_dir)
    try:
        yield provider
    finally:
        stop_provider(services.var_dir, provider)


def auth_settings(provider: OidcProvider, issuer_id: str = GOOGLE_ISSUER_ID) -> dict[str, object]:
    """Settings that point the edge at the test provider (and lift rate limits, which polling would hit)."""
    unlimited = 1_000_000
    return {
        "oidc_discovery_url": provider.discovery_url(issuer_id),
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_redirect_uris": ALL_REDIRECT_URIS,
        "rate_limit_auth_per_ip": unlimited,
        "rate_limit_auth_per_user": unlimited,
        "rate_limit_default_per_ip": unlimited,
        "rate_limit_default_per_user": unlimited,
    }


@pytest.fixture(scope="session")
def payment_peers(services: TestServices) -> Iterator[PaymentPeers]:
    peers = start_payment_peers(services.var_dir)
    try:
        yield peers
    finally:
        stop_payment_peers(services.var_dir, peers)


@pytest.fixture(scope="session")
def discovery_peers(services: TestServices) -> Iterator[DiscoveryPeers]:
    peers = start_discovery_peers(services.var_dir / "discovery")
    try:
        yield peers
    finally:
        stop_discovery_peers(peers)


@pytest.fixture(scope="session")
def stack(
    services: TestServices,
    oidc: OidcProvider,
    payment_peers: PaymentPeers,
    discovery_peers: DiscoveryPeers,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    run = uuid.uuid4().hex[:8]
    create_database(PG_PORT, f"shine_e2e_{run}")
    url = services.database_url.rsplit("/", 1)[0] + f"/shine_e2e_{run}"
    upgrade(url)
    var_dir = tmp_path_factory.mktemp("stack")
    var_dir.chmod(0o755)
    settings = services.settings(
        database_url=url,
        topic_prefix=f"{services.prefix}e2e{run}.",
        var_dir=var_dir,
        edge_port=payment_peers.edge_port,
        metrics_port_base=free_port_run(len(GROUPS) + 1),
        **auth_settings(oidc),
        **payment_peers.settings,
        **discovery_peers.settings,
    )
    asyncio.run(ensure_topics(settings.kafka_servers, settings.topic_prefix))
    logs = var_dir / "log"
    logs.mkdir()
    procs = [spawn(settings, "edge", log=logs / "edge.log")]
    procs += [spawn(settings, "consume", g.name, log=logs / f"{g.name}.log") for g in GROUPS]
    try:
        yield Stack(settings, f"http://{settings.edge_host}:{settings.edge_port}", logs)
    finally:
        for proc in procs:
            stop(proc)


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    """The user's browser, talking to the sign-in provider."""
    async with httpx.AsyncClient(timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/ready")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, timeout=60, every=0.25, what="the stack to be ready")
        yield http
