"""One error shape for every failure, with the right status; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from schemas.errors import ErrorBody, ErrorResponse


class BodyTooLarge(Exception):
    """The request body passed its byte budget while streaming."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"body over {max_bytes} bytes")
        self.max_bytes = max_bytes


class Unavailable(Exception):
    """A dependency (the database, the broker) did not answer within its bound; nothing was applied."""

    def __init__(
        self, dependency: str, code: str, message: str, retry_after: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{dependency}: {message}")
        self.dependency, self.code, self.message, self.retry_after = dependency, code, message, retry_after
        self.details = details or {}


log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """An error meant for the client."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}
        self.headers = headers


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error response."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or {}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def unavailable_response(exc: Unavailable) -> JSONResponse:
    """The 503 answer for an outage, with Retry-After."""
    details = {**exc.details, "retry_after": exc.retry_after, "dependency": exc.dependency}
    return error_response(503, exc.code, exc.message, details, headers={"Retry-After": str(exc.retry_after)})


async def on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unavailable)
    log.warning("dependency unavailable", extra={"path": request.url.path, "dependency": exc.dependency})
    return unavailable_response(exc)


async def on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    return error_response(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side; the request was not applied.")


async def on_body_too_large(request: Request, exc: Exception) -> JSONResponse:
    limit = getattr(exc, "max_bytes", None)
    return error_response(
        413,
        "UPLOAD_TOO_LARGE",
        "The request body is larger than this endpoint accepts.",
        {"max_bytes": limit},
        headers={"Connection": "close"},
    )


EXCEPTION_HANDLERS = {
    ApiError: on_api_error,
    Unavailable: on_unavailable,
    BodyTooLarge: on_body_too_large,
    HTTPException: on_http_exception,
    Exception: on_unexpected,
}
