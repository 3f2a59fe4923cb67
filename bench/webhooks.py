"""Webhook benchmark: acknowledgement latency with every event delivered twice, and webhook events/s as a
ratio to bare aiokafka publishes of the same payloads in the same run (goal ≥ 0.5).

A real `shine edge` process on the test Kafka and Postgres receives signed `payment_intent.succeeded` webhooks
from `--concurrency` senders; each event is delivered twice (as Stripe may). The baseline publishes the very
records the bridge makes (same keys, values and headers) with an idempotent, all-acks aiokafka producer from the
same number of concurrent senders. Both rates count deliveries (2 per event).

Run: `.venv/bin/python -m bench.webhooks [--events N] [--concurrency C]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence

import httpx

from events.codec import encode
from events.topics import PAYMENTS
from infra.topics import ensure_topics
from producers.payments.verification import WebhookSecrets
from producers.publisher import build_producer
from producers.stripe_bridge import Publish, bridge
from storage.migrate import upgrade
from tests.support.payments import intent, signed, stripe_event
from tests.support.services import free_port, spawn, start_services, stop, stop_services

SECRET = "whsec_bench"


def deliveries(events: int) -> list[tuple[bytes, str]]:
    """Signed bodies, each event twice (the second delivery signed afresh, as Stripe does)."""
    made = []
    for _ in range(events):
        pi = f"pi_{uuid.uuid4().hex[:20]}"
        event = stripe_event(
            "payment_intent.succeeded", intent(pi, "succeeded", 1500, str(uuid.uuid4()), str(uuid.uuid4()))
        )
        made += [signed(event, SECRET), signed(event, SECRET)]
    return made


async def _run(jobs: Sequence[Callable[[], Awaitable[None]]], concurrency: int) -> tuple[float, list[float]]:
    """Wall time and per-job latencies with `concurrency` workers."""
    queue = list(reversed(jobs))
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            job = queue.pop()
            start = time.perf_counter()
            await job()
            latencies.append(time.perf_counter() - start)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began, latencies


async def webhooks(url: str, bodies: list[tuple[bytes, str]], concurrency: int) -> tuple[float, list[float]]:
    """POST every delivery; fail on anything but 200."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits, trust_env=False) as http:

        def job(body: bytes, header: str) -> Callable[[], Awaitable[None]]:
            async def post() -> None:
                answer = await http.post("/webhooks/stripe", content=body, headers={"Stripe-Signature": header})
                if answer.status_code != 200:
                    raise RuntimeError(f"webhook answered {answer.status_code}: {answer.text}")

            return post

        for body, header in bodies[:20]:  # warm up connections and the producer
            await job(body, header)()
        return await _run([job(b, h) for b, h in bodies], concurrency)


async def probe_health(url: str, count: int, concurrency: int) -> float:
    """Wall time of `count` GET /health at the same concurrency: what the edge does with no work at all."""
    async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False) as http:

        async def get() -> None:
            (await http.get("/health")).raise_for_status()

        wall, _ = await _run([get] * count, concurrency)
        return wall


async def bare(bootstrap: str, topic: str, bodies: list[tuple[bytes, str]], concurrency: int) -> float:
    """Publish the bridge's records for the same deliveries straight to Kafka; wall time."""
    config = WebhookSecrets((SECRET,))
    records = []
    for body, header in bodies:
        outcome = bridge(body, header, config)
        assert isinstance(outcome, Publish)
        records.append(encode(outcome.event))
    producer = build_producer(bootstrap, "bench-bare")
    await producer.start()
    try:

        def job(key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> Callable[[], Awaitable[None]]:
            async def send() -> None:
                await producer.send_and_wait(topic, value, key=key, headers=headers)

            return send

        wall, _ = await _run([job(*r) for r in records], concurrency)
        return wall
    finally:
        await producer.stop()


async def _ready(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, trust_env=False) as http:
        for _ in range(300):
            try:
                # The producer connects in the background: wait until /ready says the broker is reachable
                # (no consumers run here, so /ready itself stays 503).
                if (await http.get("/ready")).json().get("checks", {}).get("kafka") == "ok":
                    return
            except (httpx.TransportError, ValueError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the edge did not start")


def main() -> None:
    """Run the benchmark and print the latencies, rates and ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    services = start_services()
    try:
        upgrade(services.database_url)
        prefix = f"{services.prefix}bench{uuid.uuid4().hex[:6]}."
        asyncio.run(ensure_topics(services.bootstrap, prefix))
        settings = services.settings(topic_prefix=prefix, edge_port=free_port(), stripe_webhook_secrets=(SECRET,))
        edge = spawn(settings, "edge", log=services.var_dir / "bench-webhooks-edge.log")
        try:
            url = f"http://127.0.0.1:{settings.edge_port}"
            asyncio.run(_ready(url))
            bodies = deliveries(args.events)
            wall, latencies = asyncio.run(webhooks(url, bodies, args.concurrency))
            base = asyncio.run(bare(services.bootstrap, PAYMENTS.resolve(prefix), bodies, args.concurrency))
            health = asyncio.run(probe_health(url, len(bodies), args.concurrency))
        finally:
            stop(edge)
    finally:
        stop_services(services)
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[int(0.99 * (len(latencies) - 1))]
    hooks, kafka = len(bodies) / wall, len(bodies) / base
    print(f"deliveries: {len(bodies)} ({args.events} events, each twice), concurrency {args.concurrency}")
    print(f"webhook ack latency: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"edge GET /health/s (its framework's ceiling here): {len(bodies) / health:.0f}")
    print(f"webhooks/s: {hooks:.0f}; bare aiokafka publishes/s: {kafka:.0f}; ratio {hooks / kafka:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
