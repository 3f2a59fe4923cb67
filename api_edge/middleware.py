"""Request-scoped concerns: correlation id in and out, HTTP metrics."""

from __future__ import annotations

import re
import time
import uuid

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observability.logs import correlation_id

HTTP_REQUESTS = Counter("shine_http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_SECONDS = Histogram("shine_http_request_duration_seconds", "HTTP request duration", ["method", "route"])
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestContext:
    """Takes a well-formed X-Correlation-ID or makes one, echoes it, and records request metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-correlation-id", b"").decode("latin-1")
        cid = given if _VALID_ID.match(given) else str(uuid.uuid4())
        token = correlation_id.set(cid)
        status, started = 500, time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-correlation-id", cid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_SECONDS.labels(scope["method"], route).observe(time.perf_counter() - started)
            correlation_id.reset(token)
