"""Sign-in, token refresh, sessions and the caller's profile."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from api_edge.inputs import parse_body
from api_edge.profiles import profile_of, token_response
from api_edge.signin import SOURCE, begin, complete
from events.topics import USERS
from events.users import PreferencesData, PreferencesUpdated, PreferencesUpdatedData
from observability.logs import correlation_id
from producers.outbox import enqueue
from schemas.auth import (
    CallbackRequest,
    Ended,
    LoginRequest,
    LogoutRequest,
    Preferences,
    RefreshRequest,
    SessionInfo,
    SessionList,
)
from storage.users import sessions
from storage.users.accounts import save_preferences
from storage.users.sessions import Principal, Tokens


def _deps(request: Request) -> EdgeDeps:
    return request.app.state.deps  # type: ignore[no-any-return]


async def login(request: Request) -> JSONResponse:
    """POST /auth/login → where to send the user's browser."""
    answer = await begin(_deps(request), await parse_body(request, LoginRequest))
    return JSONResponse(answer.model_dump(mode="json"))


async def callback(request: Request) -> JSONResponse:
    """POST /auth/callback → tokens for the user the provider vouched for."""
    deps, body = _deps(request), await parse_body(request, CallbackRequest)
    ip = request.client.host if request.client else None
    answer = await complete(deps, body, ip, request.headers.get("user-agent"))
    return JSONResponse(answer.model_dump(mode="json"))


async def refresh(request: Request) -> JSONResponse:
    """POST /auth/refresh → a new pair; the old refresh token dies, and reusing it ends the session."""
    deps, body = _deps(request), await parse_body(request, RefreshRequest)
    async with deps.engine.begin() as conn:  # answer built before commit: a failure spends no refresh token
        outcome = await sessions.rotate(conn, body.refresh_token, deps.auth.sessions)
        answer = await token_response(conn, outcome) if isinstance(outcome, Tokens) else None
    if outcome == "suspended":
        raise ApiError(403, "ACCOUNT_SUSPENDED", "This account is suspended.")
    if outcome == "reused":
        raise ApiError(401, "REFRESH_TOKEN_REUSED", "This refresh token was already used; the session is ended.")
    if answer is None:
        raise ApiError(401, "INVALID_REFRESH_TOKEN", "The refresh token is unknown, expired or ended.")
    return JSONResponse(answer.model_dump(mode="json"))


async def logout(request: Request, who: Principal) -> JSONResponse:
    """POST /auth/logout: end this session, or every session with {"all": true}."""
    deps, body = _deps(request), await parse_body(request, LogoutRequest, empty=LogoutRequest())
    async with deps.engine.begin() as conn:
        if body.all:
            ended = await sessions.end_all(conn, who.user_id, "logout_all")
        else:
            ended = await sessions.end_sessions(conn, [who.session_id], "logout")
    return JSONResponse(Ended(ended=ended).model_dump())


async def list_sessions(request: Request, who: Principal) -> JSONResponse:
    """GET /auth/sessions: the caller's active sessions."""
    deps = _deps(request)
    async with deps.engine.connect() as conn:
        rows = await sessions.active_sessions(conn, who.user_id, deps.auth.sessions.idle_timeout)
    items = [
        SessionInfo(
            id=r["id"],
            created_at=r["created_at"],
            last_used_at=r["last_accessed_at"],
            ip_address=str(r["ip_address"]) if r["ip_address"] else None,
            user_agent=r["user_agent"],
            current=r["id"] == who.session_id,
        )
        for r in rows
    ]
    return JSONResponse(SessionList(sessions=items).model_dump(mode="json"))


async def end_session(request: Request, who: Principal) -> JSONResponse:
    """DELETE /auth/sessions/{session_id}: end one of the caller's sessions (404 for anyone else's)."""
    deps, session_id = _deps(request), request.path_params["session_id"]
    async with deps.engine.begin() as conn:
        if await sessions.session_owner(conn, session_id) != who.user_id:
            raise ApiError(404, "SESSION_NOT_FOUND", "No such session.")
        ended = await sessions.end_sessions(conn, [session_id], "ended_by_user")
    return JSONResponse(Ended(ended=ended).model_dump())


async def get_profile(request: Request, who: Principal) -> JSONResponse:
    """GET /auth/profile."""
    async with _deps(request).engine.connect() as conn:
        profile = await profile_of(conn, who.user_id)
    return JSONResponse(profile.model_dump(mode="json"))


async def put_preferences(request: Request, who: Principal) -> JSONResponse:
    """PUT /auth/profile/preferences: replace them (unknown or server-owned fields → 422) and publish the change."""
    deps, prefs = _deps(request), await parse_body(request, Preferences)
    async with deps.engine.begin() as conn:
        revision = await save_preferences(conn, who.user_id, {**prefs.model_dump(), **_arrays(prefs)})
        data = PreferencesUpdatedData(
            user_id=who.user_id, preferences=PreferencesData(**prefs.model_dump()), revision=revision
        )
        event = PreferencesUpdated(
            source=SOURCE, subject=str(who.user_id), correlation_id=correlation_id.get() or "", data=data
        )
        await enqueue(conn, USERS, event, deps.publisher.prefix)
        profile = await profile_of(conn, who.user_id)
    return JSONResponse(profile.model_dump(mode="json"))


def _arrays(prefs: Preferences) -> dict[str, list[str]]:
    return {k: list(getattr(prefs, k)) for k in ("skin_concerns", "allergies", "preferred_brands")}
