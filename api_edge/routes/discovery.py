"""Discovery routes (PRD §9.5): start a discovery from an analysis, its progress (polling, or a WebSocket
opened with a single-use ticket) and its results."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import WebSocketRoute

from api_edge.access import signed_in
from api_edge.discovery import reads, sockets, starts
from api_edge.discovery.deps import PROGRESS, RESULTS, SOCKET, TICKET, DiscoveryDeps
from api_edge.inputs import parse_body
from api_edge.platform.idempotency import key_of
from api_edge.routing import IDEMPOTENCY_KEY, Context, Doc, JsonBody, Link, path_uuid
from api_edge.users.session_rules import Principal
from observability.logs import correlation_id
from schemas.discovery import DiscoverBody, DiscoveryAccepted, DiscoveryProgress, DiscoveryResults, ProgressTicket


async def discover(request: Request, who: Principal, deps: DiscoveryDeps) -> Response:
    """POST /mcp/discover-similar: 202 once discovery.requested is acknowledged."""
    body = await parse_body(request, DiscoverBody)
    cid = correlation_id.get() or str(uuid.uuid4())
    answer = await starts.start(deps, who, body, key_of(request), cid)
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


async def progress(request: Request, who: Principal, deps: DiscoveryDeps) -> Response:
    """GET /mcp/discovery-progress/{discovery_id} (the polling fallback of the socket)."""
    view = await reads.progress(deps, request.path_params["discovery_id"], who.user_id)
    return JSONResponse(view.model_dump(mode="json"))


async def results(request: Request, who: Principal, deps: DiscoveryDeps) -> Response:
    """GET /mcp/discovery-results/{discovery_id}."""
    view = await reads.results(deps, request.path_params["discovery_id"], who.user_id)
    return JSONResponse(view.model_dump(mode="json"))


async def ticket(request: Request, who: Principal, deps: DiscoveryDeps) -> Response:
    """POST /mcp/discovery-progress/{discovery_id}/ticket: a single-use ticket for the progress socket."""
    issued = await sockets.issue(deps, who, request.path_params["discovery_id"])
    return JSONResponse(issued.model_dump(mode="json"), status_code=201)


_ID = path_uuid("discovery_id")
_FOLLOW = {"discovery_id": "$response.body#/discovery_id"}

discovery = Context(lambda edge: edge.discovery)
ROUTES = (
    discovery.route(
        "POST",
        "/mcp/discover-similar",
        signed_in(discover),
        Doc(
            "Discover related products and content on the web from one of your analyses",
            {202: DiscoveryAccepted},
            (400, 404, 409, 413, 422, 429),
            params=(IDEMPOTENCY_KEY,),
            body=JsonBody(DiscoverBody),
            headers={202: {"Location": "The discovery's progress"}},
            links=(
                Link("progress", "GET", PROGRESS, _FOLLOW),
                Link("results", "GET", RESULTS, _FOLLOW),
                Link("ticket", "POST", TICKET, _FOLLOW),
            ),
        ),
    ),
    discovery.route(
        "GET",
        PROGRESS,
        signed_in(progress),
        Doc(
            "Progress of your discovery (polling fallback of the WebSocket)",
            {200: DiscoveryProgress},
            (404,),
            params=(_ID,),
        ),
    ),
    discovery.route(
        "POST",
        TICKET,
        signed_in(ticket),
        Doc(
            f"A single-use ticket for the progress WebSocket ({SOCKET}?ticket=…)",
            {201: ProgressTicket},
            (404,),
            params=(_ID,),
        ),
    ),
    discovery.route(
        "GET",
        RESULTS,
        signed_in(results),
        Doc(
            "What your discovery found: related products, content and images, with scores and sources",
            {200: DiscoveryResults},
            (404,),
            params=(_ID,),
        ),
    ),
)
# WebSockets are not OpenAPI operations; the ticket (from the route above) is their authentication.
SOCKETS = (WebSocketRoute(SOCKET.replace("{discovery_id}", "{discovery_id:uuid}"), sockets.progress_socket),)
