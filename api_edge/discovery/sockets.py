"""Live progress over a WebSocket, opened with a short-lived single-use ticket (never a bearer token in a URL).

`POST …/ticket` (bearer-authenticated, owner only) returns a ticket valid for a few seconds; `ws …/ws?ticket=`
uses it up. The socket then reads the discovery's projection every poll interval (the projector folds every
`discovery.progressed`) and pushes each change; it closes normally once the discovery completed or failed.
Clients that cannot hold a socket poll `GET /mcp/discovery-progress/{id}` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import uuid

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from api_edge.discovery.deps import DiscoveryDeps
from api_edge.discovery.reads import current_progress, owned_session
from api_edge.errors import ApiError, Unavailable
from api_edge.users.session_rules import Principal
from events.envelope import utcnow
from schemas.discovery import ProgressTicket
from storage.discovery.queries import store_ticket, take_ticket

log = logging.getLogger(__name__)
POLICY_VIOLATION, TRY_AGAIN_LATER = 1008, 1013
FINISHED = ("completed", "failed")


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


async def issue(deps: DiscoveryDeps, who: Principal, discovery_id: uuid.UUID) -> ProgressTicket:
    """A single-use ticket for the caller's own discovery's progress socket."""
    ticket = secrets.token_urlsafe(32)
    now = utcnow()
    async with deps.db.transaction() as conn:
        await owned_session(conn, discovery_id, who.user_id)
        await store_ticket(conn, _digest(ticket), who.user_id, discovery_id, now + deps.limits.ticket_ttl, now)
    return ProgressTicket(
        ticket=ticket,
        expires_in=int(deps.limits.ticket_ttl.total_seconds()),
        websocket_url=deps.urls.socket(discovery_id),
    )


async def _redeem(deps: DiscoveryDeps, ticket: str, discovery_id: uuid.UUID) -> uuid.UUID | None:
    """The user a ticket was issued to, if it is valid for this discovery (it is used up either way)."""
    async with deps.db.transaction() as conn:
        row = await take_ticket(conn, _digest(ticket), utcnow())
    if row is None or row["discovery_id"] != discovery_id:
        return None
    user_id: uuid.UUID = row["user_id"]
    return user_id


async def _watch_disconnect(websocket: WebSocket, gone: asyncio.Event) -> None:
    # Clients send nothing we need; reading is how a closed socket is noticed while we wait between polls.
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()
    gone.set()


async def _push(deps: DiscoveryDeps, websocket: WebSocket, discovery_id: uuid.UUID, user_id: uuid.UUID) -> None:
    gone = asyncio.Event()
    watcher = asyncio.create_task(_watch_disconnect(websocket, gone))
    last: dict[str, object] | None = None
    try:
        async with asyncio.timeout(deps.limits.deadline.total_seconds()):
            while not gone.is_set():
                async with deps.db.reading() as conn:
                    view = (await current_progress(conn, discovery_id, user_id)).model_dump(mode="json")
                if view != last:
                    await websocket.send_json(view)
                    last = view
                if view["discovery_status"] in FINISHED:
                    await websocket.close(1000)
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(gone.wait(), deps.limits.poll_interval)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)


async def progress_socket(websocket: WebSocket) -> None:
    """ws /mcp/discovery-progress/{discovery_id}/ws?ticket=…: progress updates until the discovery ends."""
    edge = websocket.state.edge
    deps: DiscoveryDeps = edge.discovery
    discovery_id: uuid.UUID = websocket.path_params["discovery_id"]
    ticket = websocket.query_params.get("ticket", "")
    try:
        user_id = await _redeem(deps, ticket, discovery_id) if 0 < len(ticket) <= 100 else None
        if user_id is None:
            await websocket.close(POLICY_VIOLATION, "a valid, unused ticket for this discovery is required")
            return
        await websocket.accept()
        await _push(deps, websocket, discovery_id, user_id)
    except (Unavailable, ApiError) as exc:
        if websocket.client_state is not WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await websocket.close(TRY_AGAIN_LATER, str(getattr(exc, "code", "unavailable")))
    except (WebSocketDisconnect, TimeoutError):
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(1000)
