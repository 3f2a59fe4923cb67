"""A pool of long-lived MCP sessions across several servers: routed by tool and load, retried, circuit-broken.

Open it once per process (`async with McpPool(specs, config) as pool`); every call goes to the least-loaded
connected server that lists the tool and whose breaker is closed. Transient failures (dropped connections,
timeouts, upstream 5xx) are retried with backoff on another server when there is one; a tool error that
retrying cannot fix raises ToolFailed at once. When no server can take the call, AllServersUnavailable.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

from mcp import MCPError
from mcp.types import CallToolResult, TextContent
from mcp_types import CONNECTION_CLOSED

from consumers.crawl.backoff import backoff_delay
from consumers.crawl.config import PoolConfig, ServerSpec
from consumers.crawl.errors import (
    AllServersUnavailable,
    RetriesExhausted,
    ToolFailed,
    TransientToolError,
    is_transient,
    transient_tool_text,
)
from consumers.crawl.server_link import ServerLink

CLOSE_GRACE = 5.0
log = logging.getLogger(__name__)


def _result_text(result: CallToolResult) -> str:
    return " ".join(block.text for block in result.content if isinstance(block, TextContent)) or "tool error"


def _connection_lost(exc: BaseException) -> bool:
    """Whether exc means the session itself is gone (reconnect), not just this call (keep the session)."""
    if isinstance(exc, MCPError):
        return exc.code == CONNECTION_CLOSED
    return not isinstance(exc, TimeoutError | TransientToolError)


class McpPool:
    """Long-lived sessions to every configured server, with routing, retries and per-server breakers."""

    def __init__(
        self, specs: Sequence[ServerSpec], config: PoolConfig, rand: Callable[[], float] = random.random
    ) -> None:
        if not specs:
            raise ValueError("the MCP pool needs at least one server")
        names = [spec.name for spec in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"MCP server names must be unique: {names}")
        self.config = config
        self._rand = rand
        self._changed = asyncio.Event()
        self.links = [ServerLink(spec, config, self._changed.set) for spec in specs]
        self._tasks: list[asyncio.Task[None]] = []
        self._turn = itertools.count()

    async def __aenter__(self) -> Self:
        self._tasks = [asyncio.create_task(link.run(), name=f"mcp:{link.name}") for link in self.links]
        await self.wait_ready(self.config.connect_timeout, every_server=False)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for link in self.links:
            link.close()
        if self._tasks:
            # Sessions end on their own (child processes stop, HTTP sessions are deleted); a link stuck
            # connecting is cancelled after the grace period.
            _, pending = await asyncio.wait(self._tasks, timeout=CLOSE_GRACE)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=CLOSE_GRACE)
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                log.warning("mcp link task %s ended with %s", task.get_name(), task.exception())
        for link in self.links:
            link.state = "closed"
        self._tasks = []

    async def wait_ready(self, timeout: float, *, every_server: bool = True) -> bool:
        """Wait until every server (or any, if not every_server) is connected; False if time ran out."""
        check = all if every_server else any
        deadline = asyncio.get_running_loop().time() + timeout
        while not check(link.state == "ready" for link in self.links):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, 0.5)):
                    await self._changed.wait()
        return True

    def status(self) -> dict[str, dict[str, Any]]:
        """Per server: state, breaker, in-flight calls, tools count and last error (for readiness/metrics)."""
        return {
            link.name: {
                "transport": link.spec.transport,
                "state": link.state,
                "breaker": link.breaker.state,
                "in_flight": link.in_flight,
                "calls": link.calls,
                "connects": link.connects,
                "health_checks": link.health_checks,
                "tools": len(link.tools),
                "last_error": link.last_error,
            }
            for link in self.links
        }

    async def _pick(self, tool: str, avoid: set[str]) -> ServerLink:
        """The least-loaded usable server for tool (preferring ones not just failed), waiting briefly for one."""
        deadline = asyncio.get_running_loop().time() + self.config.acquire_wait
        while True:
            usable = [link for link in self.links if link.usable_for(tool)]
            fresh = [link for link in usable if link.name not in avoid] or usable
            if fresh:
                turn = next(self._turn)
                # Fewest in-flight calls first; the rotating tie-break spreads equal load across servers.
                order = sorted(fresh, key=lambda lk: (lk.in_flight, (self.links.index(lk) - turn) % len(self.links)))
                for link in order:
                    if link.budget.try_take() and link.breaker.allows():
                        return link
                pause = min(link.budget.wait_time() for link in order)
            else:
                pause = 0.1
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AllServersUnavailable(tool, self._describe())
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, max(pause, 0.01))):
                    await self._changed.wait()

    def _describe(self) -> str:
        return "; ".join(
            f"{link.name}={link.state}/{link.breaker.state}" + (f" ({link.last_error})" if link.last_error else "")
            for link in self.links
        )

    async def call_tool(self, tool: str, arguments: dict[str, Any], timeout: float | None = None) -> CallToolResult:
        """Call tool on the best server, retrying transient failures elsewhere; raise McpUnavailable/ToolFailed."""
        limit = timeout or self.config.call_timeout
        avoid: set[str] = set()
        last: BaseException | str = "no attempt"
        for attempt in range(self.config.max_attempts):
            link = await self._pick(tool, avoid)
            try:
                result = await link.call(tool, arguments, limit)
                if result.is_error:
                    text = _result_text(result)
                    if transient_tool_text(text):
                        raise TransientToolError(text)
                    link.breaker.record_success()  # the server works; the request itself cannot succeed
                    raise ToolFailed(tool, link.name, text)
            except ToolFailed:
                raise
            except Exception as exc:
                if not is_transient(exc):
                    link.breaker.release()
                    raise
                last = exc
                link.breaker.record_failure()
                if _connection_lost(exc):
                    link.mark_broken(f"{type(exc).__name__}: {exc}")
                avoid.add(link.name)
                if attempt + 1 < self.config.max_attempts:
                    cfg = self.config
                    await asyncio.sleep(backoff_delay(attempt, cfg.backoff_base, cfg.backoff_cap, self._rand))
                continue
            link.breaker.record_success()
            return result
        raise RetriesExhausted(tool, self.config.max_attempts, last)
