"""Absolute URLs come from the configured public URL, never from the Host header; unknown hosts are refused."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import auth, face_jpeg
from tests.support.edges import extra_edge

pytestmark = pytest.mark.e2e


async def test_unknown_hosts_are_refused_in_the_error_shape(client: httpx.AsyncClient) -> None:
    for host in ("evil.example", "127.0.0.2", "localhost.evil.example"):
        answer = await client.get("/health", headers={"Host": host})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "UNKNOWN_HOST", host
    assert (await client.get("/health", headers={"Host": "localhost"})).status_code == 200


async def test_urls_use_the_public_url_whatever_the_host(stack: Stack) -> None:
    public = "https://shine.example:8443"
    async with extra_edge(stack.settings, stack.logs, public_url=public, allowed_hosts=("api.internal",)) as edge:
        token = stack.token("urls@example.com")
        for host in ("shine.example", "api.internal", "localhost"):
            answer = await edge.post(
                "/analysis/upload",
                files={"image": ("face.jpg", face_jpeg(), "image/jpeg")},
                headers={**auth(token), "Host": host},
            )
            assert answer.status_code == 202, (host, answer.text)
            url = answer.json()["analysis_url"]
            assert url.startswith(f"{public}/analysis/results/") and answer.headers["Location"] == url
        history = (await edge.get("/analysis/history", headers={**auth(token), "Host": "localhost"})).json()
        assert history["analyses"] and all(a["result_url"].startswith(public) for a in history["analyses"])
        refused = await edge.get("/health", headers={"Host": "evil.example"})
        assert refused.status_code == 400
