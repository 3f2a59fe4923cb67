"""One documented HTTP operation, and the meaning of each error status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

ERRORS = {
    400: "Malformed request",
    401: "Missing, unknown or expired token (or an ID token that failed validation)",
    403: "Suspended account, or not allowed for this role",
    404: "Not found (or not yours)",
    409: "Conflicts with existing data",
    413: "Body or image too large",
    415: "Not a JPEG, PNG or WebP image",
    422: "Invalid input",
    429: "Rate limited; see Retry-After",
    503: "A dependency is unavailable; nothing was applied",
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    responses: dict[int, type[BaseModel] | str]
    errors: tuple[int, ...] = ()
    auth: bool = False
    body: dict[str, Any] | None = None
    json_body: type[BaseModel] | None = None
    params: list[dict[str, Any]] = field(default_factory=list)
