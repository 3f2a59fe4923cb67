"""Start and stop the demo storefront as a detached process (`python -m infra.storefront`), like the other peers."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from infra.processes import port_open, read_pid, start_detached, stop_pid, tail

HOST = "127.0.0.1"
# Readiness probes go straight to loopback, whatever *_proxy variables say.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class StorefrontProcess:
    """A reachable storefront and whether this call started it."""

    url: str
    pid: int | None
    started_here: bool


def _pid_file(var_dir: Path) -> Path:
    return var_dir / "run" / "storefront.pid"


def is_storefront(url: str) -> bool:
    """Whether a demo storefront answers at url."""
    try:
        with _DIRECT.open(f"{url}/_admin/health", timeout=2) as response:
            return bool(json.load(response).get("name") == "storefront")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def ensure_storefront(var_dir: Path, port: int, log_dir: Path | None = None, timeout: float = 20) -> StorefrontProcess:
    """Return the storefront on 127.0.0.1:port, starting it if nothing listens there."""
    var_dir = var_dir.resolve()
    url = f"http://{HOST}:{port}"
    pid_file = _pid_file(var_dir)
    if port_open(HOST, port):
        if not is_storefront(url):
            raise RuntimeError(f"{url} is taken by something that is not the demo storefront")
        return StorefrontProcess(url, read_pid(pid_file), started_here=False)
    log = (log_dir or var_dir / "log").resolve() / "storefront.log"
    print(f"storefront: starting on {url} (log: {log})", file=sys.stderr)
    proc = start_detached([sys.executable, "-m", "infra.storefront", "--port", str(port)], log, pid_file)
    deadline = time.monotonic() + timeout
    while not is_storefront(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_pid(pid_file, timeout=5)
            raise RuntimeError(f"the storefront did not come up on {url}; last lines of {log}:\n{tail(log)}")
        time.sleep(0.1)
    return StorefrontProcess(url, proc.pid, started_here=True)


def stop_storefront(var_dir: Path) -> bool:
    """Stop the storefront recorded under var_dir; True if it was running."""
    return stop_pid(_pid_file(var_dir.resolve()), timeout=5.0)
