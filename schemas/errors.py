"""The one error shape every HTTP error uses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorResponse(BaseModel):
    """`{"error": {"code": "UPLOAD_TOO_LARGE", "message": "...", "details": {...}}}`"""

    model_config = ConfigDict(extra="forbid")

    error: ErrorBody
