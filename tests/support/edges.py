"""Extra edge processes for tests: other settings against a running stack, and peers that never answer."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx

from shine.settings import Settings
from tests.support.polling import eventually
from tests.support.services import free_port, spawn, stop


@contextmanager
def black_hole() -> Iterator[int]:
    """A loopback port that completes TCP handshakes and then never answers (a hung dependency)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(512)  # never accepted: the kernel queue holds the connections
        yield int(server.getsockname()[1])


def refused_port() -> int:
    """A loopback port nobody listens on (a dependency that is down)."""
    return free_port()


@asynccontextmanager
async def extra_edge(base: Settings, logs: Path, **overrides: object) -> AsyncIterator[httpx.AsyncClient]:
    """An edge process with `base` settings changed by `overrides`, and a client for it once it serves."""
    port = free_port()
    settings = Settings(**{**base.model_dump(), "edge_port": port, **overrides})  # type: ignore[arg-type]
    proc = spawn(settings, "edge", log=logs / f"edge-{port}.log")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:

            async def alive() -> bool:
                try:
                    return (await client.get("/health")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(alive, timeout=30, every=0.1, what=f"the extra edge on port {port}")
            yield client
    finally:
        stop(proc)
