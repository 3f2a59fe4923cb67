"""Start and stop the fake Firecrawl API as a child process on 127.0.0.1 (tests and `make run`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.firecrawl_fake.site import PAGES_DIR
from infra.processes import wait_for_port


def api_url(port: int) -> str:
    """The base URL to give firecrawl-mcp as FIRECRAWL_API_URL."""
    return f"http://127.0.0.1:{port}"


def start_fake(port: int, log: Path, pages: Path = PAGES_DIR, timeout: float = 30) -> subprocess.Popen[bytes]:
    """Run `python -m infra.firecrawl_fake` on port and wait until it listens."""
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "infra.firecrawl_fake", "--port", str(port), "--pages", str(pages)]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port("127.0.0.1", port, timeout, proc=proc, log=log)
    except RuntimeError:
        stop_fake(proc)
        raise
    return proc


def stop_fake(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Stop a fake started by start_fake."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
