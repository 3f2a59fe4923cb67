"""A local OpenID Connect provider for tests (navikt's mock-oauth2-server) run from jars, without Docker."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.maven import resolve_jars
from infra.processes import port_open, read_pid, start_detached, stop_pid, tail, wait_for_port

# The provider derives each issuer from the Host header: "localhost" everywhere keeps `iss` exact.
HOST = "localhost"
PROBE_HOST = "127.0.0.1"
POM = Path(__file__).parent / "oidc" / "pom.xml"
MAIN_CLASS = "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"
# Readiness probes go straight to localhost, whatever *_proxy variables say.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class OidcProvider:
    """A reachable provider and whether this call started it."""

    base_url: str
    pid: int | None
    started_here: bool

    def issuer(self, issuer_id: str) -> str:
        """The exact `iss` of tokens from issuer_id."""
        return f"{self.base_url}/{issuer_id}"

    def discovery_url(self, issuer_id: str) -> str:
        return f"{self.issuer(issuer_id)}/.well-known/openid-configuration"


def _pid_file(var_dir: Path, port: int) -> Path:
    return var_dir / "run" / f"oidc-{port}.pid"


def _config_file(var_dir: Path, port: int) -> Path:
    return var_dir / "oidc" / f"config-{port}.json"


def _first_issuer_id(config: dict[str, Any]) -> str:
    """The issuer whose discovery proves readiness; the provider serves any id, "default" included."""
    callbacks = config.get("tokenCallbacks") or [{}]
    return str(callbacks[0].get("issuerId", "default"))


def _discovery_issuer(url: str) -> str | None:
    """The issuer announced at a discovery URL, or None if it does not answer 200 with JSON."""
    try:
        with _DIRECT.open(url, timeout=2) as response:
            if response.status != 200:
                return None
            return str(json.load(response).get("issuer"))
    except (OSError, ValueError):
        return None


def _wait_discovery(provider: OidcProvider, issuer_id: str, pid_file: Path, deadline: float, log: Path) -> None:
    """Wait until discovery of issuer_id answers with exactly the expected issuer."""
    url, expected = provider.discovery_url(issuer_id), provider.issuer(issuer_id)
    while (found := _discovery_issuer(url)) != expected:
        if provider.started_here and read_pid(pid_file) is None:
            raise RuntimeError(f"oidc provider {provider.pid} exited; last lines of {log}:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} gave issuer {found!r}, not {expected!r}; last lines of {log}:\n{tail(log)}")
        time.sleep(0.1)


def ensure_oidc_provider(
    var_dir: Path,
    port: int,
    config: dict[str, Any],
    log_dir: Path | None = None,
    timeout: float = 60,
) -> OidcProvider:
    """Return a provider on localhost:port, starting one with config if nothing listens there."""
    var_dir = var_dir.resolve()
    base_url = f"http://{HOST}:{port}"
    pid_file = _pid_file(var_dir, port)
    log_dir = (log_dir or var_dir / "log").resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"oidc-{port}.log"
    config_file = _config_file(var_dir, port)
    issuer_id = _first_issuer_id(config)
    deadline = time.monotonic() + timeout
    running = read_pid(pid_file)
    if port_open(PROBE_HOST, port) or running is not None:
        # Ours, or a racing call's that is still starting: wait for it rather than start a second.
        if config_file.exists() and json.loads(config_file.read_text()) != config:
            raise RuntimeError(f"a provider with another config runs on port {port} ({config_file}); stop it first")
        found = OidcProvider(base_url, running, started_here=False)
        _wait_discovery(found, issuer_id, pid_file, deadline, log)
        return found
    libs = resolve_jars(POM, var_dir / "oidc" / "libs", "mock-oauth2-server-*.jar", log_dir / "mvn-oidc.log", "oidc")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("the OIDC provider needs java 11+: apt-get install -y default-jre-headless")
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(json.dumps(config, indent=2))
    env = {**os.environ, "SERVER_PORT": str(port), "JSON_CONFIG_PATH": str(config_file)}
    # A short-lived test server: C1-only JIT starts it faster, and it never gets hot enough to need C2.
    cmd = [java, "-Xmx256m", "-Xms64m", "-XX:TieredStopAtLevel=1", "-cp", f"{libs}/*", MAIN_CLASS]
    print(f"oidc: starting provider on {base_url} (log: {log})", file=sys.stderr)
    proc = start_detached(cmd, log, pid_file, env=env)
    started = OidcProvider(base_url, proc.pid, started_here=True)
    try:
        wait_for_port(PROBE_HOST, port, max(deadline - time.monotonic(), 0.1), proc=proc, log=log)
        _wait_discovery(started, issuer_id, pid_file, deadline, log)
    except RuntimeError:
        stop_pid(pid_file, timeout=10)
        raise
    print(f"oidc: ready at {started.issuer(issuer_id)} (pid {proc.pid})", file=sys.stderr)
    return started


def stop_oidc_provider(var_dir: Path, port: int) -> bool:
    """Stop the provider recorded under var_dir for port; True if one was running."""
    var_dir = var_dir.resolve()
    stopped = stop_pid(_pid_file(var_dir, port), timeout=10.0)
    _config_file(var_dir, port).unlink(missing_ok=True)
    return stopped
