"""Operator routes: find users, suspend them, change their role (admins only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import admin
from api_edge.admin import usecases
from api_edge.admin.deps import AdminDeps
from api_edge.inputs import parse_body, parse_query
from api_edge.routing import Context, Doc, JsonBody, Param, path_uuid
from api_edge.users.session_rules import Principal
from schemas.auth import RoleChange, RoleChanged, Suspended, UserPage, UserQuery


async def list_users(request: Request, who: Principal, deps: AdminDeps) -> Response:
    """GET /admin/users?q=&page=&limit= (q searches email)."""
    page = await usecases.find_users(deps.db, parse_query(request, UserQuery))
    return JSONResponse(page.model_dump(mode="json"))


async def suspend(request: Request, who: Principal, deps: AdminDeps) -> Response:
    """POST /admin/users/{user_id}/suspend: the user gets 403 everywhere and every session ends."""
    done = await usecases.suspend(deps.db, who, request.path_params["user_id"])
    return JSONResponse(done.model_dump(mode="json"))


async def change_role(request: Request, who: Principal, deps: AdminDeps) -> Response:
    """POST /admin/users/{user_id}/role {"role": "user|premium|admin"}."""
    change = await parse_body(request, RoleChange)
    done = await usecases.change_role(deps.db, who, request.path_params["user_id"], change.role)
    return JSONResponse(done.model_dump(mode="json"))


_PAGE = (
    Param("q", "query", {"type": "string", "maxLength": 255}, "search in email"),
    Param("page", "query", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}),
    Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
)

operators = Context(lambda edge: edge.admin)
ROUTES = (
    operators.route(
        "GET", "/admin/users", admin(list_users), Doc("Find users (admin)", {200: UserPage}, (422,), _PAGE)
    ),
    operators.route(
        "POST",
        "/admin/users/{user_id}/suspend",
        admin(suspend),
        Doc("Suspend a user and end their sessions (admin)", {200: Suspended}, (404, 409), (path_uuid("user_id"),)),
    ),
    operators.route(
        "POST",
        "/admin/users/{user_id}/role",
        admin(change_role),
        Doc(
            "Change a user's role (admin)",
            {200: RoleChanged},
            (400, 404, 409, 413, 422),
            (path_uuid("user_id"),),
            JsonBody(RoleChange),
        ),
    ),
)
