"""The real Kafka and Postgres a test session runs against, and helpers to run shine processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from infra.kafka_local import ensure_kafka, stop_kafka
from infra.postgres_local import create_database, ensure_postgres, stop_postgres
from shine.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TEST_VAR = ROOT / "var" / "test"
KAFKA_PORT, KAFKA_CONTROLLER_PORT, PG_PORT = 19092, 19093, 15433


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_run(length: int) -> int:
    """The first of `length` consecutive free ports."""
    while True:
        first = free_port()
        try:
            holders = [socket.create_server(("127.0.0.1", first + i)) for i in range(1, length)]
        except OSError:
            continue
        for holder in holders:
            holder.close()
        return first


@dataclass(frozen=True)
class TestServices:
    bootstrap: str
    database_url: str
    prefix: str
    var_dir: Path
    started: tuple[str, ...] = ()

    def settings(self, **overrides: object) -> Settings:
        """Settings for code under test, isolated by topic prefix, database and var dir."""
        values: dict[str, object] = {
            "kafka_bootstrap": self.bootstrap,
            "database_url": self.database_url,
            "topic_prefix": self.prefix,
            "var_dir": self.var_dir,
            "heartbeat_interval_seconds": 0.5,
            "heartbeat_stale_seconds": 5.0,
            "consumer_retry_backoff_ms": 20,
            "metrics_port_base": 0,
        }
        return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def start_services() -> TestServices:
    """Start (or reuse) the test broker and cluster; a fresh database and topic prefix per session."""
    kafka = ensure_kafka(TEST_VAR, KAFKA_PORT, KAFKA_CONTROLLER_PORT)
    pg = ensure_postgres(TEST_VAR, PG_PORT)
    run_id = uuid.uuid4().hex[:10]
    create_database(PG_PORT, f"shine_test_{run_id}")
    url = pg.url.rsplit("/", 1)[0] + f"/shine_test_{run_id}"
    var_dir = TEST_VAR / "runs" / run_id
    var_dir.mkdir(parents=True, exist_ok=True)
    started = tuple(name for name, svc in (("kafka", kafka), ("postgres", pg)) if svc.started_here)
    return TestServices(kafka.bootstrap, url, f"t{run_id}.", var_dir, started)


def stop_services(found: TestServices) -> None:
    """Stop what this session started (services a developer left running stay up)."""
    if "kafka" in found.started:
        stop_kafka(TEST_VAR)
    if "postgres" in found.started:
        stop_postgres(TEST_VAR)


def env_for(settings: Settings) -> dict[str, str]:
    """The environment that gives a child `shine` process exactly these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHINE_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"SHINE_{name.upper()}"] = (
                str(list(value)).replace("'", '"') if isinstance(value, tuple) else str(value)
            )
    return env


def spawn(
    settings: Settings, *args: str, log: Path, extra_env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `shine ARGS` as a child process logging to `log`."""
    env = {**env_for(settings), **(extra_env or {})}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "shine.cli", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(proc: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Terminate a child politely, then forcefully."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
