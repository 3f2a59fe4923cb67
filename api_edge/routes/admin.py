"""Operator routes: find users, suspend them, change their role (admins only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from api_edge.inputs import parse_body, parse_query
from events.envelope import utcnow
from schemas.auth import RoleChange, RoleChanged, Suspended, UserPage, UserQuery, UserSummary
from storage.users import accounts, sessions
from storage.users.sessions import Principal

NO_USER = ApiError(404, "USER_NOT_FOUND", "No such user.")


async def list_users(request: Request, who: Principal) -> JSONResponse:
    """GET /admin/users?q=&page=&limit= (q searches email)."""
    deps: EdgeDeps = request.app.state.deps
    query = parse_query(request, UserQuery)
    async with deps.engine.connect() as conn:
        rows, total = await accounts.list_users(conn, query.q, (query.page - 1) * query.limit, query.limit)
    users = [
        UserSummary(
            user_id=r["id"],
            email=r["email"],
            name=r["name"],
            role=r["role"],
            subscription_tier=r["subscription_tier"],
            suspended=r["suspended_at"] is not None,
            created_at=r["created_at"],
            last_login_at=r["last_login_at"],
        )
        for r in rows
    ]
    page = UserPage(
        users=users, total_count=total, page=query.page, has_more=(query.page - 1) * query.limit + len(users) < total
    )
    return JSONResponse(page.model_dump(mode="json"))


async def suspend(request: Request, who: Principal) -> JSONResponse:
    """POST /admin/users/{user_id}/suspend: the user gets 403 everywhere and every session ends."""
    deps: EdgeDeps = request.app.state.deps
    user_id = request.path_params["user_id"]
    if user_id == who.user_id:
        raise ApiError(409, "CANNOT_SUSPEND_SELF", "Administrators cannot suspend themselves.")
    async with deps.engine.begin() as conn:
        if not await accounts.set_suspended(conn, user_id, utcnow()):
            raise NO_USER
        ended = await sessions.end_all(conn, user_id, "suspended")
    return JSONResponse(Suspended(user_id=user_id, suspended=True, sessions_ended=ended).model_dump(mode="json"))


async def change_role(request: Request, who: Principal) -> JSONResponse:
    """POST /admin/users/{user_id}/role {"role": "user|premium|admin"}."""
    deps: EdgeDeps = request.app.state.deps
    user_id, change = request.path_params["user_id"], await parse_body(request, RoleChange)
    if user_id == who.user_id and change.role != "admin":
        raise ApiError(409, "CANNOT_DEMOTE_SELF", "Administrators cannot take away their own role.")
    async with deps.engine.begin() as conn:
        if not await accounts.set_role(conn, user_id, change.role):
            raise NO_USER
    return JSONResponse(RoleChanged(user_id=user_id, role=change.role).model_dump(mode="json"))
