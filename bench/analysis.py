"""Analysis benchmarks, as ratios to baselines measured in the same run (these machines are noisy).

1. Engine time per image for ~1 MP and ~12 MP JPEGs, as a ratio to decoding the same bytes, and the quick
   analysis (`analysis_type=quick`) as a ratio to the comprehensive one.
2. Test-retest: every score's change when the reference photo is re-encoded, EXIF-rotated, scaled or
   re-exposed (the README's table; `--retest-only` prints just this).
3. Consumer throughput with two `shine consume analysis` processes as a ratio to one, over real Kafka
   (topics with 4 partitions so two processes can share the work evenly).

Run: `make bench` (or `.venv/bin/python -m bench.analysis [--images N]`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import cv2
import numpy as np
from aiokafka.admin import AIOKafkaAdminClient
from skimage import data as photos
from sqlalchemy import func, select

from analyst.topic_reader import read_topics
from consumers.analysis.engine import analyse
from events.analyses import SCORE_NAMES
from events.topics import ANALYSES, UPLOADS
from infra.topics import ensure_topics
from producers.publisher import EventPublisher, build_producer
from storage.blobs import BlobStore
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.platform.tables import consumer_heartbeats
from tests.support.kafka import upload_event
from tests.support.services import TestServices, spawn, start_services, stop, stop_services
from tests.unit.analysis._retest import score_changes
from tests.unit.analysis.test_retest import reference as retest_reference

OUTCOMES = {b"analysis.completed", b"analysis.failed"}


def jpeg_of(megapixels: float) -> bytes:
    """The astronaut photo scaled to about `megapixels`, as a JPEG."""
    rgb = photos.astronaut()
    scale = (megapixels * 1e6 / (rgb.shape[0] * rgb.shape[1])) ** 0.5
    bgr = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return bytes(cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 92])[1])


def interleaved_medians(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median wall time of each action, the actions run in turn `repeat` times after one warm-up each,
    so a change in the machine's load (these machines are shared) weighs on every action alike."""
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, spent in zip(actions, times, strict=True):
            started = time.perf_counter()
            action()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def engine_ratios(repeat: int) -> None:
    """Per-image analysis time against decoding the same file."""
    # A consumer process analyses on one core (consumers/analysis/handlers.py); measure it the same way.
    cv2.setNumThreads(1)
    for mp in (1.0, 12.0):
        data = jpeg_of(mp)
        buf = np.frombuffer(data, np.uint8)
        image = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        decode, full, quick = interleaved_medians(
            [
                partial(cv2.imdecode, buf, cv2.IMREAD_COLOR),
                partial(analyse, image),
                partial(analyse, image, quick=True),
            ],
            repeat,
        )
        print(
            f"engine  {mp:>4.0f} MP: analyse {full * 1000:7.1f} ms, decode {decode * 1000:6.1f} ms, "
            f"ratio analyse/decode = {full / decode:5.1f}x; quick {quick * 1000:6.1f} ms = {quick / full:4.2f} of full"
        )


def retest_table() -> None:
    """Every score's change per retest variant of the reference photo (tests/unit/analysis/test_retest.py)."""
    changes = score_changes(retest_reference())
    names = [*SCORE_NAMES, "overall"]
    print("| variant | " + " | ".join(names) + " | worst |")
    print("|---" * (len(names) + 2) + "|")
    for variant, change in changes.items():
        worst = max(abs(v) for v in change.values())
        print(f"| {variant} | " + " | ".join(f"{change[n]:+.1f}" for n in names) + f" | {worst:.1f} |")


async def throughput(found: TestServices, processes: int, images: int, logs: Path) -> float:
    """Outcomes per second with `processes` analysis consumers on a fresh 4-partition topic set."""
    prefix = f"{found.prefix}bench{processes}."
    await ensure_topics(found.bootstrap, prefix, min_partitions=4)
    settings = found.settings(topic_prefix=prefix, metrics_port_base=0)
    sha = await BlobStore(settings.blobs_path).put(jpeg_of(1.0))
    procs = [
        spawn(settings, "consume", "analysis", log=logs / f"analysis-{processes}-{i}.log") for i in range(processes)
    ]
    engine = create_engine(found.database_url)
    try:
        await _wait_for_instances(engine, processes)
        # A member joining makes the group rebalance for a few seconds; timing from before the group
        # is stable would measure the rebalance, not the consumers.
        await _wait_for_stable_group(found.bootstrap, f"{prefix}analysis", processes)
        producer = build_producer(found.bootstrap, "bench")
        await producer.start()
        started = time.perf_counter()
        await EventPublisher(producer, prefix).publish_many(
            UPLOADS, [upload_event(blob_sha256=sha) for _ in range(images)]
        )
        await producer.stop()
        await _wait_for_outcomes(found.bootstrap, ANALYSES.resolve(prefix), images)
        return images / (time.perf_counter() - started)
    finally:
        for proc in procs:
            stop(proc)
        async with engine.begin() as conn:
            await conn.execute(consumer_heartbeats.delete())
        await engine.dispose()


async def _wait_for_instances(engine: object, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with engine.connect() as conn:  # type: ignore[attr-defined]
            if (await conn.execute(select(func.count()).select_from(consumer_heartbeats))).scalar() >= n:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{n} analysis consumers did not start within {timeout}s")


async def _wait_for_stable_group(bootstrap: str, group_id: str, members: int, timeout: float = 60) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench")
    await admin.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            (response,) = await admin.describe_consumer_groups([group_id])
            (group,) = response.to_object()["groups"]
            if group["state"] == "Stable" and len(group["members"]) == members:
                return
            await asyncio.sleep(0.2)
    finally:
        await admin.close()
    raise RuntimeError(f"consumer group {group_id} did not settle with {members} members within {timeout}s")


async def _wait_for_outcomes(bootstrap: str, topic: str, n: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [r async for r in read_topics(bootstrap, [topic]) if dict(r.headers).get("ce_type") in OUTCOMES]
        print(f"\r  outcomes {len(done)}/{n}", end="", file=sys.stderr, flush=True)
        if len(done) >= n:
            print(file=sys.stderr)
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"only some of {n} analyses finished within {timeout}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=60, help="uploads per throughput run")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per engine measurement")
    parser.add_argument("--retest-only", action="store_true", help="print only the test-retest table")
    args = parser.parse_args()
    retest_table()
    if args.retest_only:
        return
    engine_ratios(args.repeat)
    found = start_services()
    try:
        upgrade(found.database_url)
        logs = found.var_dir / "log"
        logs.mkdir(parents=True, exist_ok=True)
        one = asyncio.run(throughput(found, 1, args.images, logs))
        two = asyncio.run(throughput(found, 2, args.images, logs))
    finally:
        stop_services(found)
    print(f"consumer throughput: 1 process {one:5.2f}/s, 2 processes {two:5.2f}/s, ratio 2/1 = {two / one:4.2f}x")


if __name__ == "__main__":
    main()
