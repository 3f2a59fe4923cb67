"""A publish acknowledged only after the client was told 503: the retry with the same Idempotency-Key is the
same upload (same id, same event id), projected once; a refused publish leaves no blob."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import FormData, UploadFile

from api_edge.analysis import uploads
from api_edge.analysis.backlog_meter import BacklogMeter
from api_edge.analysis.deps import AnalysisDeps, Backpressure, UploadLimits
from api_edge.analysis.paths import Urls
from api_edge.errors import Unavailable
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency
from api_edge.users.session_rules import Principal
from storage.analysis.tables import image_uploads
from storage.blobs import BlobStore
from tests.e2e.edge.photos import face_jpeg
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


class ScriptedProducer:
    """The first send is acknowledged only when the test says so; later ones at once."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.first_ack: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    async def send(self, topic: str, value: bytes, **kwargs: Any) -> asyncio.Future[object]:
        self.sent.append(value)
        if len(self.sent) == 1:
            return self.first_ack
        done: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        done.set_result(object())
        return done

    async def stop(self) -> None:
        """Nothing to close."""


def _deps(engine: AsyncEngine, bus: Bus, blobs: Path) -> AnalysisDeps:
    db = Database(engine, 2.0, 1)
    return AnalysisDeps(
        db=db,
        bus=bus,
        blobs=BlobStore(blobs),
        limits=UploadLimits(10 * 1024 * 1024, 40_000_000, 64),
        decode_slots=asyncio.Semaphore(1),
        decode_wait_seconds=2.0,
        urls=Urls("https://shine.example"),
        backlog=BacklogMeter(db),
        backpressure=Backpressure(0, 1.5, 1),
        idempotency=Idempotency(db, timedelta(days=1), timedelta(seconds=30)),
    )


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _form() -> FormData:
    return FormData([("image", UploadFile(io.BytesIO(face_jpeg()), filename="face.jpg"))])


async def test_late_ack_and_retry_are_one_upload(engine: AsyncEngine, tmp_path: Path) -> None:
    bus, producer = Bus("unused", "", 0.5, 1), ScriptedProducer()
    bus._producer = producer  # type: ignore[assignment]
    deps, who = _deps(engine, bus, tmp_path), Principal(uuid.uuid4(), uuid.uuid4(), "late@example.com", "user", False)
    with pytest.raises(Unavailable) as refused:
        await uploads.upload(deps, who, _form(), "late-1", "cid")
    promised = refused.value.details["upload_id"]
    producer.first_ack.set_result(object())  # the broker answers after all

    async def projected() -> int:
        async with engine.connect() as conn:
            query = select(func.count()).where(image_uploads.c.id == uuid.UUID(promised))
            return int((await conn.execute(query)).scalar_one())

    await eventually(projected, timeout=10, what="the late upload to be projected")
    retried = await uploads.upload(deps, who, _form(), "late-1", "cid")
    assert retried.status == 202 and retried.body["upload_id"] == promised
    assert retried.body["analysis_url"] == f"https://shine.example/analysis/results/{promised}"
    first, second = (json.loads(value) for value in producer.sent)  # the same event, sent twice at most
    assert first["id"] == second["id"] and first["subject"] == second["subject"] == promised
    assert await projected() == 1
    await bus.close()


async def test_a_refused_publish_leaves_no_blob(engine: AsyncEngine, tmp_path: Path) -> None:
    bus = Bus("unused", "", 0.5, 1)  # never connected
    deps, who = _deps(engine, bus, tmp_path), Principal(uuid.uuid4(), uuid.uuid4(), "nob@example.com", "user", False)
    with pytest.raises(Unavailable):
        await uploads.upload(deps, who, _form(), "refused-1", "cid")
    assert _files(tmp_path) == []
