"""Local Kafka and PostgreSQL: start, reuse, stop, and restart with data kept."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from infra.kafka_local import ensure_kafka, stop_kafka
from infra.postgres_home import remove_home
from infra.postgres_local import create_database, ensure_postgres, stop_postgres

pytestmark = pytest.mark.integration


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


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # pytest's 0700 temporary folders: the postgres OS user cannot traverse them, and need not.
    path = tmp_path_factory.mktemp("infra")
    yield path
    # Never leave a service or a cluster behind, even when a test failed half-way.
    stop_kafka(path)
    stop_postgres(path)
    remove_home(path)


async def _kafka_topics(bootstrap: str, create: str | None = None) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        if create is not None:
            await admin.create_topics([NewTopic(create, num_partitions=1, replication_factor=1)])
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def _pg_fetch(url: str, query: str) -> object:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


def test_kafka_start_reuse_restart(var_dir: Path) -> None:
    port, controller_port = _free_ports(2)
    first = ensure_kafka(var_dir, port=port, controller_port=controller_port)
    assert first.started_here and first.pid is not None
    assert first.bootstrap == f"127.0.0.1:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert "infra-check" in asyncio.run(_kafka_topics(first.bootstrap, create="infra-check"))

    again = ensure_kafka(var_dir, port=port, controller_port=controller_port)
    assert not again.started_here and again.pid == first.pid

    assert stop_kafka(var_dir)
    assert not stop_kafka(var_dir)
    restarted = ensure_kafka(var_dir, port=port, controller_port=controller_port)
    assert restarted.started_here
    assert "infra-check" in asyncio.run(_kafka_topics(restarted.bootstrap))
    assert stop_kafka(var_dir)


def test_postgres_start_reuse_restart(var_dir: Path) -> None:
    (port,) = _free_ports(1)
    first = ensure_postgres(var_dir, port=port)
    assert first.started_here and first.pid is not None
    assert first.url == f"postgresql+asyncpg://shine@127.0.0.1:{port}/shine"
    assert asyncio.run(_pg_fetch(first.url, "SELECT 1")) == 1
    asyncio.run(_pg_fetch(first.url, "CREATE TABLE kept (id int)"))

    again = ensure_postgres(var_dir, port=port)
    assert not again.started_here and again.pid == first.pid
    create_database(port, "extra")
    create_database(port, "extra")
    extra_url = first.url.rsplit("/", 1)[0] + "/extra"
    assert asyncio.run(_pg_fetch(extra_url, "SELECT current_database()")) == "extra"

    assert stop_postgres(var_dir)
    assert not stop_postgres(var_dir)
    restarted = ensure_postgres(var_dir, port=port)
    assert restarted.started_here
    assert asyncio.run(_pg_fetch(restarted.url, "SELECT to_regclass('kept')::text")) == "kept"
    assert stop_postgres(var_dir)
