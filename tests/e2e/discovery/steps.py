"""A user's discovery steps through the running edge: an analysis, a discovery, its progress socket, results."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import httpx
from matplotlib import cbook
from skimage import data as photos
from websockets.asyncio.client import connect

from tests.support.polling import eventually

FINISHED = ("completed", "failed")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _photo(face: str) -> bytes:
    """The astronaut (healthy skin: few concerns) or Grace Hopper's portrait (age shows: many concerns)."""
    if face == "grace_hopper":
        return Path(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)).read_bytes()
    rgb = photos.astronaut()  # type: ignore[no-untyped-call]
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    return bytes(buf.tobytes())


async def completed_analysis(client: httpx.AsyncClient, token: str, face: str = "astronaut") -> str:
    """Upload a face photo and wait for its completed analysis; its analysis id."""
    files = {"image": ("face.jpg", _photo(face), "image/jpeg")}
    accepted = await client.post("/analysis/upload", files=files, headers=auth(token))
    assert accepted.status_code == 202, accepted.text

    async def done() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(accepted.json()["analysis_url"], headers=auth(token))).json()
        return body if body["status"] in FINISHED else None

    result = await eventually(done, timeout=90, every=0.25, what="the analysis")
    assert result["status"] == "completed", result
    return str(result["analysis_id"])


async def discover(client: httpx.AsyncClient, token: str, analysis_id: str, **extra: Any) -> httpx.Response:
    body = {"analysis_id": analysis_id, "result_limit": 20, "quality_threshold": 0.3, **extra}
    return await client.post("/mcp/discover-similar", json=body, headers=auth(token))


async def socket_url(client: httpx.AsyncClient, token: str, discovery_id: str) -> str:
    """A progress WebSocket URL carrying a fresh single-use ticket."""
    answer = await client.post(f"/mcp/discovery-progress/{discovery_id}/ticket", headers=auth(token))
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    return f"{issued['websocket_url']}?ticket={issued['ticket']}"


async def watch(
    url: str, on_update: Callable[[dict[str, Any]], None] | None = None, timeout: float = 120
) -> list[dict[str, Any]]:
    """Every update the socket pushes until the server closes it (after the discovery finished)."""
    updates: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout), connect(url, open_timeout=10, close_timeout=5) as socket:
        async for raw in socket:
            update = json.loads(raw)
            updates.append(update)
            if on_update is not None:
                on_update(update)
    return updates


async def results(client: httpx.AsyncClient, token: str, discovery_id: str) -> dict[str, Any]:
    answer = await client.get(f"/mcp/discovery-results/{discovery_id}", headers=auth(token))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def finished(client: httpx.AsyncClient, token: str, discovery_id: str, timeout: float = 120) -> dict[str, Any]:
    """Poll the results (the socket's fallback) until the discovery completed or failed."""

    async def done() -> dict[str, Any] | None:
        body = await results(client, token, discovery_id)
        return body if body["discovery_status"] in FINISHED else None

    return await eventually(done, timeout=timeout, every=0.25, what=f"discovery {discovery_id}")
