"""Idempotency-Key on uploads: a repeat gets the original answer, a reused key on another photo is refused."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import auth, face_jpeg

pytestmark = pytest.mark.e2e


async def _upload(client: httpx.AsyncClient, token: str, photo: bytes, key: str | None) -> httpx.Response:
    headers = {**auth(token), **({"Idempotency-Key": key} if key else {})}
    return await client.post("/analysis/upload", files={"image": ("face.jpg", photo, "image/jpeg")}, headers=headers)


async def test_a_repeat_gets_the_original_answer(client: httpx.AsyncClient, stack: Stack) -> None:
    token, key = stack.token("idem@example.com"), f"upload-{uuid.uuid4()}"
    first = await _upload(client, token, face_jpeg(), key)
    again = await _upload(client, token, face_jpeg(), key)
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert again.json() == first.json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    history = (await client.get("/analysis/history", headers=auth(token))).json()
    assert [a["upload_id"] for a in history["analyses"]].count(first.json()["upload_id"]) == 1


async def test_the_key_names_the_upload_for_that_user_only(client: httpx.AsyncClient, stack: Stack) -> None:
    key = f"shared-{uuid.uuid4()}"
    mine = await _upload(client, stack.token("idem-a@example.com"), face_jpeg(), key)
    theirs = await _upload(client, stack.token("idem-b@example.com"), face_jpeg(), key)
    assert mine.status_code == theirs.status_code == 202
    assert mine.json()["upload_id"] != theirs.json()["upload_id"]


async def test_a_key_reused_on_another_request_is_refused(client: httpx.AsyncClient, stack: Stack) -> None:
    token, key = stack.token("idem@example.com"), f"upload-{uuid.uuid4()}"
    assert (await _upload(client, token, face_jpeg(90), key)).status_code == 202
    other = await _upload(client, token, face_jpeg(70), key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.parametrize("key", ["has space", "x" * 256, "ünïcode"])
async def test_malformed_keys_are_400(client: httpx.AsyncClient, stack: Stack, key: str) -> None:
    headers = {"Authorization": f"Bearer {stack.token('idem@example.com')}".encode(), "Idempotency-Key": key.encode()}
    answer = await client.post(
        "/analysis/upload", files={"image": ("face.jpg", face_jpeg(), "image/jpeg")}, headers=headers
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "INVALID_IDEMPOTENCY_KEY"
