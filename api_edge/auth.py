"""Bearer-token authentication: every protected route asks for the caller here."""

from __future__ import annotations

from starlette.requests import Request

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from storage.accounts import Principal, authenticate


async def require_user(request: Request) -> Principal:
    """The caller behind the Authorization header; 401 if missing, unknown, ended or expired."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "UNAUTHENTICATED", "Send 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    deps: EdgeDeps = request.app.state.deps
    async with deps.engine.begin() as conn:
        principal = await authenticate(conn, token.strip())
    if principal is None:
        raise ApiError(
            401,
            "INVALID_TOKEN",
            "The token is unknown, expired or ended.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return principal
