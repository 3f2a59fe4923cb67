"""The documented sign-in, session, profile and operator operations."""

from __future__ import annotations

from typing import Any

from schemas.auth import (
    CallbackRequest,
    Ended,
    LoginRequest,
    LoginResponse,
    LogoutRequest,
    Preferences,
    Profile,
    RefreshRequest,
    RoleChange,
    RoleChanged,
    SessionList,
    Suspended,
    TokenResponse,
    UserPage,
)
from schemas.operation import Operation


def _uuid(name: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]


_PAGE = [
    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "search in email"},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]

AUTH_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "post",
        "/auth/login",
        "Start a sign-in with Google (PKCE); send the browser to authorization_url",
        {200: LoginResponse},
        (400, 422, 429, 503),
        json_body=LoginRequest,
    ),
    Operation(
        "post",
        "/auth/callback",
        "Finish a sign-in with the code and state the provider returned",
        {200: TokenResponse},
        (400, 401, 403, 409, 422, 429, 503),
        json_body=CallbackRequest,
    ),
    Operation(
        "post",
        "/auth/refresh",
        "Rotate the token pair; reusing an old refresh token ends the session",
        {200: TokenResponse},
        (401, 422, 429),
        json_body=RefreshRequest,
    ),
    Operation(
        "post",
        "/auth/logout",
        'End this session, or all of yours with {"all": true}',
        {200: Ended},
        (401, 403, 422, 429),
        auth=True,
        json_body=LogoutRequest,
    ),
    Operation("get", "/auth/sessions", "Your active sessions", {200: SessionList}, (401, 403, 429), auth=True),
    Operation(
        "delete",
        "/auth/sessions/{session_id}",
        "End one of your sessions",
        {200: Ended},
        (401, 403, 404, 429),
        auth=True,
        params=_uuid("session_id"),
    ),
    Operation("get", "/auth/profile", "Your profile and preferences", {200: Profile}, (401, 403, 429), auth=True),
    Operation(
        "put",
        "/auth/profile/preferences",
        "Replace your skincare preferences",
        {200: Profile},
        (400, 401, 403, 422, 429),
        auth=True,
        json_body=Preferences,
    ),
    Operation(
        "get", "/admin/users", "Find users (admin)", {200: UserPage}, (401, 403, 422, 429), auth=True, params=_PAGE
    ),
    Operation(
        "post",
        "/admin/users/{user_id}/suspend",
        "Suspend a user and end their sessions (admin)",
        {200: Suspended},
        (401, 403, 404, 409, 429),
        auth=True,
        params=_uuid("user_id"),
    ),
    Operation(
        "post",
        "/admin/users/{user_id}/role",
        "Change a user's role (admin)",
        {200: RoleChanged},
        (401, 403, 404, 409, 422, 429),
        auth=True,
        params=_uuid("user_id"),
        json_body=RoleChange,
    ),
)
