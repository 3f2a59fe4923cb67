"""The OpenAPI 3.1 document, generated from the route declarations; `schemas/openapi.json` is its snapshot.

Statuses every route of a kind can answer are added here, so no declaration can forget them: 400 (unknown
Host), 429 (rate limits), 503 (a dependency outage), 401/403 (signed-in routes: unauthenticated, suspended,
not an admin), 413 (any body over its budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from api_edge.access import Access
from api_edge.platform.idempotency import HEADER as IDEMPOTENCY_HEADER
from api_edge.rate_limit import path_class
from api_edge.routing import FormBody, JsonBody, Operation
from schemas.errors import ErrorResponse

ERRORS = {
    400: "Malformed request, header or Host",
    401: "Missing, unknown or expired token (or an ID token that failed validation)",
    403: "Suspended account, or not allowed for this role",
    404: "Not found (or not yours)",
    409: "Conflicts with existing data, or the same Idempotency-Key is in flight",
    413: "Body or image too large",
    415: "Not a JPEG, PNG or WebP image",
    422: "Invalid input (including NUL characters, lone surrogates, out-of-range dates)",
    429: "Rate limited; see Retry-After",
    503: "A dependency is unavailable or the analysis queue is full; nothing was applied; see Retry-After",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}}


def statuses(op: Operation) -> list[int]:
    """Every error status the route can answer."""
    found = {400, *op.doc.errors}
    if path_class(op.path) is not None:
        found.add(429)
    if op.doc.dependencies:
        found.add(503)
    if op.access is not Access.PUBLIC:
        found |= {401, 403}
    if op.doc.body is not None:
        found.add(413)
    if any(param.name == IDEMPOTENCY_HEADER for param in op.doc.params):
        found.add(409)  # the same key is still in flight
    return sorted(found - set(op.doc.ok))


def _operation_id(method: str, path: str) -> str:
    return (
        f"{method.lower()}_{path.strip('/')}".replace("/", "_").translate(str.maketrans("", "", "{}")).replace(".", "_")
    )


def _content(kind: type[BaseModel] | str, refs: dict[tuple[type[BaseModel], JsonSchemaMode], Any]) -> dict[str, Any]:
    if isinstance(kind, str):
        return {kind: {"schema": {"type": "string"}}}
    return {"application/json": {"schema": refs[(kind, "serialization")]}}


def _operation(op: Operation, refs: dict[tuple[type[BaseModel], JsonSchemaMode], Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, kind in op.doc.ok.items():
        responses[str(status)] = {"description": "OK" if status < 400 else "Not ready", "content": _content(kind, refs)}
    for status in statuses(op):
        responses[str(status)] = {"description": ERRORS[status], "content": _content(ErrorResponse, refs)}
        if status in (429, 503):
            responses[str(status)]["headers"] = _RETRY_AFTER
    for status, headers in op.doc.headers.items():
        responses[str(status)]["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()
        }
    if op.doc.links:
        responses[str(min(op.doc.ok))]["links"] = {
            link.name: {"operationId": _operation_id(link.method, link.path), "parameters": dict(link.parameters)}
            for link in op.doc.links
        }
    doc: dict[str, Any] = {
        "summary": op.doc.summary,
        "operationId": _operation_id(op.method, op.path),
        "responses": responses,
    }
    if op.doc.params:
        doc["parameters"] = [p.document() for p in op.doc.params]
    body = op.doc.body
    if isinstance(body, JsonBody):
        schema = refs[(body.model, "validation")]
        doc["requestBody"] = {"required": body.required, "content": {"application/json": {"schema": schema}}}
    elif isinstance(body, FormBody):
        doc["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": body.schema}}}
    if op.access is not Access.PUBLIC:
        doc["security"] = [{"bearer": []}]
    return doc


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The document for these operations; every `$ref` names a schema in components (test_api_documents)."""
    answers = [m for op in operations for m in op.doc.ok.values() if not isinstance(m, str)] + [ErrorResponse]
    bodies = [op.doc.body.model for op in operations if isinstance(op.doc.body, JsonBody)]
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        *((m, "serialization") for m in dict.fromkeys(answers)),
        *((m, "validation") for m in dict.fromkeys(bodies)),
    ]
    refs, defs = models_json_schema(wanted, ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs)  # type: ignore[arg-type]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Shine API",
            "version": "1.0.0",
            "description": 'AI skincare analysis. Errors: {"error": {"code", "message", "details"}}.',
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def openapi_document() -> dict[str, Any]:
    """The edge's whole document."""
    from api_edge.app import operations

    return document(operations())
