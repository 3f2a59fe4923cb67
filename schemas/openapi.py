"""The OpenAPI 3.1 document, generated from the HTTP models; `schemas/openapi.json` is its snapshot."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from schemas.analysis import AnalysisResult, Health, Readiness, UploadResponse
from schemas.auth_operations import AUTH_OPERATIONS
from schemas.errors import ErrorResponse
from schemas.history import MAX_LIMIT, METRICS, HistoryPage, Trend
from schemas.operation import ERRORS, Operation

_UPLOAD_ID = [{"name": "upload_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]
_UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["image"],
                "additionalProperties": False,
                "properties": {
                    "image": {
                        "type": "string",
                        "format": "binary",
                        "description": "JPEG, PNG or WebP; ≤ 10 MiB, ≤ 40 MP",
                    },
                    "analysis_type": {"type": "string", "enum": ["comprehensive", "quick"], "default": "comprehensive"},
                    "privacy_level": {
                        "type": "string",
                        "enum": ["private", "standard", "research"],
                        "default": "private",
                    },
                },
            }
        }
    },
}

_DATE = {"type": "string", "description": "ISO date (whole day; date_to inclusive) or date-time (UTC if naive)"}
_PERIOD = [
    {"name": "date_from", "in": "query", "schema": _DATE},
    {"name": "date_to", "in": "query", "schema": _DATE},
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "description": f"capped at {MAX_LIMIT}"},
    },
]
_METRICS = list(METRICS)

CORE_OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/health", "Process liveness", {200: Health}),
    Operation("get", "/ready", "Readiness of Kafka, Postgres and every consumer", {200: Readiness, 503: Readiness}),
    Operation("get", "/metrics", "Prometheus metrics", {200: "text/plain"}),
    Operation("get", "/openapi.json", "This document", {200: "application/json"}),
    Operation(
        "post",
        "/analysis/upload",
        "Upload a face photo for analysis",
        {202: UploadResponse},
        (400, 401, 413, 415, 422, 503),
        auth=True,
        body=_UPLOAD_FORM,
    ),
    Operation(
        "get",
        "/analysis/history",
        "Your past analyses, newest first",
        {200: HistoryPage},
        (401, 422),
        auth=True,
        params=[{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}}, *_PERIOD],
    ),
    Operation(
        "get",
        "/analysis/trends",
        "One of your scores over time, oldest first",
        {200: Trend},
        (401, 422),
        auth=True,
        params=[
            {"name": "metric", "in": "query", "schema": {"type": "string", "enum": _METRICS, "default": "overall"}},
            *_PERIOD,
        ],
    ),
    Operation(
        "get",
        "/analysis/results/{upload_id}",
        "The analysis of one of your uploads",
        {200: AnalysisResult},
        (401, 404),
        auth=True,
        params=_UPLOAD_ID,
    ),
    Operation(
        "get",
        "/analysis/results/{upload_id}/overlay",
        "The photo with zones and findings drawn",
        {200: "image/jpeg"},
        (401, 404),
        auth=True,
        params=_UPLOAD_ID,
    ),
)

OPERATIONS = CORE_OPERATIONS + AUTH_OPERATIONS


def _content(kind: type[BaseModel] | str) -> dict[str, Any]:
    if isinstance(kind, str):
        return {kind: {"schema": {"type": "string"}}}
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{kind.__name__}"}}}


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {str(s): {"description": "OK", "content": _content(k)} for s, k in op.responses.items()}
    for status in op.errors:
        responses[str(status)] = {"description": ERRORS[status], "content": _content(ErrorResponse)}
    doc: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{op.method}_{op.path.strip('/')}".replace("/", "_")
        .replace("{", "")
        .replace("}", "")
        .replace(".", "_"),
        "responses": responses,
    }
    if op.params:
        doc["parameters"] = op.params
    if op.body:
        doc["requestBody"] = op.body
    if op.json_body:
        doc["requestBody"] = {"required": True, "content": _content(op.json_body)}
    if op.auth:
        doc["security"] = [{"bearer": []}]
    return doc


def openapi_document() -> dict[str, Any]:
    """The whole document."""
    models = [m for op in OPERATIONS for m in op.responses.values() if not isinstance(m, str)] + [ErrorResponse]
    bodies = [op.json_body for op in OPERATIONS if op.json_body is not None]
    _, defs = models_json_schema(
        [(m, "serialization") for m in dict.fromkeys(models)] + [(m, "validation") for m in dict.fromkeys(bodies)],
        ref_template="#/components/schemas/{model}",
    )
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
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
