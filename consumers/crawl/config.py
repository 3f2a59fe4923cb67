"""Configuration of the MCP pool and of a discovery run (frozen; the settings layer fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mcp import StdioServerParameters


@dataclass(frozen=True)
class ServerSpec:
    """One MCP server: launched as a child over stdio, or reached over streamable HTTP at `url`."""

    name: str
    stdio: StdioServerParameters | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.stdio is None) == (self.url is None):
            raise ValueError(f"server {self.name!r} needs exactly one of stdio parameters or a url")

    @property
    def transport(self) -> str:
        return "stdio" if self.stdio is not None else "http"


@dataclass(frozen=True)
class PoolConfig:
    """Timeouts, retries, breaker, health-check and rate settings of the pool (seconds unless named)."""

    call_timeout: float = 30.0
    connect_timeout: float = 30.0
    max_attempts: int = 3
    backoff_base: float = 0.2
    backoff_cap: float = 5.0
    breaker_failures: int = 3
    breaker_reset: float = 15.0
    health_interval: float = 10.0
    reconnect_cap: float = 30.0
    acquire_wait: float = 2.0
    server_rate: float = 10.0
    server_burst: float = 20.0


@dataclass(frozen=True)
class DiscoveryConfig:
    """Limits of one discovery run."""

    max_queries: int = 4
    hits_per_query: int = 8
    max_scrapes: int = 16
    scrape_concurrency: int = 4
    site_rate: float = 2.0
    site_burst: float = 4.0
    site_wait: float = 5.0
    blocked_domains: frozenset[str] = field(default_factory=frozenset)
