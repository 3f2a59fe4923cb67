"""Real local peers for discovery: the Firecrawl fake and the real firecrawl-mcp from npm (installed if missing).

No Kafka or Postgres. Servers bind 127.0.0.1 only; each fixture stops what it started.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from consumers.crawl.cache import ResultsCache
from consumers.crawl.config import PoolConfig, ServerSpec
from consumers.crawl.discovery import DiscoveryCaches
from consumers.crawl.domain.models import AnalysisProfile, DiscoveryRequest, SearchHit
from consumers.crawl.progress import Progress
from infra import firecrawl_mcp
from infra.firecrawl_fake.process import api_url, start_fake, stop_fake
from infra.firecrawl_mcp import FirecrawlTarget
from tests.support.services import free_port

# Short enough that failover shows within a test, long enough for a loaded 2-core machine.
POOL_CONFIG = PoolConfig(
    call_timeout=15,
    connect_timeout=30,
    max_attempts=3,
    backoff_base=0.05,
    backoff_cap=0.5,
    breaker_failures=2,
    breaker_reset=30,
    health_interval=2,
    reconnect_cap=1.0,
    acquire_wait=1.0,
)


@dataclass
class Fake:
    """The running Firecrawl fake."""

    url: str
    proc: subprocess.Popen[bytes]

    def fault(self, endpoint: str, status: int | None = None, delay: float = 0, times: int = -1) -> None:
        body = {"endpoint": endpoint, "status": status, "delay": delay, "times": times}
        httpx.post(f"{self.url}/_fake/faults", json=body, trust_env=False).raise_for_status()

    def clear(self) -> None:
        httpx.delete(f"{self.url}/_fake/faults", trust_env=False).raise_for_status()

    def requests(self) -> dict[str, int]:
        answer: dict[str, int] = httpx.get(f"{self.url}/_fake/requests", trust_env=False).json()
        return answer


@dataclass
class HttpServers:
    """Streamable-HTTP firecrawl-mcp servers started for one test."""

    target: FirecrawlTarget
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    ports: dict[str, int] = field(default_factory=dict)

    def start(self, name: str) -> ServerSpec:
        port = self.ports.setdefault(name, free_port())  # a restart reuses the server's port
        self.procs[name] = firecrawl_mcp.start_http_server(self.target, port, self.logs / f"{name}.log")
        return ServerSpec(name, url=firecrawl_mcp.http_url(port))

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="session")
def firecrawl_installed() -> Path:
    # A fresh machine (CI) installs firecrawl-mcp@3.26.0 with npm here; a missing npm fails, never skips.
    return firecrawl_mcp.ensure_installed()


@pytest.fixture(scope="session")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fake]:
    port = free_port()
    proc = start_fake(port, tmp_path_factory.mktemp("firecrawl-fake") / "fake.log")
    try:
        yield Fake(api_url(port), proc)
    finally:
        stop_fake(proc)


@pytest.fixture
def target(fake: Fake, firecrawl_installed: Path) -> Iterator[FirecrawlTarget]:
    fake.clear()
    yield FirecrawlTarget(api_url=fake.url)
    fake.clear()


@pytest.fixture
def stdio_spec(target: FirecrawlTarget) -> ServerSpec:
    return ServerSpec("stdio-1", stdio=firecrawl_mcp.stdio_parameters(target))


@pytest.fixture
def http_servers(target: FirecrawlTarget, tmp_path: Path) -> Iterator[HttpServers]:
    servers = HttpServers(target, tmp_path)
    try:
        yield servers
    finally:
        for proc in servers.procs.values():
            firecrawl_mcp.stop_server(proc)


def fresh_caches(ttl: float = 600, max_age: float = 86400) -> DiscoveryCaches:
    """Empty caches under unique metric names."""
    tag = uuid.uuid4().hex[:8]
    searches: ResultsCache[list[SearchHit]] = ResultsCache(f"searches-{tag}", ttl, max_age)
    return DiscoveryCaches(searches, ResultsCache(f"pages-{tag}", ttl, max_age))


def oily_acne_request(**changes: object) -> DiscoveryRequest:
    """An oily-skin analysis with oiliness, pores and acne concerns."""
    scores = {"redness": 85.0, "oiliness": 30.0, "pores": 45.0, "acne": 50.0, "pigmentation": 80.0, "wrinkles": 90.0}
    profile = AnalysisProfile(uuid.uuid4(), "oily", scores, ("acne",))
    base: dict[str, object] = {"discovery_id": uuid.uuid4(), "user_id": uuid.uuid4(), "analysis": profile}
    return DiscoveryRequest(**{**base, **changes})  # type: ignore[arg-type]


class ProgressLog:
    """Collects progress updates."""

    def __init__(self) -> None:
        self.updates: list[Progress] = []

    async def __call__(self, update: Progress) -> None:
        self.updates.append(update)

    def stages(self) -> list[str]:
        return list(dict.fromkeys(update.stage for update in self.updates))
