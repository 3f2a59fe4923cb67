"""create_app: the edge's explicit route list, middleware and error handling."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from api_edge.body_limit import BodySizeLimit
from api_edge.deps import EdgeDeps
from api_edge.errors import EXCEPTION_HANDLERS
from api_edge.middleware import RequestContext
from api_edge.routes import analysis, history, system

# Multipart framing and the small text fields ride on top of the image itself.
FORM_OVERHEAD_BYTES = 64 * 1024


def routes() -> list[Route]:
    """Every route the edge serves."""
    return [
        Route("/health", system.health, methods=["GET"]),
        Route("/ready", system.ready, methods=["GET"]),
        Route("/metrics", system.metrics, methods=["GET"]),
        Route("/openapi.json", system.openapi, methods=["GET"]),
        Route("/analysis/upload", analysis.upload, methods=["POST"]),
        Route("/analysis/history", history.analysis_history, methods=["GET"]),
        Route("/analysis/trends", history.analysis_trends, methods=["GET"]),
        Route("/analysis/results/{upload_id:uuid}", analysis.result, methods=["GET"], name="analysis_result"),
        Route("/analysis/results/{upload_id:uuid}/overlay", analysis.overlay, methods=["GET"], name="analysis_overlay"),
    ]


def create_app(deps: EdgeDeps) -> Starlette:
    """The edge application over the given dependencies."""
    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(RequestContext),
            Middleware(BodySizeLimit, max_bytes=deps.limits.max_bytes + FORM_OVERHEAD_BYTES),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.deps = deps
    return app
