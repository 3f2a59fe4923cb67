"""Sign-in, token refresh, sessions and the caller's profile."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import public, signed_in
from api_edge.inputs import parse_body
from api_edge.routing import Context, Doc, JsonBody, path_uuid
from api_edge.text_rules import printable
from api_edge.users import signin, usecases
from api_edge.users.deps import UsersDeps
from api_edge.users.session_rules import Principal
from observability.logs import correlation_id
from schemas.auth import (
    CallbackRequest,
    Ended,
    LoginRequest,
    LoginResponse,
    LogoutRequest,
    Preferences,
    Profile,
    RefreshRequest,
    SessionList,
    TokenResponse,
)


def _json(model: Ended | LoginResponse | Profile | SessionList | TokenResponse) -> Response:
    return JSONResponse(model.model_dump(mode="json"))


async def login(request: Request, deps: UsersDeps) -> Response:
    """POST /auth/login → where to send the user's browser."""
    return _json(await signin.begin(deps, await parse_body(request, LoginRequest)))


async def callback(request: Request, deps: UsersDeps) -> Response:
    """POST /auth/callback → tokens for the user the provider vouched for."""
    body = await parse_body(request, CallbackRequest)
    ip = request.client.host if request.client else None
    return _json(await signin.complete(deps, body, ip, printable(request.headers.get("user-agent"), 512)))


async def refresh(request: Request, deps: UsersDeps) -> Response:
    """POST /auth/refresh → a new pair; the old refresh token dies, and reusing it ends the session."""
    return _json(await usecases.refresh(deps, (await parse_body(request, RefreshRequest)).refresh_token))


async def logout(request: Request, who: Principal, deps: UsersDeps) -> Response:
    """POST /auth/logout: end this session (no body), or every session with {"all": true}."""
    body = await parse_body(request, LogoutRequest, empty=LogoutRequest())
    return _json(await usecases.log_out(deps, who, body.all))


async def list_sessions(request: Request, who: Principal, deps: UsersDeps) -> Response:
    """GET /auth/sessions: the caller's active sessions."""
    return _json(await usecases.list_sessions(deps, who))


async def end_session(request: Request, who: Principal, deps: UsersDeps) -> Response:
    """DELETE /auth/sessions/{session_id}: end one of the caller's sessions (404 for anyone else's)."""
    return _json(await usecases.end_session(deps, who, request.path_params["session_id"]))


async def get_profile(request: Request, who: Principal, deps: UsersDeps) -> Response:
    """GET /auth/profile."""
    return _json(await usecases.profile(deps, who))


async def put_preferences(request: Request, who: Principal, deps: UsersDeps) -> Response:
    """PUT /auth/profile/preferences: replace them (unknown or server-owned fields → 422) and publish the change."""
    prefs = await parse_body(request, Preferences)
    return _json(await usecases.replace_preferences(deps, who, prefs, correlation_id.get() or ""))


_JSON = (400, 413, 422)
users = Context(lambda edge: edge.users)
ROUTES = (
    users.route(
        "POST",
        "/auth/login",
        public(login),
        Doc(
            "Start a sign-in with Google (PKCE); send the browser to authorization_url",
            {200: LoginResponse},
            _JSON,
            body=JsonBody(LoginRequest),
        ),
    ),
    users.route(
        "POST",
        "/auth/callback",
        public(callback),
        Doc(
            "Finish a sign-in with the code and state the provider returned",
            {200: TokenResponse},
            (*_JSON, 401, 403, 409),
            body=JsonBody(CallbackRequest),
        ),
    ),
    users.route(
        "POST",
        "/auth/refresh",
        public(refresh),
        Doc(
            "Rotate the token pair; reusing an old refresh token ends the session",
            {200: TokenResponse},
            (*_JSON, 401, 403),
            body=JsonBody(RefreshRequest),
        ),
    ),
    users.route(
        "POST",
        "/auth/logout",
        signed_in(logout),
        Doc(
            'End this session (no body), or all of yours with {"all": true}',
            {200: Ended},
            _JSON,
            body=JsonBody(LogoutRequest, required=False),
        ),
    ),
    users.route("GET", "/auth/sessions", signed_in(list_sessions), Doc("Your active sessions", {200: SessionList})),
    users.route(
        "DELETE",
        "/auth/sessions/{session_id}",
        signed_in(end_session),
        Doc("End one of your sessions", {200: Ended}, (404,), (path_uuid("session_id"),)),
    ),
    users.route("GET", "/auth/profile", signed_in(get_profile), Doc("Your profile and preferences", {200: Profile})),
    users.route(
        "PUT",
        "/auth/profile/preferences",
        signed_in(put_preferences),
        Doc("Replace your skincare preferences", {200: Profile}, _JSON, body=JsonBody(Preferences)),
    ),
)
