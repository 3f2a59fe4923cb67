"""Accepting an upload: validate, clean, store the blob, publish, project — or leave nothing behind."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import PurePath

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from api_edge.image_intake import CleanImage, IntakeError, sanitize
from events.topics import UPLOADS
from events.uploads import UploadAccepted, UploadAcceptedData
from producers.publisher import PublishFailed
from schemas.analysis import UploadForm
from storage.analysis import folds
from storage.analysis.queries import blob_in_use
from storage.users.sessions import Principal

log = logging.getLogger(__name__)
SOURCE = "shine.edge"


def parse_form(form: FormData) -> tuple[UploadFile, UploadForm]:
    """The image part and the validated options; 422 for a missing image or unknown/invalid fields."""
    image = form.get("image")
    if not isinstance(image, UploadFile):
        raise ApiError(422, "IMAGE_REQUIRED", "Send the photo as a multipart file field named 'image'.")
    # A second file never gets here: the form is parsed with max_files=1 (400 from the parser).
    fields = {k: v for k, v in form.multi_items() if k != "image"}
    try:
        return image, UploadForm.model_validate(fields)
    except ValidationError as exc:
        details = {"errors": [{"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()]}
        raise ApiError(422, "INVALID_FIELD", "Some upload fields are invalid.", details) from None


def estimate_seconds(clean: CleanImage) -> int:
    """A rough time to result: a fixed pipeline cost plus decode time growing with the pixel count."""
    return 3 + round(clean.width * clean.height / 4_000_000)


async def accept(
    deps: EdgeDeps, who: Principal, image: UploadFile, opts: UploadForm, correlation: str
) -> tuple[UploadAccepted, CleanImage]:
    """Publish upload.accepted for a clean copy of the photo and project it as pending."""
    data = await image.read()
    if len(data) > deps.limits.max_bytes:
        raise ApiError(
            413,
            "UPLOAD_TOO_LARGE",
            f"The photo is larger than {deps.limits.max_bytes} bytes.",
            {"max_bytes": deps.limits.max_bytes, "size": len(data)},
        )
    try:
        async with deps.decode_slots:  # each decode may hold ~120 MB and a core: queue beyond the cap
            clean = await asyncio.to_thread(
                sanitize, data, max_pixels=deps.limits.max_pixels, min_side=deps.limits.min_side
            )
    except IntakeError as exc:
        raise ApiError(exc.status, exc.code, exc.message, dict(exc.details)) from None
    upload_id = uuid.uuid4()
    event = UploadAccepted(
        source=SOURCE,
        subject=str(upload_id),
        correlation_id=correlation,
        data=UploadAcceptedData(
            upload_id=upload_id,
            user_id=who.user_id,
            blob_sha256=clean.sha256,
            mime_type=clean.format.mime,
            file_size=len(clean.data),
            width=clean.width,
            height=clean.height,
            original_filename=PurePath(image.filename or "").name[:255] or None,
            analysis_type=opts.analysis_type,
            privacy_level=opts.privacy_level,
        ),
    )
    await deps.blobs.put(clean.data)
    try:
        await deps.publisher.publish(UPLOADS, event)
    except PublishFailed:
        await _discard_blob(deps, clean.sha256)
        raise ApiError(
            503, "EVENT_BUS_UNAVAILABLE", "The upload could not be recorded; nothing was kept. Try again."
        ) from None
    await _project(deps, event)
    return event, clean


async def _project(deps: EdgeDeps, event: UploadAccepted) -> None:
    # The event is the fact; this write only lets the client read its own write at once. If it fails,
    # the projector applies the same event shortly, so the upload is still accepted.
    try:
        async with deps.engine.begin() as conn:
            await folds.upload_accepted(conn, event)
    except Exception:  # the projector will apply the event; the upload stands
        log.exception("read-your-write projection failed; the projector will apply the event")


async def _discard_blob(deps: EdgeDeps, sha256: str) -> None:
    async with deps.engine.connect() as conn:
        if not await blob_in_use(conn, sha256):
            await deps.blobs.delete(sha256)
