"""Runs the edge and every consumer as child processes; restarts a crashed child, stops all on a signal."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

RESTART_BACKOFF_MAX = 30.0


def _log(msg: str, **fields: object) -> None:
    entry = {"ts": datetime.now(UTC).isoformat(), "level": "INFO", "component": "supervisor", "msg": msg, **fields}
    print(json.dumps(entry), file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        # Own session: a terminal Ctrl-C reaches only the supervisor, which stops children in order.
        self.proc = subprocess.Popen(self.argv, start_new_session=True)
        self.started_at = time.monotonic()
        _log("started", child=self.name, pid=self.proc.pid)

    def backoff(self) -> float:
        """Seconds before the next restart: doubles per crash, reset after a child ran for a minute."""
        if time.monotonic() - self.started_at > 60:
            self.restarts = 0
        self.restarts += 1
        return min(float(2 ** (self.restarts - 1)), RESTART_BACKOFF_MAX)


class Supervisor:
    """A tiny process supervisor (one per `shine run`)."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self._stopping = False

    def run(self) -> None:
        """Start every child and keep them running until SIGINT/SIGTERM."""
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        for child in self.children:
            child.start()
        while not self._stopping:
            for child in self.children:
                self._check(child)
            time.sleep(0.5)
        self.stop_all()

    def _check(self, child: Child) -> None:
        if child.proc is None:
            if time.monotonic() >= child.next_start:
                child.start()
            return
        code = child.proc.poll()
        if code is not None and not self._stopping:
            delay = child.backoff()
            _log("child exited; restarting", child=child.name, code=code, restart_in_s=delay, restarts=child.restarts)
            child.proc, child.next_start = None, time.monotonic() + delay

    def _stop(self, signum: int, frame: object) -> None:
        self._stopping = True

    def stop_all(self, timeout: float = 15.0) -> None:
        """SIGTERM every child, then SIGKILL what is still running after `timeout`."""
        live = [c.proc for c in self.children if c.proc and c.proc.poll() is None]
        for proc in live:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in live:
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
        _log("stopped", children=[c.name for c in self.children])
