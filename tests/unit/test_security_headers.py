"""Security headers on every response; no caching of /auth/ responses."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from api_edge.errors import EXCEPTION_HANDLERS, ApiError
from api_edge.security_headers import SECURITY_HEADERS, SecurityHeaders


async def ok(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


async def cached(request: Request) -> JSONResponse:
    return JSONResponse({"token": "t"}, headers={"Cache-Control": "public, max-age=600"})


async def refused(request: Request) -> JSONResponse:
    raise ApiError(403, "FORBIDDEN", "not yours")


async def own_policy(request: Request) -> Response:
    return Response(b"img", media_type="image/png", headers={"Cross-Origin-Resource-Policy": "cross-origin"})


async def broken(request: Request) -> JSONResponse:
    raise RuntimeError("boom")


ROUTES = [
    Route("/analysis/x", ok),
    Route("/analysis/cached", cached),
    Route("/analysis/refused", refused),
    Route("/analysis/overlay", own_policy),
    Route("/auth/token", cached, methods=["POST"]),
    Route("/auth/refused", refused),
    Route("/broken", broken),
]


def client_for(app: ASGIApp) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://edge")


def edge() -> httpx.AsyncClient:
    app = Starlette(routes=ROUTES, middleware=[Middleware(SecurityHeaders)], exception_handlers=EXCEPTION_HANDLERS)
    return client_for(app)


def assert_hardened(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS:
        assert response.headers.get_list(name) == [value], name


async def test_headers_on_a_normal_response() -> None:
    async with edge() as client:
        response = await client.get("/analysis/x")
    assert response.status_code == 200
    assert_hardened(response)
    assert response.headers["cache-control"] == "no-store"  # personal by default


async def test_headers_on_error_responses() -> None:
    async with edge() as client:
        for path in ("/analysis/refused", "/nowhere"):
            response = await client.get(path)
            assert response.status_code in (403, 404)
            assert "error" in response.json()
            assert_hardened(response)


async def test_auth_responses_are_never_cached_whatever_the_handler_said() -> None:
    async with edge() as client:
        for response in (await client.post("/auth/token"), await client.get("/auth/refused")):
            assert response.headers.get_list("cache-control") == ["no-store"]
            assert response.headers.get_list("pragma") == ["no-cache"]
            assert_hardened(response)


async def test_other_responses_keep_their_own_cache_control() -> None:
    async with edge() as client:
        response = await client.get("/analysis/cached")
    assert response.headers.get_list("cache-control") == ["public, max-age=600"]
    assert "pragma" not in response.headers


async def test_a_header_the_handler_chose_is_kept_not_duplicated() -> None:
    async with edge() as client:
        response = await client.get("/analysis/overlay")
    assert response.headers.get_list("cross-origin-resource-policy") == ["cross-origin"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_wrapping_the_whole_app_hardens_unhandled_errors_too() -> None:
    app = Starlette(routes=ROUTES, exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(SecurityHeaders(app)) as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert_hardened(response)
