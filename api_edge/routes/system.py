"""Operational routes: liveness, readiness, metrics and the API description."""

from __future__ import annotations

import contextlib

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import public
from api_edge.errors import Unavailable
from api_edge.routing import Context, Doc
from api_edge.system.deps import SystemDeps
from api_edge.system.readiness import readiness
from schemas.analysis import Health, Readiness


async def health(request: Request, deps: SystemDeps) -> Response:
    """GET /health: the process is alive."""
    return JSONResponse(Health(status="ok").model_dump())


async def ready(request: Request, deps: SystemDeps) -> Response:
    """GET /ready: 200 only when Kafka, Postgres and every consumer group are healthy and progressing."""
    found = await readiness(deps)
    return JSONResponse(found.model_dump(mode="json"), status_code=200 if found.status == "ready" else 503)


async def metrics(request: Request, deps: SystemDeps) -> Response:
    """GET /metrics: Prometheus exposition (the backlog gauges refreshed when the database answers)."""
    with contextlib.suppress(Unavailable):
        await deps.backlog.read()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def openapi(request: Request, deps: SystemDeps) -> Response:
    """GET /openapi.json."""
    from api_edge.openapi import openapi_document  # the document is built from every route, this one included

    return JSONResponse(openapi_document())


system = Context(lambda edge: edge.system)
ROUTES = (
    system.route("GET", "/health", public(health), Doc("Process liveness", {200: Health}, dependencies=False)),
    system.route(
        "GET",
        "/ready",
        public(ready),
        Doc("Readiness of Kafka, Postgres, every consumer and the analysis backlog", {200: Readiness, 503: Readiness}),
    ),
    system.route(
        "GET", "/metrics", public(metrics), Doc("Prometheus metrics", {200: "text/plain"}, dependencies=False)
    ),
    system.route(
        "GET", "/openapi.json", public(openapi), Doc("This document", {200: "application/json"}, dependencies=False)
    ),
)
