"""Accepting an upload: refuse when overloaded, clean the photo, store its blob, publish, project — once per
Idempotency-Key — or leave nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from pathlib import PurePath

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api_edge.analysis.backlog import estimate_seconds, limit_for, overloaded, retry_after
from api_edge.analysis.deps import AnalysisDeps
from api_edge.errors import ApiError, Unavailable
from api_edge.image_intake import CleanImage, IntakeError, sanitize
from api_edge.payments import quota
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.text_rules import printable
from api_edge.users.session_rules import Principal
from events.topics import UPLOADS
from events.uploads import UploadAccepted, UploadAcceptedData
from schemas.analysis import UploadForm, UploadResponse
from storage.analysis import folds
from storage.analysis.queries import blob_in_use

log = logging.getLogger(__name__)
SOURCE = "shine.edge"
OPERATION = "analysis.upload"


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


async def upload(deps: AnalysisDeps, who: Principal, form: FormData, key: str | None, correlation: str) -> Answer:
    """Accept the photo in `form` (202), or replay the answer to the same keyed request."""
    image, opts = parse_form(form)
    data = await image.read()
    if len(data) > deps.limits.max_bytes:
        raise ApiError(
            413,
            "UPLOAD_TOO_LARGE",
            f"The photo is larger than {deps.limits.max_bytes} bytes.",
            {"max_bytes": deps.limits.max_bytes, "size": len(data)},
        )
    name = printable(PurePath(image.filename or "").name, 255)
    print_ = fingerprint(OPERATION, data, opts.analysis_type.encode(), opts.privacy_level.encode())

    async def accept() -> Answer:
        return await _accept(deps, who, data, opts, name, key, correlation)

    return await deps.idempotency.once(who.user_id, key, OPERATION, print_, accept)


async def _accept(
    deps: AnalysisDeps, who: Principal, data: bytes, opts: UploadForm, name: str | None, key: str | None, cid: str
) -> Answer:
    backlog = await deps.backlog.read()
    bp = deps.backpressure
    if overloaded(backlog, who.role, bp.max_backlog, bp.premium_share):
        wait = retry_after(backlog, limit_for(who.role, bp.max_backlog, bp.premium_share), bp.retry_after)
        raise _overloaded(wait, backlog.waiting)
    clean = await _clean(deps, data)
    deps.bus.ensure_connected()  # refuse before writing a blob that would be discarded at once
    # Counted before anything is written: a refusal (402) leaves nothing; a later failure gives the count back.
    counted = await quota.admit(deps.db, who, deps.free_analyses_per_month)
    upload_id = derived_id(who.user_id, key, "upload") if key else uuid.uuid4()
    event = UploadAccepted(
        event_id=derived_id(who.user_id, key, "upload.accepted") if key else uuid.uuid4(),
        source=SOURCE,
        subject=str(upload_id),
        correlation_id=cid,
        data=UploadAcceptedData(
            upload_id=upload_id,
            user_id=who.user_id,
            blob_sha256=clean.sha256,
            mime_type=clean.format.mime,
            file_size=len(clean.data),
            width=clean.width,
            height=clean.height,
            original_filename=name,
            analysis_type=opts.analysis_type,
            privacy_level=opts.privacy_level,
        ),
    )
    try:
        await deps.blobs.put(clean.data)
    except BaseException:
        await quota.release(deps.db, counted)
        raise

    async def project() -> None:
        await _project(deps, event)

    async def discard() -> None:
        await _discard_blob(deps, clean.sha256)
        await quota.release(deps.db, counted)

    try:
        await deps.bus.publish(UPLOADS, event, on_late=project, on_lost=discard)
    except Unavailable as exc:
        if "unacknowledged_event_id" not in exc.details:  # not sent: nothing refers to the blob
            await discard()
        else:
            exc.details["upload_id"] = str(upload_id)
        raise
    await _project(deps, event)
    url = deps.urls.result(upload_id)
    body = UploadResponse(
        upload_id=upload_id, status="pending", estimated_processing_time=estimate_seconds(backlog), analysis_url=url
    )
    return Answer(202, body.model_dump(mode="json"), {"Location": url})


async def _clean(deps: AnalysisDeps, data: bytes) -> CleanImage:
    # Each decode may hold ~120 MB and a core: wait a bounded time for a slot, then refuse as overloaded.
    try:
        async with asyncio.timeout(deps.decode_wait_seconds):
            await deps.decode_slots.acquire()
    except TimeoutError:
        raise _overloaded(deps.backpressure.retry_after, None) from None
    try:
        limits = deps.limits
        return await asyncio.to_thread(sanitize, data, max_pixels=limits.max_pixels, min_side=limits.min_side)
    except IntakeError as exc:
        raise ApiError(exc.status, exc.code, exc.message, dict(exc.details)) from None
    finally:
        deps.decode_slots.release()


def _overloaded(wait: int, waiting: int | None) -> ApiError:
    details: dict[str, object] = {"retry_after": wait}
    if waiting is not None:
        details["backlog"] = waiting
    return ApiError(
        503, "OVERLOADED", "Too many photos are waiting for analysis; retry later.", details, {"Retry-After": str(wait)}
    )


async def _project(deps: AnalysisDeps, event: UploadAccepted) -> None:
    # The event is the fact; this write only lets the client read its own write at once. If it fails,
    # the projector applies the same event shortly, so the upload is still accepted.
    try:
        async with deps.db.transaction() as conn:
            await folds.upload_accepted(conn, event)
    except Exception:  # the projector will apply the event; the upload stands
        log.warning("read-your-write projection failed; the projector will apply the event", exc_info=True)


async def _discard_blob(deps: AnalysisDeps, sha256: str) -> None:
    # Without the database we cannot tell whether another upload uses the blob: keep it then.
    with contextlib.suppress(Unavailable):
        async with deps.db.reading() as conn:
            if await blob_in_use(conn, sha256):
                return
        await deps.blobs.delete(sha256)
