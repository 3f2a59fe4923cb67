"""Discovery peers for a test stack: the Firecrawl fake and two firecrawl-mcp servers over streamable HTTP.

Both servers are this module's children, so a test can kill one mid-run (or both) and start them again on
the same ports. The stack's crawl consumer gets them through SHINE_CRAWL_SERVERS; its cache keeps nothing
fresh (max age 0), so every lookup asks a server and only an outage falls back to what is cached.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from infra import firecrawl_mcp
from infra.firecrawl_fake.process import api_url, start_fake, stop_fake
from infra.firecrawl_mcp import FirecrawlTarget
from tests.support.services import free_port

SERVERS = ("mcp-a", "mcp-b")


@dataclass
class DiscoveryPeers:
    """The running fake and MCP servers, and the settings that point a stack at them."""

    logs: Path
    fake_url: str
    fake: subprocess.Popen[bytes]
    ports: dict[str, int]
    servers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def target(self) -> FirecrawlTarget:
        return FirecrawlTarget(api_url=self.fake_url)

    @property
    def settings(self) -> dict[str, object]:
        servers = [{"name": n, "transport": "http", "url": firecrawl_mcp.http_url(p)} for n, p in self.ports.items()]
        return {
            "crawl_servers": json.dumps(servers),
            "firecrawl_api_url": self.fake_url,
            "crawl_call_timeout_seconds": 10.0,
            "crawl_cache_max_age_seconds": 0.0,
        }

    def start(self, name: str) -> None:
        """Start (or restart, on its port) one MCP server."""
        log = self.logs / f"{name}.log"
        self.servers[name] = firecrawl_mcp.start_http_server(self.target, self.ports[name], log)

    def kill(self, name: str) -> None:
        """Kill one MCP server at once (SIGKILL), as a crash would."""
        proc = self.servers[name]
        proc.kill()
        proc.wait(10)

    def running(self, name: str) -> bool:
        return self.servers[name].poll() is None

    def fault(self, endpoint: str, delay: float = 0.0, status: int | None = None, times: int = -1) -> None:
        """Make the fake slow, or fail, on an endpoint."""
        body = {"endpoint": endpoint, "status": status, "delay": delay, "times": times}
        httpx.post(f"{self.fake_url}/_fake/faults", json=body, trust_env=False).raise_for_status()

    def clear(self) -> None:
        httpx.delete(f"{self.fake_url}/_fake/faults", trust_env=False).raise_for_status()


def start_discovery_peers(logs: Path) -> DiscoveryPeers:
    """The fake on a free port and both MCP servers (firecrawl-mcp installed with npm if missing)."""
    firecrawl_mcp.ensure_installed()
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    peers = DiscoveryPeers(logs, api_url(port), start_fake(port, logs / "firecrawl-fake.log"), {})
    peers.ports = {name: free_port() for name in SERVERS}
    try:
        for name in SERVERS:
            peers.start(name)
    except Exception:
        stop_discovery_peers(peers)
        raise
    return peers


def stop_discovery_peers(peers: DiscoveryPeers) -> None:
    """Stop what start_discovery_peers started."""
    for proc in peers.servers.values():
        firecrawl_mcp.stop_server(proc)
    stop_fake(peers.fake)
