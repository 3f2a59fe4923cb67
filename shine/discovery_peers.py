"""Discovery's local peers for `make run`: the Firecrawl fake and a firecrawl-mcp server over streamable HTTP.

The MCP server runs as `python -m shine.discovery_peers mcp-http`, which replaces itself with node so the key
(if any) travels in the environment, never on a command line.
"""

from __future__ import annotations

import os
import sys

from infra import firecrawl_mcp
from infra.firecrawl_mcp import FirecrawlTarget
from shine.discovery_settings import HOST, firecrawl_api_url
from shine.settings import Settings, load_settings


def fake_argv(settings: Settings) -> list[str]:
    """The Firecrawl fake on loopback over the configured (else shipped) pages."""
    cmd = [sys.executable, "-m", "infra.firecrawl_fake", "--port", str(settings.firecrawl_fake_port)]
    return cmd + (["--pages", str(settings.firecrawl_fake_pages)] if settings.firecrawl_fake_pages else [])


def prepare_mcp(settings: Settings) -> None:
    """Install firecrawl-mcp with npm once (under var/tools)."""
    firecrawl_mcp.ensure_installed()


def mcp_argv(settings: Settings) -> list[str]:
    """This module, serving MCP over streamable HTTP on the configured port."""
    return [sys.executable, "-m", "shine.discovery_peers", "mcp-http"]


def target(settings: Settings) -> FirecrawlTarget:
    """The Firecrawl API the servers talk to, with its key."""
    return FirecrawlTarget(firecrawl_api_url(settings), settings.firecrawl_api_key)


def _serve_mcp_http() -> None:
    settings = load_settings()
    entry = firecrawl_mcp.ensure_installed()
    env = firecrawl_mcp.http_env(target(settings), settings.firecrawl_mcp_port, HOST)
    os.chdir(firecrawl_mcp.DEFAULT_TOOLS_DIR)
    node = firecrawl_mcp.node_binary()
    os.execve(node, [node, str(entry)], env)


if __name__ == "__main__":
    if sys.argv[1:] != ["mcp-http"]:
        raise SystemExit("usage: python -m shine.discovery_peers mcp-http")
    _serve_mcp_http()
