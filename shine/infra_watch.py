"""Watches the local broker and database that Shine runs under var/ and restarts them, with backoff, if they die.

Only services Shine itself runs are watched (never a cluster given by SHINE_KAFKA_BOOTSTRAP or
SHINE_DATABASE_URL). A service is down when its recorded pid is gone, or when its pid lives but its port has
refused connections for longer than a grace period (hung): then it is stopped and started again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from infra.kafka_local import HOST, ensure_kafka, kafka_pid, stop_kafka
from infra.postgres_local import ensure_postgres, postgres_pid, stop_postgres
from infra.processes import port_open
from shine.settings import Settings
from shine.supervisor import RESTART_BACKOFF_MAX, log_event

STABLE_AFTER = 60.0  # seconds up after which the backoff starts again from 1 s


@dataclass
class Watched:
    """One local service: its live pid (None when gone), whether it answers, how to start and stop it."""

    name: str
    pid: Callable[[], int | None]
    answering: Callable[[], bool]
    start: Callable[[], object]
    stop: Callable[[], object]
    restarts: int = 0
    next_try: float = 0.0
    last_restart: float = float("-inf")
    silent_since: float | None = None

    def backoff(self, now: float) -> float:
        """Seconds before another restart may be tried: doubles per restart, reset once stable for a minute."""
        if now - self.last_restart > STABLE_AFTER:
            self.restarts = 0
        self.restarts += 1
        self.last_restart = now
        return min(float(2 ** (self.restarts - 1)), RESTART_BACKOFF_MAX)


def kafka_watch(
    var_dir: Path, port: int, controller_port: int, kafka_home: Path | None = None, log_dir: Path | None = None
) -> Watched:
    """The local broker of var_dir on port, as ensure_kafka starts it."""
    start = partial(ensure_kafka, var_dir, port, controller_port, kafka_home=kafka_home, log_dir=log_dir)
    answering = partial(port_open, HOST, port)
    return Watched("kafka", partial(kafka_pid, var_dir), answering, start, partial(stop_kafka, var_dir))


def postgres_watch(var_dir: Path, port: int, log_dir: Path | None = None) -> Watched:
    """The local cluster of var_dir on port, as ensure_postgres starts it."""
    start = partial(ensure_postgres, var_dir, port, log_dir=log_dir)
    answering = partial(port_open, HOST, port)
    return Watched("postgres", partial(postgres_pid, var_dir), answering, start, partial(stop_postgres, var_dir))


def watched_services(settings: Settings) -> list[Watched]:
    """The local services Shine runs itself (a live pid recorded under var/), never a cluster given by URL."""
    found: list[Watched] = []
    var_dir = settings.var_dir
    if settings.kafka_bootstrap is None and kafka_pid(var_dir) is not None:
        ports = (settings.kafka_port, settings.kafka_controller_port)
        found.append(kafka_watch(var_dir, *ports, settings.kafka_home, settings.log_dir))
    if settings.database_url is None and postgres_pid(var_dir) is not None:
        found.append(postgres_watch(var_dir, settings.pg_port, settings.log_dir))
    return found


class InfraWatcher:
    """Checks every watched service each `interval` seconds on a thread of its own; restarts the dead ones."""

    def __init__(
        self,
        services: list[Watched],
        interval: float = 1.0,
        hung_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self._interval = interval
        self._hung_after = hung_after
        self._clock = clock
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching in a daemon thread (a restart may block for a minute; the supervisor must not)."""
        if self.services:
            self._thread = threading.Thread(target=self._loop, name="infra-watch", daemon=True)
            self._thread.start()
            log_event("watching local infrastructure", services=[s.name for s in self.services])

    def stop(self, timeout: float = 90.0) -> None:
        """Stop watching; waits for a restart in progress so the caller can then stop the services."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.wait(self._interval):
            self.check_all()

    def check_all(self) -> None:
        """One pass over every service; also what reaps a dead child, as its pid is polled."""
        for service in self.services:
            if self._stopping.is_set():
                return
            self.check(service)

    def check(self, service: Watched) -> None:
        """Restart service if it is down or hung and its backoff has passed."""
        now = self._clock()
        if now < service.next_try:
            return
        pid = service.pid()
        if pid is not None:
            if service.answering():
                service.silent_since = None
                return
            if service.silent_since is None:
                service.silent_since = now
            silent = now - service.silent_since
            if silent < self._hung_after:
                return
            log_event("service not answering; restarting", service=service.name, pid=pid, silent_s=round(silent, 1))
            service.stop()
        else:
            log_event("service down; restarting", "WARNING", service=service.name)
        self._restart(service, now)

    def _restart(self, service: Watched, now: float) -> None:
        delay = service.backoff(now)
        service.next_try, service.silent_since = now + delay, None
        try:
            service.start()
        except (RuntimeError, OSError) as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log_event("service restart failed", "ERROR", service=service.name, error=error, retry_in_s=delay)
            return
        log_event("service restarted", service=service.name, pid=service.pid(), restarts=service.restarts)
