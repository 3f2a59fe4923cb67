"""The proxy in front of stripe-mock: every call goes through; the answer and the webhooks are Stripe's.

`/v1/*` is forwarded to stripe-mock; a 2xx answer passes through `Ledger.on_call` (which remembers the objects
and says what Stripe would send), and the events are delivered, signed with the webhook secret, to Shine's
webhook URL in order, retried with backoff while Shine does not answer 2xx (as Stripe retries). A request with an
`Idempotency-Key` gets the first answer again (stripe-mock ignores the header) and sends nothing new.
With a state file, what it remembers (objects and idempotent answers, not undelivered webhooks) survives a
restart. `GET /_events` lists every delivery; `GET /_health` answers `{"name": "stripe-events"}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra.stripe_events.ledger import Ledger, Refusal, form

log = logging.getLogger("stripe-events")
NAME = "stripe-events"
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, *(60.0,) * 60)  # then given up, after about an hour
_PASSED_HEADERS = ("authorization", "content-type", "stripe-version", "idempotency-key", "user-agent")


@dataclass
class Delivery:
    """One webhook event and what became of it."""

    event: dict[str, Any]
    attempts: int = 0
    status_code: int | None = None

    def summary(self) -> dict[str, Any]:
        """What GET /_events shows."""
        delivered = self.status_code is not None and 200 <= self.status_code < 300
        return {"id": self.event["id"], "type": self.event["type"], "attempts": self.attempts, "delivered": delivered}


@dataclass
class Outbox:
    """Delivers events one at a time, in the order they were made, each until Shine takes it."""

    url: str
    secret: str
    sent: list[Delivery] = field(default_factory=list)
    queue: asyncio.Queue[Delivery] = field(default_factory=asyncio.Queue)

    def add(self, event: dict[str, Any]) -> None:
        """Queue an event for delivery."""
        delivery = Delivery(event)
        self.sent.append(delivery)
        self.queue.put_nowait(delivery)

    async def run(self, client: httpx.AsyncClient) -> None:
        """Deliver forever."""
        while True:
            delivery = await self.queue.get()
            for delay in (*RETRY_DELAYS, None):
                if await self._attempt(client, delivery) or delay is None:
                    break
                await asyncio.sleep(delay)

    async def _attempt(self, client: httpx.AsyncClient, delivery: Delivery) -> bool:
        body = json.dumps(delivery.event)
        header = stripe.WebhookSignature.generate_signature_header(body, self.secret, timestamp=int(time.time()))
        delivery.attempts += 1
        try:
            answer = await client.post(
                self.url, content=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
            )
        except httpx.HTTPError as error:
            log.warning("webhook %s not delivered: %r", delivery.event["type"], error)
            return False
        delivery.status_code = answer.status_code
        return answer.is_success


@dataclass
class Memory:
    """What stripe-mock forgets: the ledger and the answers to replay per (API key digest, Idempotency-Key);
    mirrored to `path` after every call that changes it, and resumed from it, when a path is given."""

    ledger: Ledger = field(default_factory=Ledger)
    replies: dict[str, tuple[int, str]] = field(default_factory=dict)
    path: Path | None = None

    @staticmethod
    def key(auth: str, idempotency_key: str) -> str:
        """Replies are per API key, which is never written down."""
        return f"{hashlib.sha256(auth.encode()).hexdigest()[:16]}:{idempotency_key}"

    @classmethod
    def load(cls, path: Path | None, plan_amount: int = 999) -> Memory:
        """Resumed from `path` when it exists."""
        if path is None or not path.exists():
            return cls(Ledger(plan_amount=plan_amount), path=path)
        state = json.loads(path.read_text())
        ledger = Ledger(state["intents"], state["refunds"], state["subscriptions"], plan_amount)
        return cls(ledger, {k: (int(v[0]), str(v[1])) for k, v in state["replies"].items()}, path)

    def save(self) -> None:
        """Write the state atomically (no-op without a path)."""
        if self.path is None:
            return
        book = self.ledger
        state = {"intents": book.intents, "refunds": book.refunds, "subscriptions": book.subscriptions}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({**state, "replies": self.replies}))
        tmp.replace(self.path)


def build_app(upstream: str, webhook_url: str, secret: str, memory: Memory | None = None) -> Starlette:
    """The proxy app for stripe-mock at `upstream`, sending webhooks to `webhook_url` signed with `secret`."""
    memory = memory or Memory()
    outbox = Outbox(webhook_url, secret)
    clients: dict[str, httpx.AsyncClient] = {}
    lock = asyncio.Lock()  # one call at a time: the ledger's view stays consistent with the order of the answers

    async def forward(request: Request) -> Response:
        body = await request.body()
        key = request.headers.get("idempotency-key")
        auth = request.headers.get("authorization", "")
        async with lock:
            remembered = memory.replies.get(Memory.key(auth, key)) if key is not None else None
            if remembered is not None:
                status, text = remembered
                return Response(text, status, {"Idempotent-Replayed": "true"}, "application/json")
            headers = {k: v for k, v in request.headers.items() if k.lower() in _PASSED_HEADERS}
            try:
                upstream_answer = await clients["upstream"].request(
                    request.method, request.url.path, params=request.query_params, content=body, headers=headers
                )
            except httpx.HTTPError as error:
                message = f"stripe-mock unreachable: {error!r}"
                return JSONResponse({"error": {"type": "api_error", "message": message}}, 502)
            status, content = upstream_answer.status_code, upstream_answer.content
            if upstream_answer.is_success:
                status, content = _through_ledger(memory.ledger, outbox, request, body, upstream_answer)
            if key is not None and status < 500:
                memory.replies[Memory.key(auth, key)] = (status, content.decode())
            if request.method != "GET":
                memory.save()
            return Response(content, status, {"Idempotency-Key": key} if key else None, "application/json")

    async def events(request: Request) -> Response:
        return JSONResponse({"data": [d.summary() for d in outbox.sent]})

    async def health(request: Request) -> Response:
        return JSONResponse({"name": NAME, "pending": outbox.queue.qsize()})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with (
            httpx.AsyncClient(base_url=upstream, timeout=30, trust_env=False) as clients["upstream"],
            httpx.AsyncClient(timeout=10, trust_env=False) as hooks,
        ):
            sender = asyncio.create_task(outbox.run(hooks))
            try:
                yield
            finally:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender

    methods = ["GET", "POST", "DELETE"]
    routes = [
        Route("/_health", health),
        Route("/_events", events),
        Route("/{path:path}", forward, methods=methods),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _through_ledger(
    ledger: Ledger, outbox: Outbox, request: Request, body: bytes, upstream: httpx.Response
) -> tuple[int, bytes]:
    """stripe-mock's 2xx answer made Stripe's (or Stripe's refusal), with its events queued."""
    try:
        answer = upstream.json()
    except ValueError:
        return upstream.status_code, upstream.content
    try:
        made, events = ledger.on_call(request.method, request.url.path, form(body), answer)
    except Refusal as refused:
        return refused.status, json.dumps(refused.body()).encode()
    for event in events:
        outbox.add(event)
    return upstream.status_code, json.dumps(made).encode()
