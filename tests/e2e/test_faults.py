"""Fault injection against a running system with uploads flowing: kill -9 of each consumer, broker kill and
restart, Postgres stopped for 20 s. Every accepted upload ends completed or failed-with-reason exactly once,
nothing is dead-lettered, and every refused upload is answered 503 within the bound.

The system under test has its own broker and cluster (own ports, own var dir), so killing them disturbs no
other test. Marked `faults` (it takes about two minutes): `pytest -m faults`.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import httpx
import pytest
from skimage import data as photos

from analyst.topic_reader import read_topics
from consumers.registry import GROUPS
from events.topics import ANALYSES, TOPICS
from infra.kafka_local import ensure_kafka, stop_kafka
from infra.postgres_home import remove_home
from infra.postgres_local import create_database, ensure_postgres, stop_postgres
from infra.topics import ensure_topics
from storage.migrate import upgrade
from tests.e2e.conftest import Stack
from tests.support.polling import eventually
from tests.support.services import TestServices, free_port, free_port_run, spawn, stop

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

BOUND_SECONDS = 3.0  # SHINE_EDGE_DEPENDENCY_TIMEOUT_SECONDS for this system
SLACK_SECONDS = 2.0  # process scheduling on a loaded 2-core machine


@dataclass
class Faulty:
    stack: Stack
    var_dir: Path
    kafka_ports: tuple[int, int]
    pg_port: int
    kafka_pid: int | None
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> None:
        self.procs[name] = spawn(self.stack.settings, *args, log=self.stack.logs / f"{name}.log")

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def restart_kafka(self) -> None:
        self.kafka_pid = ensure_kafka(self.var_dir, *self.kafka_ports).pid


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory, services: TestServices) -> Iterator[Faulty]:
    var_dir = tmp_path_factory.mktemp("faults")
    var_dir.chmod(0o755)
    first = free_port_run(2)
    kafka_ports, pg_port = (first, first + 1), free_port()
    kafka = ensure_kafka(var_dir, *kafka_ports)
    ensure_postgres(var_dir, pg_port)
    create_database(pg_port, "shine_faults")
    settings = services.settings(
        kafka_bootstrap=kafka.bootstrap,
        database_url=f"postgresql+asyncpg://shine@127.0.0.1:{pg_port}/shine_faults",
        topic_prefix="faults.",
        var_dir=var_dir,
        edge_port=free_port(),
        metrics_port_base=0,
        dependency_timeout_seconds=BOUND_SECONDS,
        consumer_outage_hold_seconds=5.0,
        max_analysis_backlog=0,
        free_analyses_per_month=1_000_000,  # the free-tier limit is not what this test is about
        rate_limit_default_per_ip=1_000_000,
        rate_limit_default_per_user=1_000_000,
    )
    upgrade(settings.db_url)
    asyncio.run(ensure_topics(settings.kafka_servers, settings.topic_prefix))
    logs = var_dir / "log"
    logs.mkdir(exist_ok=True)
    stack = Stack(settings, f"http://127.0.0.1:{settings.edge_port}", logs)
    system = Faulty(stack, var_dir, kafka_ports, pg_port, kafka.pid)
    try:
        system.start("edge", "edge")
        for g in GROUPS:
            system.start(g.name, "consume", g.name)
        yield system
    finally:
        for proc in system.procs.values():
            stop(proc)
        stop_kafka(var_dir)
        stop_postgres(var_dir)
        remove_home(var_dir)  # as root the cluster lives outside the (temporary) var dir


@dataclass
class Load:
    """Uploads sent while faults happen: what was accepted, how every refusal was answered."""

    accepted: dict[str, str] = field(default_factory=dict)  # idempotency key → upload id
    refusals: list[tuple[int, str, float]] = field(default_factory=list)  # status, code, seconds
    errors: list[str] = field(default_factory=list)


async def _upload_forever(
    client: httpx.AsyncClient, token: str, photo: bytes, load: Load, stop_at: asyncio.Event
) -> None:
    while not stop_at.is_set():
        key = str(uuid.uuid4())
        for _ in range(200):  # the same logical upload, retried with the same key until it is accepted
            started = time.monotonic()
            try:
                answer = await client.post(
                    "/analysis/upload",
                    files={"image": ("face.jpg", photo, "image/jpeg")},
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                )
            except httpx.TransportError as exc:  # the edge itself must never drop the connection
                load.errors.append(f"transport: {exc!r}")
                await asyncio.sleep(0.5)
                continue
            took = time.monotonic() - started
            if answer.status_code == 202:
                load.accepted[key] = answer.json()["upload_id"]
                break
            code = answer.json().get("error", {}).get("code", "?") if answer.content else "?"
            load.refusals.append((answer.status_code, code, took))
            await asyncio.sleep(min(float(answer.headers.get("Retry-After", "1")), 2.0))
        await asyncio.sleep(0.4)


async def _status(client: httpx.AsyncClient, token: str, upload_id: str) -> str | None:
    try:
        answer = await client.get(f"/analysis/results/{upload_id}", headers={"Authorization": f"Bearer {token}"})
    except httpx.TransportError:
        return None
    return str(answer.json().get("status")) if answer.status_code == 200 else None


@pytest.fixture(scope="module")
async def client(faulty: Faulty) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=faulty.stack.base_url, timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/ready")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, timeout=90, every=0.25, what="the system to be ready")
        yield http


async def test_nothing_is_lost_doubled_or_dead_lettered_through_kills_and_outages(
    faulty: Faulty, client: httpx.AsyncClient
) -> None:
    token = faulty.stack.token("faults@example.com")
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(photos.astronaut(), cv2.COLOR_RGB2BGR))
    assert ok
    load, stop_at = Load(), asyncio.Event()
    uploader = asyncio.create_task(_upload_forever(client, token, jpeg.tobytes(), load, stop_at))

    async def accepted_at_least(n: int) -> bool:
        return len(load.accepted) >= n

    async def ready() -> bool:
        try:
            return (await client.get("/ready")).status_code == 200
        except httpx.TransportError:
            return False

    async def more_accepted(what: str, timeout: float = 60) -> None:
        # Uploads flow again and every consumer group is live before the next fault.
        target = len(load.accepted) + 2
        await eventually(lambda: accepted_at_least(target), timeout=timeout, what=what)
        await eventually(ready, timeout=timeout, every=0.5, what=f"readiness ({what})")

    try:
        await eventually(lambda: accepted_at_least(3), timeout=60, what="uploads flowing")
        for group in ("analysis", "projector"):  # kill -9 mid-stream, then start it again
            faulty.kill(group)
            await asyncio.sleep(2)
            faulty.start(group, "consume", group)
            await more_accepted("uploads again", 60)
        assert faulty.kafka_pid is not None
        os.kill(faulty.kafka_pid, signal.SIGKILL)  # the broker dies
        await asyncio.sleep(10)
        faulty.restart_kafka()
        await more_accepted("uploads after kafka", 120)
        stop_postgres(faulty.var_dir)  # the database goes away for 20 s
        await asyncio.sleep(20)
        ensure_postgres(faulty.var_dir, faulty.pg_port)
        await more_accepted("uploads after pg", 120)
    finally:
        stop_at.set()
        await uploader

    await _every_upload_ends(client, token, load)
    await _exactly_one_outcome_and_no_dead_letters(faulty, load)


async def _every_upload_ends(client: httpx.AsyncClient, token: str, load: Load) -> None:
    async def unfinished() -> dict[str, str | None]:
        states = {u: await _status(client, token, u) for u in load.accepted.values()}
        return {u: s for u, s in states.items() if s not in ("completed", "failed")}

    async def all_final() -> bool:
        return not await unfinished()

    try:
        await eventually(all_final, timeout=180, every=1, what="every accepted upload to end")
    except AssertionError:
        raise AssertionError(f"unfinished uploads: {await unfinished()}") from None
    assert not load.errors, load.errors[:5]
    assert all(status == 503 for status, _, _ in load.refusals), Counter((s, c) for s, c, _ in load.refusals)
    slow = [took for _, _, took in load.refusals if took > BOUND_SECONDS + SLACK_SECONDS]
    assert not slow, f"{len(slow)} refusals took longer than the bound: {sorted(slow)[-3:]}"


async def _exactly_one_outcome_and_no_dead_letters(faulty: Faulty, load: Load) -> None:
    bootstrap, prefix = faulty.stack.settings.kafka_servers, faulty.stack.settings.topic_prefix
    outcome_ids: dict[str, set[str]] = {}
    async for record in read_topics(bootstrap, [ANALYSES.resolve(prefix)]):
        headers = dict(record.headers)
        if headers.get("ce_type") in (b"analysis.completed", b"analysis.failed"):
            outcome_ids.setdefault(headers["ce_subject"].decode(), set()).add(headers["ce_id"].decode())
    counts = Counter(len(outcome_ids.get(upload_id, set())) for upload_id in load.accepted.values())
    assert set(counts) == {1}, f"every accepted upload has exactly one distinct outcome: {counts}"
    dead = [r async for r in read_topics(bootstrap, [t.dlq(prefix) for t in TOPICS])]
    assert dead == [], f"{len(dead)} records dead-lettered"
