"""Delivery guarantees against the real broker: producer settings, DLQ, retries, ordering, redrive."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from analyst.redrive import redrive
from consumers.projector.handlers import projector_handlers
from consumers.runtime.delivery import Handler, PermanentError, RetryPolicy
from events.codec import encode
from events.envelope import Event
from events.topics import UPLOADS
from events.uploads import UploadAccepted
from shine.settings import Settings
from storage.analysis.tables import image_uploads
from tests.support.kafka import fresh_prefix, publisher, read_all, running_group, upload_event
from tests.support.polling import eventually

pytestmark = pytest.mark.integration


async def _upload_row(engine: AsyncEngine, upload_id: uuid.UUID) -> object:
    async with engine.connect() as conn:
        return (await conn.execute(select(image_uploads.c.id).where(image_uploads.c.id == upload_id))).first()


async def test_producer_is_idempotent_with_acks_from_all_replicas(settings: Settings) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    async with publisher(settings.kafka_servers, prefix) as pub:
        producer = pub._producer
        assert producer._sender._acks == -1
        assert producer._txn_manager is not None
        await pub.publish(UPLOADS, upload_event())
        assert producer._txn_manager.producer_id >= 0  # the broker assigned an idempotent producer id
    records = await read_all(settings.kafka_servers, UPLOADS.resolve(prefix))
    assert len(records) == 1
    assert dict(records[0].headers)["ce_type"] == b"upload.accepted"


async def test_poison_record_goes_to_dlq_and_does_not_block_its_partition(
    settings: Settings, engine: AsyncEngine
) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    good = upload_event()
    key, value, headers = encode(good)
    async with publisher(settings.kafka_servers, prefix) as pub:
        # Same key, so the same partition: the poison record sits right before the good one.
        await pub.send_raw(UPLOADS.resolve(prefix), key, b"\x00not an event", [("origin", b"fuzzer")])
        await pub.send_raw(UPLOADS.resolve(prefix), key, value, headers)
    async with running_group(settings.kafka_servers, prefix, "projector", (UPLOADS,), projector_handlers(engine)):
        await eventually(lambda: _upload_row(engine, good.data.upload_id), what="the good record projected")
        dead = await eventually(lambda: read_all(settings.kafka_servers, UPLOADS.dlq(prefix)), what="a dead letter")
    assert len(dead) == 1
    h = dict(dead[0].headers)
    assert h["dlq.error.class"] == b"UndecodableEvent"
    assert h["dlq.original.topic"] == UPLOADS.resolve(prefix).encode()
    assert h["dlq.original.offset"] == b"0"
    assert h["origin"] == b"fuzzer"
    assert dead[0].value == b"\x00not an event"


async def test_transient_failures_are_retried_then_succeed_once(settings: Settings) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    attempts: list[uuid.UUID] = []
    done: list[uuid.UUID] = []

    async def flaky(event: Event) -> None:
        attempts.append(event.event_id)
        if len(attempts) < 3:
            raise ConnectionError("database blinked")
        done.append(event.event_id)

    handlers: dict[type[Event], Handler] = {UploadAccepted: flaky}
    event = upload_event()
    async with publisher(settings.kafka_servers, prefix) as pub:
        await pub.publish(UPLOADS, event)
    async with running_group(settings.kafka_servers, prefix, "flaky", (UPLOADS,), handlers, RetryPolicy(3, 10)):
        await eventually(lambda: _async(done), what="the handler to succeed")
    assert attempts == [event.event_id] * 3
    assert done == [event.event_id]
    assert await read_all(settings.kafka_servers, UPLOADS.dlq(prefix)) == []


async def test_exhausted_retries_and_permanent_errors_are_dead_lettered(settings: Settings) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    broken, rejected = upload_event(), upload_event()
    calls: list[uuid.UUID] = []

    async def failing(event: Event) -> None:
        calls.append(event.event_id)
        if event.event_id == rejected.event_id:
            raise PermanentError("this upload can never be processed")
        raise RuntimeError("always broken")

    async with publisher(settings.kafka_servers, prefix) as pub:
        await pub.publish(UPLOADS, broken)
        await pub.publish(UPLOADS, rejected)
    async with running_group(
        settings.kafka_servers, prefix, "failing", (UPLOADS,), {UploadAccepted: failing}, RetryPolicy(2, 10)
    ):
        dead = await eventually(
            lambda: _at_least(read_all(settings.kafka_servers, UPLOADS.dlq(prefix)), 2), what="two dead letters"
        )
    by_error = {dict(r.headers)["dlq.error.class"]: dict(r.headers) for r in dead}
    assert by_error[b"RuntimeError"]["dlq.attempts"] == b"3"
    assert by_error[b"PermanentError"]["dlq.attempts"] == b"1"
    assert calls.count(broken.event_id) == 3 and calls.count(rejected.event_id) == 1


async def test_redrive_moves_dead_letters_back_once(settings: Settings, engine: AsyncEngine) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    event = upload_event()

    async def down(event: Event) -> None:
        raise RuntimeError("dependency down")

    async with publisher(settings.kafka_servers, prefix) as pub:
        await pub.publish(UPLOADS, event)
        async with running_group(
            settings.kafka_servers, prefix, "projector", (UPLOADS,), {UploadAccepted: down}, RetryPolicy(1, 10)
        ):
            await eventually(lambda: read_all(settings.kafka_servers, UPLOADS.dlq(prefix)), what="a dead letter")
        assert await redrive(settings.kafka_servers, UPLOADS, pub, lambda n: None) == 1
        assert await redrive(settings.kafka_servers, UPLOADS, pub, lambda n: None) == 0
    records = await read_all(settings.kafka_servers, UPLOADS.resolve(prefix))
    assert len(records) == 2
    assert not any(k.startswith("dlq.") for k, _ in records[1].headers)
    assert records[0].value == records[1].value
    # The dependency is back: the projector, resuming from its committed offset, applies the redriven copy.
    async with running_group(settings.kafka_servers, prefix, "projector", (UPLOADS,), projector_handlers(engine)):
        await eventually(lambda: _upload_row(engine, event.data.upload_id), what="the redriven event applied")


async def _async(value: list[uuid.UUID]) -> list[uuid.UUID]:
    return value


async def _at_least(records: object, n: int) -> object:
    found = await records  # type: ignore[misc]
    return found if len(found) >= n else None


async def test_claims_count_each_event_once(settings: Settings, engine: AsyncEngine) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    event = upload_event()
    async with publisher(settings.kafka_servers, prefix) as pub:
        for _ in range(3):  # the same event published three times (a producer retry after a lost ack)
            await pub.publish(UPLOADS, event)
    from storage.platform.tables import processed_events

    async with running_group(settings.kafka_servers, prefix, "projector", (UPLOADS,), projector_handlers(engine)):
        await eventually(lambda: _upload_row(engine, event.data.upload_id), what="projection")
    async with engine.connect() as conn:
        claims = (
            await conn.execute(
                select(func.count()).select_from(processed_events).where(processed_events.c.event_id == event.event_id)
            )
        ).scalar()
    assert claims == 1


async def test_an_outage_outlasting_every_retry_is_held_and_redelivered_not_dead_lettered(settings: Settings) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    calls: list[uuid.UUID] = []
    done: list[uuid.UUID] = []
    first, second = upload_event(), upload_event()

    async def database_down(event: Event) -> None:
        calls.append(event.event_id)
        if len(calls) <= 25:  # far more failures than max_retries, across several holds
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        done.append(event.event_id)

    async with publisher(settings.kafka_servers, prefix) as pub:
        await pub.publish(UPLOADS, first)
        await pub.publish(UPLOADS, second)
    # Hold 0.3 s, then give the record back uncommitted: it is delivered again until the outage ends.
    retry = RetryPolicy(max_retries=1, backoff_ms=10, cap_ms=40, outage_hold_seconds=0.3)
    async with running_group(
        settings.kafka_servers, prefix, "outage", (UPLOADS,), {UploadAccepted: database_down}, retry
    ):
        await eventually(lambda: _at_least(_async(done), 2), timeout=60, what="both records handled after the outage")
    assert sorted(done) == sorted([first.event_id, second.event_id])
    assert await read_all(settings.kafka_servers, UPLOADS.dlq(prefix)) == []
