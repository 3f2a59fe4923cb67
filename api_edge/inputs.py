"""Parsing request input into strict models: malformed → 400, invalid → 422, both in the one error shape."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from api_edge.errors import ApiError

M = TypeVar("M", bound=BaseModel)
MAX_JSON_BYTES = 64 * 1024


def _errors(exc: ValidationError) -> dict[str, object]:
    return {"errors": [{"field": ".".join(map(str, e["loc"])) or "body", "message": e["msg"]} for e in exc.errors()]}


def parse_query(request: Request, model: type[M]) -> M:
    """The query string as `model`; unknown parameters and bad values are 422 INVALID_QUERY."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise ApiError(422, "INVALID_QUERY", "Some query parameters are invalid.", _errors(exc)) from None


async def parse_body(request: Request, model: type[M], *, empty: M | None = None) -> M:
    """The JSON body as `model` (`empty` stands for a missing body where one is optional)."""
    raw = await request.body()
    if not raw.strip() and empty is not None:
        return empty
    if len(raw) > MAX_JSON_BYTES:
        raise ApiError(413, "BODY_TOO_LARGE", f"JSON bodies are limited to {MAX_JSON_BYTES} bytes.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ApiError(400, "INVALID_JSON", "The body is not valid JSON.") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "INVALID_BODY", "Some fields are invalid or not allowed.", _errors(exc)) from None
