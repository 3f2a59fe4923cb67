"""Composition root of the edge process: reads settings, serves HTTP; the app's lifespan opens connections."""

from __future__ import annotations

import uvicorn

from api_edge.app import create_app
from observability.logs import configure_logging
from shine.settings import Settings


async def serve(settings: Settings) -> None:
    """Run the edge until SIGINT/SIGTERM."""
    configure_logging(settings.log_level, "edge")
    config = uvicorn.Config(
        create_app(settings),
        host=settings.edge_host,
        port=settings.edge_port,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
    )
    await uvicorn.Server(config).serve()
