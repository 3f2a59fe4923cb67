"""A local stripe-mock (Stripe's official API mock) built with `go install` and run on 127.0.0.1, without Docker."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from infra.processes import port_open, read_pid, start_detached, stop_pid, tail, wait_for_port

HOST = "127.0.0.1"
MODULE = "github.com/stripe/stripe-mock"
VERSION = "v0.203.0"
BINARY = "stripe-mock"
# stripe-mock accepts any key of the right shape; this one is Stripe's documented test placeholder.
TEST_API_KEY = "sk_test_123"
# Readiness probes go straight to loopback, whatever *_proxy variables say.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class StripeMock:
    """A reachable stripe-mock and whether this call started it."""

    url: str
    pid: int | None
    started_here: bool


def tools_dir(var_dir: Path) -> Path:
    """Where the project installs the Go tools it builds (git-ignored, like the rest of var/)."""
    return var_dir.resolve() / "tools" / "bin"


def _pid_file(var_dir: Path) -> Path:
    return var_dir / "run" / "stripe-mock.pid"


def find_binary(tools: Path) -> Path | None:
    """An installed stripe-mock: the project's tools dir first, then $GOBIN, $GOPATH/bin and PATH."""
    candidates = [tools / BINARY]
    if gobin := os.environ.get("GOBIN"):
        candidates.append(Path(gobin) / BINARY)
    gopath = os.environ.get("GOPATH") or str(Path.home() / "go")
    candidates.append(Path(gopath) / "bin" / BINARY)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which(BINARY)
    return Path(found) if found else None


def _go() -> str:
    """The go toolchain, from PATH or its usual install location."""
    go = shutil.which("go") or next(
        (p for p in ("/usr/local/go/bin/go", "/usr/lib/go/bin/go") if Path(p).is_file()), None
    )
    if go is None:
        raise RuntimeError("stripe-mock is built with a Go 1.22+ toolchain; put `go` on PATH")
    return go


def _report_progress(proc: subprocess.Popen[bytes], log: Path, started: float) -> None:
    """Wait for the build, printing the log's newest line every few seconds so a slow build is visibly alive."""
    last = ""
    while proc.poll() is None:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            line = tail(log, 1).strip()
            if line and line != last:
                print(f"stripe-mock: building ({time.monotonic() - started:.0f}s) {line}", file=sys.stderr)
                last = line


def build(target: Path, log: Path) -> Path:
    """Build stripe-mock into the tools dir `target` with `go install` (about two minutes on a fresh machine)."""
    target.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GOBIN": str(target)}
    cmd = [_go(), "install", f"{MODULE}@{VERSION}"]
    print(f"stripe-mock: go install {MODULE}@{VERSION} into {target} (log: {log})", file=sys.stderr)
    started = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env)
    _report_progress(proc, log, started)
    binary = target / BINARY
    if proc.returncode != 0 or not binary.is_file():
        raise RuntimeError(f"go install {MODULE} failed (exit {proc.returncode}); {log}:\n{tail(log)}")
    print(f"stripe-mock: built in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return binary


def answers(url: str) -> bool:
    """Whether a Stripe API answers at url (a list call with the test key gives 200)."""
    request = urllib.request.Request(f"{url}/v1/customers", headers={"Authorization": f"Bearer {TEST_API_KEY}"})
    try:
        with _DIRECT.open(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_answers(url: str, pid_file: Path, deadline: float, log: Path) -> None:
    """Wait until stripe-mock answers API calls, failing fast if our process died."""
    while not answers(url):
        if read_pid(pid_file) is None:
            raise RuntimeError(f"stripe-mock exited; last lines of {log}:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"stripe-mock does not answer at {url}; last lines of {log}:\n{tail(log)}")
        time.sleep(0.1)


def ensure_stripe_mock(
    var_dir: Path,
    port: int = 12111,
    log_dir: Path | None = None,
    timeout: float = 30,
    tools: Path | None = None,
) -> StripeMock:
    """Return a stripe-mock on 127.0.0.1:port, building (into `tools`) and starting one if nothing listens."""
    var_dir = var_dir.resolve()
    url = f"http://{HOST}:{port}"
    pid_file = _pid_file(var_dir)
    log_dir = (log_dir or var_dir / "log").resolve()
    log = log_dir / "stripe-mock.log"
    running = read_pid(pid_file)
    if port_open(HOST, port) or running is not None:
        # Ours, a racing call's that is still starting, or a developer's own: wait for it rather than start another.
        _wait_answers_foreign(url, running, pid_file, time.monotonic() + timeout, log)
        return StripeMock(url, running, started_here=False)
    tools = tools or tools_dir(var_dir)
    binary = find_binary(tools) or build(tools, log_dir / "stripe-mock-build.log")
    # stripe-mock opens HTTPS on *:12112 unless told otherwise, even with -http-addr (which then collides between
    # instances and listens beyond loopback): park the unused HTTPS listener on a loopback port the OS picks.
    cmd = [str(binary), "-http-addr", f"{HOST}:{port}", "-https-addr", f"{HOST}:0"]
    print(f"stripe-mock: starting on {url} (log: {log})", file=sys.stderr)
    proc = start_detached(cmd, log, pid_file)
    deadline = time.monotonic() + timeout
    try:
        wait_for_port(HOST, port, timeout, proc=proc, log=log)
        _wait_answers(url, pid_file, deadline, log)
    except RuntimeError:
        stop_pid(pid_file, timeout=5)
        raise
    print(f"stripe-mock: ready on {url} (pid {proc.pid})", file=sys.stderr)
    return StripeMock(url, proc.pid, started_here=True)


def _wait_answers_foreign(url: str, running: int | None, pid_file: Path, deadline: float, log: Path) -> None:
    """Wait for a stripe-mock this call did not start; without a pid of ours, only the deadline ends the wait."""
    if running is not None:
        _wait_answers(url, pid_file, deadline, log)
        return
    while not answers(url):
        if time.monotonic() > deadline:
            raise RuntimeError(f"something listens at {url} but it does not answer like stripe-mock")
        time.sleep(0.1)


def local_webhook_secret(var_dir: Path, owner: str = "stripe") -> str:
    """This machine's webhook signing secret for `owner` (`whsec_…`; Stripe, or a local partner such as
    "partner-primary"), made once and kept owner-only in var/, like Stripe's CLI does for local testing."""
    path = var_dir.resolve() / "secrets" / f"{owner}-webhook"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = f"whsec_{secrets.token_hex(32)}"
    # Created owner-only and renamed into place, so a racing caller never reads half a secret.
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret)
    tmp.replace(path)
    return path.read_text().strip()


def stop_stripe_mock(var_dir: Path) -> bool:
    """Stop the stripe-mock recorded under var_dir; True if one was running."""
    return stop_pid(_pid_file(var_dir.resolve()), timeout=5.0)
