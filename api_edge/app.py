"""create_app: the edge's explicit route list, each with its declared access, middleware and error handling."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from starlette.types import ASGIApp

from api_edge.access import admin, public, signed_in
from api_edge.body_limit import BodySizeLimit
from api_edge.deps import EdgeDeps
from api_edge.errors import EXCEPTION_HANDLERS
from api_edge.middleware import RequestContext
from api_edge.rate_limit import RateLimitMiddleware
from api_edge.routes import admin as operators
from api_edge.routes import analysis, auth, history, system
from api_edge.security_headers import SecurityHeaders

# Multipart framing and the small text fields ride on top of the image itself.
FORM_OVERHEAD_BYTES = 64 * 1024


def routes() -> list[Route]:
    """Every route the edge serves; each endpoint declares who may call it (api_edge/access.py)."""
    return [
        Route("/health", public(system.health), methods=["GET"]),
        Route("/ready", public(system.ready), methods=["GET"]),
        Route("/metrics", public(system.metrics), methods=["GET"]),
        Route("/openapi.json", public(system.openapi), methods=["GET"]),
        Route("/auth/login", public(auth.login), methods=["POST"]),
        Route("/auth/callback", public(auth.callback), methods=["POST"]),
        Route("/auth/refresh", public(auth.refresh), methods=["POST"]),
        Route("/auth/logout", signed_in(auth.logout), methods=["POST"]),
        Route("/auth/sessions", signed_in(auth.list_sessions), methods=["GET"]),
        Route("/auth/sessions/{session_id:uuid}", signed_in(auth.end_session), methods=["DELETE"]),
        Route("/auth/profile", signed_in(auth.get_profile), methods=["GET"]),
        Route("/auth/profile/preferences", signed_in(auth.put_preferences), methods=["PUT"]),
        Route("/admin/users", admin(operators.list_users), methods=["GET"]),
        Route("/admin/users/{user_id:uuid}/suspend", admin(operators.suspend), methods=["POST"]),
        Route("/admin/users/{user_id:uuid}/role", admin(operators.change_role), methods=["POST"]),
        Route("/analysis/upload", signed_in(analysis.upload), methods=["POST"]),
        Route("/analysis/history", signed_in(history.analysis_history), methods=["GET"]),
        Route("/analysis/trends", signed_in(history.analysis_trends), methods=["GET"]),
        Route(
            "/analysis/results/{upload_id:uuid}", signed_in(analysis.result), methods=["GET"], name="analysis_result"
        ),
        Route(
            "/analysis/results/{upload_id:uuid}/overlay",
            signed_in(analysis.overlay),
            methods=["GET"],
            name="analysis_overlay",
        ),
    ]


def create_app(deps: EdgeDeps) -> ASGIApp:
    """The edge application over the given dependencies; security headers wrap everything, 500s included."""
    rates = deps.rates
    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(RequestContext),
            Middleware(RateLimitMiddleware, limiter=rates.limiter, auth=rates.auth_ip, default=rates.default_ip),
            Middleware(BodySizeLimit, max_bytes=deps.limits.max_bytes + FORM_OVERHEAD_BYTES),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.deps = deps
    return SecurityHeaders(app)
