"""Discovery settings (the MCP servers, the Firecrawl API behind them, cache, limits) and what they mean in effect.

Unset, everything is local: the Firecrawl fake on 127.0.0.1:SHINE_FIRECRAWL_FAKE_PORT serving the fixture pages,
and two firecrawl-mcp servers in front of it — one the crawl consumer launches over stdio, one over streamable
HTTP on SHINE_FIRECRAWL_MCP_PORT (a supervised peer). SHINE_FIRECRAWL_API_URL (with SHINE_FIRECRAWL_API_KEY)
points every server at a real Firecrawl instead; SHINE_CRAWL_SERVERS lists the servers explicitly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from shine.settings import Settings

HOST = "127.0.0.1"


class DiscoverySettings(BaseModel):
    """SHINE_* names are the field names upper-cased."""

    crawl_servers: str | None = None  # JSON list, infra/firecrawl_mcp.server_specs; unset: local stdio + HTTP
    firecrawl_api_url: str | None = None  # unset: the local Firecrawl fake
    firecrawl_api_key: str | None = None
    firecrawl_fake_port: int = Field(default=3002, ge=1, le=65535)
    firecrawl_fake_pages: Path | None = None  # a directory with manifest.json; unset: the shipped fixture pages
    firecrawl_mcp_port: int = Field(default=3011, ge=1, le=65535)
    crawl_call_timeout_seconds: float = Field(default=30.0, gt=0)
    crawl_cache_ttl_seconds: float = Field(default=3600.0, ge=0)
    crawl_cache_max_age_seconds: float = Field(default=7 * 86400.0, ge=0)
    crawl_blocked_domains: tuple[str, ...] = ()
    discovery_max_running_per_user: int = Field(default=2, ge=1)
    discovery_deadline_seconds: float = Field(default=600.0, gt=0)
    discovery_ticket_ttl_seconds: int = Field(default=30, ge=1, le=300)


def firecrawl_is_local(settings: Settings) -> bool:
    """Whether the Firecrawl API is the local fake (no real service configured)."""
    return settings.firecrawl_api_url is None


def firecrawl_api_url(settings: Settings) -> str:
    """The Firecrawl API every MCP server talks to."""
    return settings.firecrawl_api_url or f"http://{HOST}:{settings.firecrawl_fake_port}"


def local_mcp_url(settings: Settings) -> str:
    """The MCP endpoint of the local streamable-HTTP firecrawl-mcp peer."""
    return f"http://{HOST}:{settings.firecrawl_mcp_port}/mcp"


def crawl_servers(settings: Settings) -> str:
    """The servers in effect as SHINE_CRAWL_SERVERS JSON: configured, else local stdio and the HTTP peer."""
    if settings.crawl_servers is not None:
        return settings.crawl_servers
    return json.dumps(
        [
            {"name": "firecrawl-stdio", "transport": "stdio"},
            {"name": "firecrawl-http", "transport": "http", "url": local_mcp_url(settings)},
        ]
    )


def mcp_peer_wanted(settings: Settings) -> bool:
    """Whether the local HTTP firecrawl-mcp server runs (the default server list names it)."""
    return settings.crawl_servers is None
