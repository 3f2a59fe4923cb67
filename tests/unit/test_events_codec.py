"""Event (de)serialisation, CloudEvents mapping, upcasting and derived ids."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from events.codec import EventRegistry, UndecodableEvent, decode, encode
from events.envelope import Event, Payload, derived_id
from events.registry import REGISTRY
from events.uploads import UploadAccepted, UploadAcceptedData


def _upload(**overrides: Any) -> UploadAccepted:
    data = UploadAcceptedData(
        upload_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        blob_sha256="a" * 64,
        mime_type="image/jpeg",
        file_size=10,
        width=640,
        height=480,
    )
    return UploadAccepted(source="test", subject=str(data.upload_id), correlation_id="c-1", data=data, **overrides)


def test_round_trip_keeps_every_field() -> None:
    event = _upload(causation_id="cause")
    key, value, _ = encode(event)
    assert key == event.subject.encode()
    assert decode(value, REGISTRY) == event


def test_value_and_headers_use_cloudevents_attribute_names() -> None:
    event = _upload()
    _, value, headers = encode(event)
    body = json.loads(value)
    assert body["specversion"] == "1.0"
    assert body["id"] == str(event.event_id)
    assert body["type"] == "upload.accepted"
    assert body["subject"] == event.subject
    assert body["correlationid"] == "c-1"
    names = dict(headers)
    assert names["ce_type"] == b"upload.accepted"
    assert names["content-type"] == b"application/cloudevents+json"


def test_type_and_version_come_from_the_class() -> None:
    event = _upload(type="something.else", version=99)
    assert (event.type, event.version) == ("upload.accepted", 1)


def test_unknown_event_type_is_skipped_not_crashed_on() -> None:
    _, value, _ = encode(_upload())
    body = json.loads(value)
    body["type"] = "upload.teleported"
    assert decode(json.dumps(body).encode(), REGISTRY) is None


@pytest.mark.parametrize("value", [b"", b"not json", b"[]", b'{"type": "upload.accepted", "data": 3}', None])
def test_garbage_is_undecodable(value: bytes | None) -> None:
    with pytest.raises(UndecodableEvent):
        decode(value, REGISTRY)


def test_invalid_payload_is_undecodable() -> None:
    _, value, _ = encode(_upload())
    body = json.loads(value)
    del body["data"]["upload_id"]
    with pytest.raises(UndecodableEvent, match="invalid"):
        decode(json.dumps(body).encode(), REGISTRY)


def test_fields_added_by_newer_producers_are_ignored() -> None:
    _, value, _ = encode(_upload())
    body = json.loads(value)
    body["data"]["new_field"] = 1
    body["newattr"] = "x"
    assert decode(json.dumps(body).encode(), REGISTRY) is not None


class GreetingV2Data(Payload):
    name: str
    language: str


class Greeting(Event):
    TYPE = "greeting.sent"
    VERSION = 3
    data: GreetingV2Data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["who"]}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "language": "en"}


def test_old_versions_are_upcast_step_by_step() -> None:
    registry = EventRegistry.of([Greeting], {("greeting.sent", 1): _v1_to_v2, ("greeting.sent", 2): _v2_to_v3})
    old = {
        "type": "greeting.sent",
        "eventversion": 1,
        "id": str(uuid.uuid4()),
        "source": "s",
        "subject": "x",
        "time": "2026-01-01T00:00:00Z",
        "correlationid": "c",
        "data": {"who": "ana"},
    }
    event = decode(json.dumps(old).encode(), registry)
    assert isinstance(event, Greeting)
    assert event.data == GreetingV2Data(name="ana", language="en")


def test_a_version_without_upcaster_or_from_the_future_is_undecodable() -> None:
    registry = EventRegistry.of([Greeting])
    for version in (1, 4):
        record = {
            "type": "greeting.sent",
            "eventversion": version,
            "id": str(uuid.uuid4()),
            "source": "s",
            "subject": "x",
            "time": "2026-01-01T00:00:00Z",
            "correlationid": "c",
            "data": {},
        }
        with pytest.raises(UndecodableEvent):
            decode(json.dumps(record).encode(), registry)


def test_derived_ids_are_deterministic_and_distinct_per_consumer() -> None:
    source = uuid.uuid4()
    assert derived_id("analysis", source) == derived_id("analysis", source)
    assert derived_id("analysis", source) != derived_id("projector", source)
