"""Bounded publishes: refused at once while disconnected; an unacknowledged record is answered 503 and its
late fate (ack or failure) reaches the caller's follow-ups."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError

from api_edge.errors import Unavailable
from api_edge.platform.bus import Bus
from events.topics import UPLOADS
from events.uploads import UploadAccepted, UploadAcceptedData


class FakeProducer:
    """Hands out the future the test resolves."""

    def __init__(self) -> None:
        self.ack: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    async def send(self, topic: str, value: bytes, **kwargs: Any) -> asyncio.Future[object]:
        return self.ack


def _event() -> UploadAccepted:
    import uuid

    data = UploadAcceptedData(
        upload_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        blob_sha256="0" * 64,
        mime_type="image/jpeg",
        file_size=1,
        width=64,
        height=64,
        original_filename=None,
        analysis_type="quick",
        privacy_level="private",
    )
    return UploadAccepted(source="test", subject=str(data.upload_id), correlation_id="c", data=data)


class Fate:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self.done = asyncio.Event()

    async def late(self) -> None:
        self.seen.append("late")
        self.done.set()

    async def lost(self) -> None:
        self.seen.append("lost")
        self.done.set()


async def test_disconnected_bus_refuses_at_once() -> None:
    bus, fate = Bus("127.0.0.1:1", "", 0.2, 3), Fate()
    with pytest.raises(Unavailable) as refused:
        await bus.publish(UPLOADS, _event(), on_late=fate.late, on_lost=fate.lost)
    assert refused.value.code == "EVENT_BUS_UNAVAILABLE" and "unacknowledged_event_id" not in refused.value.details


@pytest.mark.parametrize("outcome", ["late", "lost"])
async def test_an_unacknowledged_record_is_followed_to_its_end(outcome: str) -> None:
    bus, fate, producer, event = Bus("unused", "", 0.2, 3), Fate(), FakeProducer(), _event()
    bus._producer = producer  # type: ignore[assignment]
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(Unavailable) as refused:
        await bus.publish(UPLOADS, event, on_late=fate.late, on_lost=fate.lost)
    assert loop.time() - started < 0.5
    assert refused.value.details["unacknowledged_event_id"] == str(event.event_id) and fate.seen == []
    if outcome == "late":
        producer.ack.set_result(object())
    else:
        producer.ack.set_exception(KafkaTimeoutError())
    await asyncio.wait_for(fate.done.wait(), 2)
    assert fate.seen == [outcome]
