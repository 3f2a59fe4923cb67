"""An unexpected error is answered 500 in the error shape and never re-raised to the server (which would drop
the client's keep-alive connection)."""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from api_edge.errors import EXCEPTION_HANDLERS
from api_edge.last_resort import KeepAliveOnError


async def broken(request: Request) -> Response:
    raise RuntimeError("boom")


async def _call(app: ASGIApp) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [],
        "query_string": b"",
        "asgi": {"version": "3.0"},
    }
    await app(scope, receive, send)  # must not raise
    return sent


async def test_a_handler_error_is_a_500_in_the_error_shape_and_not_re_raised() -> None:
    app = Starlette(routes=[Route("/", broken)], exception_handlers=EXCEPTION_HANDLERS)
    sent = await _call(KeepAliveOnError(app))
    assert sent[0]["status"] == 500
    assert json.loads(sent[1]["body"])["error"]["code"] == "INTERNAL_ERROR"


async def test_an_error_before_any_answer_is_answered_here() -> None:
    async def raw(scope: object, receive: object, send: object) -> None:
        raise ValueError("outside the app's handlers")

    sent = await _call(KeepAliveOnError(raw))
    assert sent[0]["status"] == 500 and json.loads(sent[1]["body"])["error"]["code"] == "INTERNAL_ERROR"
