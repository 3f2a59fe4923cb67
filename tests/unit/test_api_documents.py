"""The OpenAPI and AsyncAPI snapshots match the code; the OpenAPI document is true to the routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from api_edge.app import operations, routes
from api_edge.openapi import openapi_document
from schemas.asyncapi import asyncapi_document

SNAPSHOTS = Path(__file__).resolve().parents[2] / "schemas"
NOT_RATE_LIMITED = {"/health", "/ready", "/metrics", "/webhooks/stripe", "/webhooks/partners/{partner}"}
NO_DEPENDENCIES = {"/health", "/metrics", "/openapi.json"}


def _snapshot(name: str) -> object:
    return json.loads((SNAPSHOTS / name).read_text())


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in openapi_document()["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def test_openapi_snapshot_is_current() -> None:
    assert openapi_document() == _snapshot("openapi.json"), "run: python -m schemas.snapshots"


def test_asyncapi_snapshot_is_current() -> None:
    assert asyncapi_document() == _snapshot("asyncapi.json"), "run: python -m schemas.snapshots"


def test_every_route_is_documented_and_nothing_else() -> None:
    served = {(m.lower(), r.path.replace(":uuid", "")) for r in routes() for m in (r.methods or ()) if m != "HEAD"}
    documented = {(method, path) for path, method, _ in _operations()}
    assert served == documented


def test_every_ref_resolves() -> None:
    doc = openapi_document()
    prefix = "#/components/schemas/"
    missing = [
        r for r in _refs(doc) if not r.startswith(prefix) or r[len(prefix) :] not in doc["components"]["schemas"]
    ]
    assert missing == []


def test_shared_statuses_are_documented_on_every_route_they_apply_to() -> None:
    for path, method, op in _operations():
        answers = set(op["responses"])
        assert path in NOT_RATE_LIMITED or "429" in answers, (method, path)
        assert path in NO_DEPENDENCIES or "503" in answers, (method, path)
        if "security" in op:
            assert {"401", "403"} <= answers, (method, path)
        for status in ("429", "503"):
            if status in answers and path != "/ready":
                assert "Retry-After" in op["responses"][status]["headers"], (method, path, status)


BODY_OPTIONAL = {
    ("post", "/auth/logout"),
    ("post", "/orders/{order_id}/cancel"),
    ("post", "/orders/{order_id}/refund"),
    ("post", "/subscriptions"),
    ("post", "/subscriptions/cancel"),
}


def test_bodies_are_required_unless_the_route_accepts_none() -> None:
    optional = {(op.method.lower(), op.path) for op in operations() if op.doc.body is not None}
    for path, method, op in _operations():
        if "requestBody" in op:
            assert (method, path) in optional
            assert op["requestBody"]["required"] is ((method, path) not in BODY_OPTIONAL), (method, path)
