"""The outermost wrapper: an unexpected error is answered in the error shape and the connection is kept."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_edge.errors import error_response

log = logging.getLogger(__name__)


class KeepAliveOnError:
    """ASGI middleware that never lets an exception reach the server.

    Starlette answers an unhandled error with its 500 handler and then re-raises it; the server takes the
    re-raise as a broken application and drops the client's keep-alive connection. Swallowing it here (after
    the answer went out, or answering now if nothing did) keeps the connection usable.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                return  # already answered (and logged) by the app's 500 handler
            log.exception("unhandled error outside the application", extra={"path": scope.get("path")})
            response = error_response(500, "INTERNAL_ERROR", "Something went wrong on our side; nothing was applied.")
            await response(scope, receive, send)
