"""Hostile uploads get clean 4xx answers and leave no blob, no row and no event behind."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from skimage import data as photos

from analyst.topic_reader import read_topics
from events.topics import UPLOADS
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def _png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(photos.astronaut(), cv2.COLOR_RGB2BGR))
    assert ok
    return buf.tobytes()


HOSTILE: dict[str, tuple[bytes, int, str]] = {
    "script": (b"#!/bin/sh\nrm -rf /\n", 415, "UNSUPPORTED_MEDIA_TYPE"),
    "gif": (b"GIF89a" + bytes(64), 415, "UNSUPPORTED_MEDIA_TYPE"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415, "UNSUPPORTED_MEDIA_TYPE"),
    "empty": (b"", 415, "UNSUPPORTED_MEDIA_TYPE"),
    "pixel_bomb": (_png_bomb(30000, 30000), 413, "IMAGE_TOO_LARGE_PIXELS"),
    "truncated_jpeg": (_jpeg()[:20000], 422, "IMAGE_CORRUPT"),
    "garbage_after_png_signature": (b"\x89PNG\r\n\x1a\n" + np.random.default_rng(1).bytes(4000), 422, "IMAGE_CORRUPT"),
    "tiny": (cv2.imencode(".png", np.zeros((8, 8, 3), np.uint8))[1].tobytes(), 422, "IMAGE_TOO_SMALL"),
}


async def _uploads_on_kafka(stack: Stack) -> int:
    return len(
        [r async for r in read_topics(stack.settings.kafka_servers, [UPLOADS.resolve(stack.settings.topic_prefix)])]
    )


def _blobs(stack: Stack) -> set[Path]:
    root = stack.settings.blobs_path
    return set(root.rglob("*")) if root.exists() else set()


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_hostile_upload_is_refused_and_leaves_nothing(client: httpx.AsyncClient, stack: Stack, case: str) -> None:
    body, status, code = HOSTILE[case]
    token = stack.token("mallory@example.com")
    events_before, blobs_before = await _uploads_on_kafka(stack), _blobs(stack)
    # The declared type and name lie: the edge decides from content.
    answer = await client.post(
        "/analysis/upload",
        files={"image": ("selfie.jpg", body, "image/jpeg")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["message"]
    assert "Traceback" not in answer.text
    assert await _uploads_on_kafka(stack) == events_before
    assert _blobs(stack) == blobs_before


async def test_oversized_body_is_refused_before_it_is_read(client: httpx.AsyncClient, stack: Stack) -> None:
    token = stack.token("mallory@example.com")
    huge = b"\xff\xd8\xff" + bytes(stack.settings.max_upload_bytes + 1)
    answer = await client.post(
        "/analysis/upload",
        files={"image": ("big.jpg", huge, "image/jpeg")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "UPLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"analysis_type": "x-ray"}, "INVALID_FIELD"),
        ({"privacy_level": "public-billboard"}, "INVALID_FIELD"),
        ({"user_id": "someone-else"}, "INVALID_FIELD"),
    ],
)
async def test_invalid_fields_are_rejected(
    client: httpx.AsyncClient, stack: Stack, form: dict[str, str], code: str
) -> None:
    token = stack.token("mallory@example.com")
    answer = await client.post(
        "/analysis/upload",
        files={"image": ("a.jpg", _jpeg(), "image/jpeg")},
        data=form,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422 and answer.json()["error"]["code"] == code


async def test_missing_image_and_unknown_routes_use_the_error_shape(client: httpx.AsyncClient, stack: Stack) -> None:
    token = stack.token("mallory@example.com")
    missing = await client.post(
        "/analysis/upload", data={"analysis_type": "quick"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "IMAGE_REQUIRED"
    unknown = await client.get("/no/such/route")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "NOT_FOUND"
    wrong = await client.delete("/analysis/upload")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
