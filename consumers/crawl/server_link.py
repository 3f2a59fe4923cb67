"""One long-lived MCP session to one server, owned by a background task that reconnects when it breaks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sys
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any, Literal

from mcp import ClientSession, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

from consumers.crawl.backoff import backoff_delay
from consumers.crawl.breaker import CircuitBreaker
from consumers.crawl.config import PoolConfig, ServerSpec
from consumers.crawl.errors import describe
from consumers.crawl.rate_limit import TokenBucket

log = logging.getLogger(__name__)
LinkState = Literal["connecting", "ready", "down", "closed"]


class ServerLink:
    """A server's session, the tools it lists, its in-flight count, breaker and request budget."""

    def __init__(self, spec: ServerSpec, config: PoolConfig, on_change: Callable[[], None]) -> None:
        self.spec = spec
        self.config = config
        self.state: LinkState = "connecting"
        self.tools: frozenset[str] = frozenset()
        self.in_flight = 0
        self.calls = 0
        self.connects = 0
        self.health_checks = 0
        self.breaker = CircuitBreaker(config.breaker_failures, config.breaker_reset)
        self.budget = TokenBucket(config.server_rate, config.server_burst)
        self.last_error: str | None = None
        self._session: ClientSession | None = None
        self._broken = asyncio.Event()
        self._closing = asyncio.Event()
        self._on_change = on_change

    @property
    def name(self) -> str:
        return self.spec.name

    def usable_for(self, tool: str) -> bool:
        """Whether this link is connected, lists tool and its breaker would let a call through."""
        return self.state == "ready" and tool in self.tools and self.breaker.available()

    def mark_broken(self, reason: str) -> None:
        """Drop the session: the owning task reconnects."""
        self.last_error = reason
        if self.state == "ready":
            self.state = "down"
            self._on_change()
        self._broken.set()

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> CallToolResult:
        """Call tool on this server; MCPError/transport errors propagate to the pool's retry policy."""
        session = self._session
        if session is None or self.state != "ready":
            raise ConnectionError(f"{self.name} is not connected")
        self.in_flight += 1
        try:
            # The SDK's read timeout answers REQUEST_TIMEOUT; the outer one also bounds a transport that hangs.
            async with asyncio.timeout(timeout + 1.0):
                result = await session.call_tool(tool, arguments, read_timeout_seconds=timeout)
            self.calls += 1
            return result
        finally:
            self.in_flight -= 1

    def close(self) -> None:
        """Ask the owning task to end the session and stop reconnecting."""
        self._closing.set()
        self._broken.set()

    async def run(self) -> None:
        """Connect, serve until broken, back off, reconnect — until close() (or cancellation)."""
        failures = 0
        # The closing flag, not only cancellation, ends the loop: the SDK's anyio task groups can absorb a
        # cancellation that lands while a transport is failing, and the loop must still stop.
        while not self._closing.is_set():
            try:
                await self._serve_once()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any connect/transport failure means: reconnect later
                self.last_error = describe(exc)
                if not self._closing.is_set():
                    log.warning("mcp server %s failed: %s", self.name, self.last_error)
                    self.breaker.record_failure()
                failures += 1
            finally:
                self._session = None
                self.state = "closed" if self._closing.is_set() else "down"
                self._on_change()
            delay = backoff_delay(failures, self.config.backoff_base, self.config.reconnect_cap, random.random)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(delay, 0.05)):
                    await self._closing.wait()
            if not self._closing.is_set():
                self.state = "connecting"

    async def _serve_once(self) -> None:
        if self._closing.is_set():
            return
        self._broken.clear()
        async with AsyncExitStack() as stack:
            if self.spec.stdio is not None:
                streams = await stack.enter_async_context(stdio_client(self.spec.stdio, errlog=sys.stderr))
            else:
                assert self.spec.url is not None
                streams = await stack.enter_async_context(streamable_http_client(self.spec.url))
            read, write = streams
            session = await stack.enter_async_context(
                ClientSession(read, write, read_timeout_seconds=self.config.connect_timeout)
            )
            async with asyncio.timeout(self.config.connect_timeout):
                await session.initialize()
                listed = await session.list_tools()
            self.tools = frozenset(tool.name for tool in listed.tools)
            self._session = session
            self.connects += 1
            # A fresh session that initialised and listed its tools is the trial call the open breaker waits for.
            self.breaker.record_success()
            self.state = "ready"
            self.last_error = None
            self._on_change()
            await self._watch(session)

    async def _watch(self, session: ClientSession) -> None:
        """Ping every health interval until a ping fails or a caller marks the link broken."""
        while not self._broken.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.health_interval):
                    await self._broken.wait()
            if self._broken.is_set():
                return
            try:
                async with asyncio.timeout(self.config.call_timeout):
                    await session.send_ping()
            except Exception as exc:  # whatever the ping's failure, the session is no longer trusted
                raise ConnectionError(f"health check failed: {exc}") from exc
            self.health_checks += 1
