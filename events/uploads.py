"""Uploads context: a photo was accepted for analysis."""

from __future__ import annotations

import uuid

from pydantic import Field

from events.envelope import Event, Payload


class UploadAcceptedData(Payload):
    upload_id: uuid.UUID
    user_id: uuid.UUID
    blob_sha256: str = Field(pattern="^[0-9a-f]{64}$")
    mime_type: str
    file_size: int
    width: int
    height: int
    original_filename: str | None = None
    analysis_type: str = "comprehensive"
    privacy_level: str = "private"


class UploadAccepted(Event):
    """The edge validated, cleaned and stored a photo; the blob is referenced by its sha256 (claim check)."""

    TYPE = "upload.accepted"
    data: UploadAcceptedData
