"""The AsyncAPI 3.0 document of our topics, generated from events/topics.py; `schemas/asyncapi.json` is its snapshot."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from events.envelope import Event
from events.topics import TOPICS


def _cloudevent(type_: str, data_model: str) -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "required": ["specversion", "id", "type", "source", "subject", "time", "eventversion", "correlationid", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "type": {"const": type_},
            "source": text,
            "subject": text,
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "eventversion": {"type": "integer"},
            "correlationid": text,
            "causationid": {"type": ["string", "null"]},
            "data": {"$ref": f"#/components/schemas/{data_model}"},
        },
    }


def asyncapi_document() -> dict[str, Any]:
    """Channels per topic, one message per event type; payloads are CloudEvents around the event's data model."""
    events = [e for topic in TOPICS for e in topic.events]
    data_models: dict[type[Event], object] = {e: e.model_fields["data"].annotation for e in events}
    _, defs = models_json_schema(
        [(m, "serialization") for m in dict.fromkeys(data_models.values()) if isinstance(m, type)],
        ref_template="#/components/schemas/{model}",
    )
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in TOPICS:
        refs = {}
        for event in topic.events:
            name = event.TYPE.replace(".", "_")
            messages[name] = {
                "name": event.TYPE,
                "title": event.__name__,
                "summary": (event.__doc__ or "").strip(),
                "contentType": "application/cloudevents+json",
                "headers": {
                    "type": "object",
                    "properties": {"ce_type": {"const": event.TYPE}, "ce_subject": {"type": "string"}},
                },
                "payload": _cloudevent(event.TYPE, getattr(data_models[event], "__name__", "")),
                "x-event-version": event.VERSION,
            }
            refs[name] = {"$ref": f"#/components/messages/{name}"}
        channels[topic.name] = {
            "address": topic.name,
            "description": topic.description,
            "messages": refs,
            "bindings": {
                "kafka": {
                    "topic": topic.name,
                    "partitions": topic.partitions,
                    "topicConfiguration": {
                        "cleanup.policy": ["compact" if topic.compacted else "delete"],
                        "retention.ms": topic.retention_ms,
                    },
                    "x-key": topic.key,
                }
            },
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Shine events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 structured JSON; key = subject; a `.dlq` twin per topic.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "components": {"messages": messages, "schemas": defs.get("$defs", {})},
    }
