"""Through a real HTTP server: after a 500 the client's keep-alive connection is still served."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api_edge.errors import EXCEPTION_HANDLERS
from api_edge.last_resort import KeepAliveOnError
from api_edge.security_headers import SecurityHeaders
from tests.support.polling import eventually
from tests.support.services import free_port

pytestmark = pytest.mark.e2e


async def broken(request: Request) -> JSONResponse:
    raise RuntimeError("a bug")


async def peer(request: Request) -> JSONResponse:
    return JSONResponse({"port": request.client.port if request.client else None})


async def test_a_500_keeps_the_connection() -> None:
    app = Starlette(routes=[Route("/broken", broken), Route("/peer", peer)], exception_handlers=EXCEPTION_HANDLERS)
    port = free_port()
    config = uvicorn.Config(KeepAliveOnError(SecurityHeaders(app)), host="127.0.0.1", port=port, log_config=None)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:

        async def started() -> bool:
            return bool(server.started)

        await eventually(started, timeout=10, what="the server to start")
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:
            before = (await client.get("/peer")).json()["port"]
            failed = await client.get("/broken")
            assert failed.status_code == 500 and failed.json()["error"]["code"] == "INTERNAL_ERROR"
            assert failed.headers.get("connection") != "close"
            assert (await client.get("/peer")).json()["port"] == before  # the same TCP connection
    finally:
        server.should_exit = True
        await serving
