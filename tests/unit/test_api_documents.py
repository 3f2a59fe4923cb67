"""The OpenAPI and AsyncAPI snapshots match the code, and OpenAPI covers every route."""

from __future__ import annotations

import json
from pathlib import Path

from api_edge.app import routes
from schemas.asyncapi import asyncapi_document
from schemas.openapi import OPERATIONS, openapi_document

SNAPSHOTS = Path(__file__).resolve().parents[2] / "schemas"


def _snapshot(name: str) -> object:
    return json.loads((SNAPSHOTS / name).read_text())


def test_openapi_snapshot_is_current() -> None:
    assert openapi_document() == _snapshot("openapi.json"), "run: python -m schemas.snapshots"


def test_asyncapi_snapshot_is_current() -> None:
    assert asyncapi_document() == _snapshot("asyncapi.json"), "run: python -m schemas.snapshots"


def test_every_route_is_documented_and_nothing_else() -> None:
    served = {(m.lower(), r.path.replace(":uuid", "")) for r in routes() for m in (r.methods or ()) if m != "HEAD"}
    documented = {(op.method, op.path) for op in OPERATIONS}
    assert served == documented
