"""Serve an ASGI app on loopback inside the test's event loop (a peer or a webhook receiver)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import uvicorn


@asynccontextmanager
async def served(app: Any, port: int, lifespan: Literal["auto", "on", "off"] = "auto") -> AsyncIterator[str]:
    """The app listening on 127.0.0.1:port until the block ends; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
