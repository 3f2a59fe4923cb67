"""Parsing request input into strict models: malformed → 400, invalid → 422, both in the one error shape.

Every string (keys too) is checked for NUL and lone surrogates before validation: such values are refused
with 422 instead of reaching Postgres, which would fail on them.
"""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from api_edge.errors import ApiError
from api_edge.text_rules import bad_paths

M = TypeVar("M", bound=BaseModel)
MAX_JSON_BYTES = 64 * 1024
MAX_QUERY_VALUE = 2048


def _errors(exc: ValidationError) -> dict[str, object]:
    return {"errors": [{"field": ".".join(map(str, e["loc"])) or "body", "message": e["msg"]} for e in exc.errors()]}


def _bad_text(code: str, paths: list[str]) -> ApiError:
    errors = [{"field": p, "message": "NUL characters and lone surrogates are not allowed"} for p in paths]
    return ApiError(422, code, "Some values hold characters that are not allowed.", {"errors": errors})


def parse_query(request: Request, model: type[M]) -> M:
    """The query string as `model`; unknown parameters and bad values are 422 INVALID_QUERY."""
    values = dict(request.query_params)
    bad = list(bad_paths(values))
    if bad:
        raise _bad_text("INVALID_QUERY", bad)
    too_long = [k for k, v in values.items() if len(v) > MAX_QUERY_VALUE or len(k) > MAX_QUERY_VALUE]
    if too_long:
        raise ApiError(422, "INVALID_QUERY", "Some query parameters are too long.", {"fields": too_long[:10]})
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise ApiError(422, "INVALID_QUERY", "Some query parameters are invalid.", _errors(exc)) from None


async def parse_body(request: Request, model: type[M], *, empty: M | None = None) -> M:
    """The JSON body as `model` (`empty` stands for a missing body where one is optional)."""
    raw = await request.body()
    if not raw.strip() and empty is not None:
        return empty
    if len(raw) > MAX_JSON_BYTES:
        raise ApiError(413, "BODY_TOO_LARGE", f"JSON bodies are limited to {MAX_JSON_BYTES} bytes.")
    if not raw.strip():
        raise ApiError(422, "BODY_REQUIRED", "This request needs a JSON body.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ApiError(400, "INVALID_JSON", "The body is not valid JSON.") from None
    try:
        bad = list(bad_paths(data))
    except RecursionError:
        raise ApiError(400, "INVALID_JSON", "The body nests too deeply.") from None
    if bad:
        raise _bad_text("INVALID_BODY", bad[:20])
    try:
        # Strict: JSON types as documented (no "1" for 1, no 0 for false); strings still carry decimals and dates.
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise ApiError(422, "INVALID_BODY", "Some fields are invalid or not allowed.", _errors(exc)) from None
