"""Under the watcher, a local broker or database killed with SIGKILL is reaped and restarted by itself."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from infra.kafka_local import ensure_kafka, kafka_pid, stop_kafka
from infra.postgres_home import remove_home
from infra.postgres_local import ensure_postgres, postgres_pid, stop_postgres
from shine.infra_watch import InfraWatcher, kafka_watch, postgres_watch, watched_services
from shine.settings import Settings

pytestmark = pytest.mark.integration

RESTART_BOUND = 120.0  # seconds: a broker's log recovery on a busy two-core machine


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: bound all at once so none is handed out twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _reaped(pid: int) -> bool:
    """Gone entirely: not running and not left as a zombie."""
    return not Path(f"/proc/{pid}").exists()


def _wait_for(what: str, check: Callable[[], bool], timeout: float = RESTART_BOUND) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout:g}s: {what}"
        time.sleep(0.2)


async def _broker_answers(bootstrap: str) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5_000)
    try:
        await admin.start()
        await admin.list_topics()
    except KafkaError:
        return False
    finally:
        await admin.close()
    return True


async def _database_answers(port: int) -> bool:
    try:
        conn = await asyncpg.connect(f"postgresql://shine@127.0.0.1:{port}/shine", timeout=5)
    except (OSError, asyncpg.PostgresError):
        return False
    try:
        return bool(await conn.fetchval("SELECT 1") == 1)
    finally:
        await conn.close()


@pytest.fixture
def var_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    stop_kafka(tmp_path)
    stop_postgres(tmp_path)
    remove_home(tmp_path)


def test_killed_broker_and_database_are_restarted_and_reaped(var_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    kafka_port, controller_port, pg_port = _free_ports(3)
    kafka = ensure_kafka(var_dir, kafka_port, controller_port)
    pg = ensure_postgres(var_dir, pg_port)
    assert kafka.pid is not None and pg.pid is not None
    watched = [kafka_watch(var_dir, kafka_port, controller_port), postgres_watch(var_dir, pg_port)]
    watcher = InfraWatcher(watched, interval=0.5)
    watcher.start()
    try:
        os.kill(kafka.pid, signal.SIGKILL)
        _wait_for("old broker reaped", lambda: _reaped(kafka.pid))  # type: ignore[arg-type]
        _wait_for("a new broker", lambda: kafka_pid(var_dir) not in (None, kafka.pid))
        _wait_for("the new broker answers", lambda: asyncio.run(_broker_answers(kafka.bootstrap)))

        os.kill(pg.pid, signal.SIGKILL)
        _wait_for("old postmaster reaped", lambda: _reaped(pg.pid))  # type: ignore[arg-type]
        _wait_for("a new postmaster", lambda: postgres_pid(var_dir) not in (None, pg.pid))
        _wait_for("the new postmaster answers", lambda: asyncio.run(_database_answers(pg_port)))
    finally:
        watcher.stop()
    log = capfd.readouterr().err
    assert log.count('"msg": "service restarted"') == 2
    assert '"service": "kafka"' in log and '"service": "postgres"' in log


def test_only_services_shine_runs_under_var_are_watched(tmp_path: Path) -> None:
    local = Settings(var_dir=tmp_path, kafka_bootstrap=None, database_url=None)
    assert watched_services(local) == []  # nothing recorded under var/: nothing of ours runs
    # Record live pids as ensure_kafka and the postmaster do (this process stands in for both).
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "kafka.pid").write_text(f"{os.getpid()}\n")
    (tmp_path / "pg" / "data").mkdir(parents=True)
    (tmp_path / "pg" / "data" / "PG_VERSION").write_text("15\n")
    (tmp_path / "pg" / "data" / "postmaster.pid").write_text(f"{os.getpid()}\n")
    assert [w.name for w in watched_services(local)] == ["kafka", "postgres"]
    external = local.model_copy(
        update={"kafka_bootstrap": "127.0.0.1:1", "database_url": "postgresql+asyncpg://x@127.0.0.1:1/x"}
    )
    assert watched_services(external) == []
