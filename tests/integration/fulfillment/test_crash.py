"""kill -9 of the fulfillment consumer while its partner call is in flight (after the call, before the commit):
the redelivered payment asks again with the same idempotency key, and the partner makes exactly one order."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from events.codec import decode
from events.envelope import Event
from events.orders import OrderForwarded, OrderItem, OrderPlaced, OrderPlacedData
from events.payments import PaymentIntentData, PaymentSucceeded
from events.registry import REGISTRY
from events.topics import ORDERS, PAYMENTS
from infra.postgres_local import create_database
from shine.settings import Settings
from storage.migrate import upgrade
from tests.support.kafka import fresh_prefix, publisher, read_all
from tests.support.payments import PaymentPeers, start_payment_peers, stop_payment_peers
from tests.support.polling import eventually
from tests.support.services import PG_PORT, spawn, stop

if TYPE_CHECKING:
    from tests.support.services import TestServices

DELAY = 4.0


@pytest.fixture
def database(services: TestServices) -> str:
    name = f"shine_crash_{uuid.uuid4().hex[:8]}"
    create_database(PG_PORT, name)
    url = services.database_url.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    return url


@pytest.fixture
async def system(services: TestServices, database: str, tmp_path: Path) -> AsyncIterator[tuple[Settings, PaymentPeers]]:
    peers = start_payment_peers(tmp_path)
    prefix = await fresh_prefix(services.bootstrap, services.prefix)
    # The partner must answer slower than our kill, faster than the consumer's timeout (no fallback).
    overrides = {**peers.settings, "partner_timeout_seconds": 15.0}
    settings = services.settings(database_url=database, topic_prefix=prefix, var_dir=tmp_path, **overrides)
    try:
        yield settings, peers
    finally:
        stop_payment_peers(tmp_path, peers)


def _events(order_id: uuid.UUID) -> tuple[OrderPlaced, PaymentSucceeded]:
    user = uuid.uuid4()
    item = OrderItem(product_id=uuid.uuid4(), sku="SKU-1", quantity=1, unit_amount=1500, total_amount=1500)
    placed = OrderPlaced(
        source="test",
        subject=str(order_id),
        correlation_id=str(order_id),
        data=OrderPlacedData(
            order_id=order_id,
            user_id=user,
            order_number="SH-1",
            items=(item,),
            amount=1500,
            currency="usd",
            payment_intent_id="pi_crash1",
        ),
    )
    paid = PaymentSucceeded(
        source="test",
        subject="pi_crash1",
        correlation_id=str(order_id),
        data=PaymentIntentData(
            stripe_event_id="evt_crash1",
            stripe_event_type="payment_intent.succeeded",
            stripe_created=1_800_000_000,
            payment_intent_id="pi_crash1",
            order_id=order_id,
            user_id=user,
            amount=1500,
            amount_received=1500,
            currency="usd",
            status="succeeded",
        ),
    )
    return placed, paid


async def test_kill_between_the_partner_call_and_the_commit_makes_one_partner_order(
    system: tuple[Settings, PaymentPeers], tmp_path: Path
) -> None:
    settings, peers = system
    primary, fallback = peers.partners["primary"].url, peers.partners["fallback"].url
    order_id = uuid.uuid4()
    async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
        mode = {"mode": "slow", "delay_seconds": DELAY, "count": 1}
        (await http.post(f"{primary}/_admin/mode", json=mode)).raise_for_status()
        consumer = spawn(settings, "consume", "fulfillment", log=tmp_path / "fulfillment-1.log")
        try:
            async with publisher(settings.kafka_servers, settings.topic_prefix) as bus:
                placed, paid = _events(order_id)
                await bus.publish(ORDERS, placed)
                await bus.publish(PAYMENTS, paid)

            async def in_flight() -> bool:  # the slow call was taken: the consumer waits for the partner
                return bool((await http.get(f"{primary}/_admin/health")).json()["mode"] == "normal")

            await eventually(in_flight, timeout=60, every=0.05, what="the consumer to call the partner")
            os.kill(consumer.pid, signal.SIGKILL)
            consumer.wait(timeout=10)
        finally:
            stop(consumer)

        async def created() -> bool:  # the partner finishes the work although its caller died
            return len((await http.get(f"{primary}/_admin/orders")).json()["data"]) == 1

        await eventually(created, timeout=DELAY + 10, every=0.2, what="the partner to create the order")
        again = spawn(settings, "consume", "fulfillment", log=tmp_path / "fulfillment-2.log")
        try:
            topic = ORDERS.resolve(settings.topic_prefix)

            async def forwarded() -> list[Event]:
                records = await read_all(settings.kafka_servers, topic)
                events = [decode(r.value, REGISTRY) for r in records]
                return [e for e in events if isinstance(e, OrderForwarded)]

            done = await eventually(forwarded, timeout=90, every=0.5, what="order.forwarded after the restart")
        finally:
            stop(again)
        orders = (await http.get(f"{primary}/_admin/orders")).json()["data"]
        elsewhere = (await http.get(f"{fallback}/_admin/orders")).json()["data"]
    assert [o["reference"] for o in orders] == [str(order_id)] and elsewhere == []
    assert {e.data.partner_order_id for e in done} == {orders[0]["id"]}  # type: ignore[attr-defined]
