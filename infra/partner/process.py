"""Start and stop a local partner as a detached process (`python -m infra.partner`), like the other local peers."""

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
class PartnerProcess:
    """A reachable partner and whether this call started it."""

    name: str
    url: str
    pid: int | None
    started_here: bool


def _pid_file(var_dir: Path, name: str) -> Path:
    return var_dir / "run" / f"partner-{name}.pid"


def _health_name(url: str) -> str | None:
    """The name a partner announces at url, or None if nothing answers like one."""
    try:
        with _DIRECT.open(f"{url}/_admin/health", timeout=2) as response:
            return str(json.load(response).get("name"))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def ensure_partner(
    var_dir: Path,
    name: str,
    port: int,
    webhook_url: str,
    secret: str,
    log_dir: Path | None = None,
    api_key: str | None = None,
    timeout: float = 20,
) -> PartnerProcess:
    """Return partner `name` on 127.0.0.1:port, starting it if nothing listens there."""
    var_dir = var_dir.resolve()
    url = f"http://{HOST}:{port}"
    pid_file = _pid_file(var_dir, name)
    log = (log_dir or var_dir / "log").resolve() / f"partner-{name}.log"
    if port_open(HOST, port):
        found = _health_name(url)
        if found != name:
            raise RuntimeError(f"{url} is taken by {found or 'something that is not a partner'}, not partner {name}")
        return PartnerProcess(name, url, read_pid(pid_file), started_here=False)
    state = var_dir / "partner" / f"{name}.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "infra.partner", "--port", str(port), "--name", name]
    cmd += ["--webhook-url", webhook_url, "--secret", secret, "--state-file", str(state)]
    cmd += ["--api-key", api_key] if api_key else []
    print(f"partner {name}: starting on {url} (log: {log})", file=sys.stderr)
    # The project is installed (editable) in this interpreter, so `-m infra.partner` works from any directory.
    proc = start_detached(cmd, log, pid_file)
    deadline = time.monotonic() + timeout
    while _health_name(url) != name:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_pid(pid_file, timeout=5)
            raise RuntimeError(f"partner {name} did not come up on {url}; last lines of {log}:\n{tail(log)}")
        time.sleep(0.1)
    return PartnerProcess(name, url, proc.pid, started_here=True)


def stop_partner(var_dir: Path, name: str) -> bool:
    """Stop partner `name` recorded under var_dir; True if it was running."""
    return stop_pid(_pid_file(var_dir.resolve(), name), timeout=5.0)
