"""Runs the edge and every consumer as child processes; restarts a crashed child, stops all on a signal.

The local broker and database are looked after by an `InfraWatcher` (shine/infra_watch.py) the supervisor
starts first and stops first.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shine.infra_watch import InfraWatcher

RESTART_BACKOFF_MAX = 30.0


def log_event(msg: str, level: str = "INFO", **fields: object) -> None:
    """One JSON log line from the supervisor on stderr."""
    entry = {"ts": datetime.now(UTC).isoformat(), "level": level, "component": "supervisor", "msg": msg, **fields}
    print(json.dumps(entry, default=str), file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    log: Path | None = None  # where its output goes (appended); None: this terminal
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        # Own session: a terminal Ctrl-C reaches only the supervisor, which stops children in order.
        if self.log is None:
            self.proc = subprocess.Popen(self.argv, start_new_session=True)
        else:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with self.log.open("ab") as out:
                self.proc = subprocess.Popen(self.argv, start_new_session=True, stdout=out, stderr=out)
        self.started_at = time.monotonic()
        log_event("started", child=self.name, pid=self.proc.pid, **({"log": str(self.log)} if self.log else {}))

    def backoff(self) -> float:
        """Seconds before the next restart: doubles per crash, reset after a child ran for a minute."""
        if time.monotonic() - self.started_at > 60:
            self.restarts = 0
        self.restarts += 1
        return min(float(2 ** (self.restarts - 1)), RESTART_BACKOFF_MAX)


class Supervisor:
    """A tiny process supervisor (one per `shine run`)."""

    def __init__(self, children: list[Child], watcher: InfraWatcher | None = None) -> None:
        self.children = children
        self.watcher = watcher
        self._stopping = False

    def run(self) -> None:
        """Start every child and keep them running until SIGINT/SIGTERM."""
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        if self.watcher is not None:
            self.watcher.start()
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
            name, restarts = child.name, child.restarts
            log_event("child exited; restarting", child=name, code=code, restart_in_s=delay, restarts=restarts)
            child.proc, child.next_start = None, time.monotonic() + delay

    def _stop(self, signum: int, frame: object) -> None:
        self._stopping = True

    def stop_all(self, timeout: float = 15.0) -> None:
        """Stop watching the infrastructure; SIGTERM every child, then SIGKILL what still runs after `timeout`."""
        if self.watcher is not None:
            self.watcher.stop()
        live = [c.proc for c in self.children if c.proc and c.proc.poll() is None]
        for proc in live:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in live:
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)  # reap it: no zombie left behind
        log_event("stopped", children=[c.name for c in self.children])
