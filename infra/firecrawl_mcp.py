"""The real `firecrawl-mcp` server from npm: install it under var/tools and launch it over stdio or streamable HTTP.

FIRECRAWL_API_URL is always set: without it the server calls the Firecrawl cloud. Locally it points at the fake
(`infra.firecrawl_fake`); production points it at a real Firecrawl and may add FIRECRAWL_API_KEY.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mcp import StdioServerParameters

from consumers.crawl.config import ServerSpec
from infra.processes import tail, wait_for_port

VERSION = "3.26.0"
PACKAGE = f"firecrawl-mcp@{VERSION}"
DEFAULT_TOOLS_DIR = Path(__file__).resolve().parent.parent / "var" / "tools" / "firecrawl-mcp"
ENTRY = Path("node_modules") / "firecrawl-mcp" / "dist" / "index.js"
# Only what node needs from our environment: a server must never inherit our secrets or proxy settings.
_PASSED_THROUGH = ("PATH", "HOME", "LANG", "TMPDIR", "NODE_OPTIONS")


@dataclass(frozen=True)
class FirecrawlTarget:
    """Which Firecrawl API a server talks to, and the key it presents (none for a self-hosted or fake API)."""

    api_url: str
    api_key: str | None = None


def entry_point(tools_dir: Path = DEFAULT_TOOLS_DIR) -> Path:
    """The server's JavaScript entry point under tools_dir."""
    return tools_dir / ENTRY


def _installed_version(tools_dir: Path) -> str | None:
    manifest = tools_dir / "node_modules" / "firecrawl-mcp" / "package.json"
    if not manifest.exists():
        return None

    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def ensure_installed(tools_dir: Path = DEFAULT_TOOLS_DIR, timeout: float = 600) -> Path:
    """Install firecrawl-mcp@VERSION under tools_dir with npm unless it is there; return the entry point."""
    if _installed_version(tools_dir) == VERSION and entry_point(tools_dir).exists():
        return entry_point(tools_dir)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: install Node.js (20 or newer) to run firecrawl-mcp")
    tools_dir.mkdir(parents=True, exist_ok=True)
    # The package declares node >= 22 but runs on 20; npm only warns about the engine.
    cmd = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(tools_dir), PACKAGE]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not entry_point(tools_dir).exists():
        raise RuntimeError(f"npm install {PACKAGE} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return entry_point(tools_dir)


def node_binary() -> str:
    """The node executable that runs the server."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH: install Node.js (20 or newer) to run firecrawl-mcp")
    return node


def server_env(target: FirecrawlTarget, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a server runs with: a minimal base, the Firecrawl target, and extra variables."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env["FIRECRAWL_API_URL"] = target.api_url
    if target.api_key:
        env["FIRECRAWL_API_KEY"] = target.api_key
    env.update(extra or {})
    return env


def stdio_parameters(target: FirecrawlTarget, tools_dir: Path = DEFAULT_TOOLS_DIR) -> StdioServerParameters:
    """Launch parameters for a server that speaks MCP over its stdin/stdout."""
    return StdioServerParameters(
        command=node_binary(), args=[str(entry_point(tools_dir))], env=server_env(target), cwd=str(tools_dir)
    )


def http_command(tools_dir: Path = DEFAULT_TOOLS_DIR) -> list[str]:
    """The command that runs a streamable-HTTP server (configured through http_env)."""
    return [node_binary(), str(entry_point(tools_dir))]


def http_env(target: FirecrawlTarget, port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """Environment for a streamable-HTTP server on host:port, serving MCP at /mcp."""
    return server_env(target, {"HTTP_STREAMABLE_SERVER": "true", "PORT": str(port), "HOST": host})


def http_url(port: int, host: str = "127.0.0.1") -> str:
    """The MCP endpoint of a streamable-HTTP server started with http_env."""
    return f"http://{host}:{port}/mcp"


def start_http_server(
    target: FirecrawlTarget, port: int, log: Path, tools_dir: Path = DEFAULT_TOOLS_DIR, timeout: float = 60
) -> subprocess.Popen[bytes]:
    """Start a streamable-HTTP server on 127.0.0.1:port and wait until it listens."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            http_command(tools_dir),
            env=http_env(target, port),
            cwd=str(tools_dir),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port("127.0.0.1", port, timeout, proc=proc, log=log)
    except RuntimeError:
        stop_server(proc)
        raise
    return proc


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Stop a server started by start_http_server (SIGTERM, then SIGKILL)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def describe_failure(log: Path) -> str:
    """The end of a server's log, for error messages."""
    return tail(log)


def server_specs(raw: str, target: FirecrawlTarget, tools_dir: Path = DEFAULT_TOOLS_DIR) -> list[ServerSpec]:
    """Pool servers from JSON (SHINE_CRAWL_SERVERS): `[{"name": "a", "transport": "stdio"},
    {"name": "b", "transport": "http", "url": "http://127.0.0.1:3011/mcp"}]`; stdio servers run firecrawl-mcp."""
    try:
        entries = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"crawl servers are not JSON: {exc}") from exc
    if not isinstance(entries, list) or not entries:
        raise ValueError("crawl servers must be a non-empty JSON list")
    specs: list[ServerSpec] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValueError(f"crawl server #{index} must be an object")
        name = str(entry.get("name") or f"firecrawl-{index + 1}")
        transport = entry.get("transport", "stdio")
        if transport == "stdio":
            specs.append(ServerSpec(name, stdio=stdio_parameters(target, tools_dir)))
        elif transport == "http" and isinstance(entry.get("url"), str):
            specs.append(ServerSpec(name, url=entry["url"]))
        else:
            raise ValueError(f"crawl server {name!r}: transport must be 'stdio', or 'http' with a url")
    return specs
