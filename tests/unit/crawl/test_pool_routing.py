"""The pool's routing, retry and breaker rules, with links whose calls are scripted (no process, no socket)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mcp import MCPError
from mcp.types import CallToolResult, TextContent
from mcp_types import CONNECTION_CLOSED

from consumers.crawl.config import PoolConfig, ServerSpec
from consumers.crawl.errors import AllServersUnavailable, RetriesExhausted, ToolFailed
from consumers.crawl.mcp_pool import McpPool
from consumers.crawl.rate_limit import TokenBucket

CONFIG = PoolConfig(max_attempts=3, backoff_base=0.001, backoff_cap=0.002, acquire_wait=0.05, breaker_failures=2)
Script = Callable[[str], CallToolResult]


def ok(text: str = "ok") -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content={"v": text})


def tool_error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def pool_of(scripts: dict[str, Script], tools: frozenset[str] = frozenset({"search"})) -> tuple[McpPool, list[str]]:
    """A pool whose servers are 'ready' and answer by script; returns the pool and the call log."""
    specs = [ServerSpec(name, url=f"http://127.0.0.1:1/{name}") for name in scripts]
    pool = McpPool(specs, CONFIG)
    calls: list[str] = []
    for link in pool.links:
        link.state = "ready"
        link.tools = tools
        script = scripts[link.name]

        async def call(
            tool: str, arguments: dict[str, Any], timeout: float, name: str = link.name, run: Script = script
        ) -> CallToolResult:
            calls.append(name)
            return run(tool)

        link.call = call  # type: ignore[method-assign]
    return pool, calls


def fails(exc: BaseException) -> Script:
    def run(tool: str) -> CallToolResult:
        raise exc

    return run


async def test_calls_go_to_servers_listing_the_tool_spread_by_turn() -> None:
    pool, calls = pool_of({"a": lambda t: ok("a"), "b": lambda t: ok("b")})
    results = [await pool.call_tool("search", {}) for _ in range(4)]
    assert sorted(calls) == ["a", "a", "b", "b"]
    assert {r.structured_content["v"] for r in results if r.structured_content} == {"a", "b"}
    pool.links[1].tools = frozenset({"scrape"})
    calls.clear()
    for _ in range(3):
        await pool.call_tool("search", {})
    assert calls == ["a", "a", "a"]


async def test_least_loaded_server_first() -> None:
    pool, calls = pool_of({"a": lambda t: ok(), "b": lambda t: ok()})
    pool.links[0].in_flight = 5
    for _ in range(3):
        await pool.call_tool("search", {})
    assert calls == ["b", "b", "b"]


async def test_a_dropped_connection_is_retried_on_another_server_and_the_link_reconnects() -> None:
    pool, calls = pool_of({"a": fails(MCPError(CONNECTION_CLOSED, "Connection closed")), "b": lambda t: ok("b")})
    pool.links[1].in_flight = 1  # make a the first choice
    result = await pool.call_tool("search", {})
    assert calls == ["a", "b"] and result.structured_content == {"v": "b"}
    assert pool.links[0].state == "down" and pool.links[0].breaker.failures == 1


async def test_upstream_outage_tool_errors_are_retried_but_keep_the_session() -> None:
    pool, calls = pool_of({"a": lambda t: tool_error("Request failed with status code 503"), "b": lambda t: ok()})
    pool.links[1].in_flight = 1
    await pool.call_tool("search", {})
    assert calls == ["a", "b"] and pool.links[0].state == "ready"


async def test_a_tool_error_that_retrying_cannot_fix_fails_at_once() -> None:
    pool, calls = pool_of({"a": lambda t: tool_error("URL is not valid"), "b": lambda t: ok()})
    pool.links[1].in_flight = 1
    with pytest.raises(ToolFailed, match="URL is not valid"):
        await pool.call_tool("search", {})
    assert calls == ["a"] and pool.links[0].breaker.state == "closed"


async def test_transient_failures_everywhere_exhaust_retries_and_open_breakers() -> None:
    pool, calls = pool_of({"a": fails(TimeoutError()), "b": fails(TimeoutError())})
    with pytest.raises(RetriesExhausted):
        await pool.call_tool("search", {})
    assert len(calls) == 3
    with pytest.raises(AllServersUnavailable, match="all MCP servers unavailable for search"):
        for _ in range(3):
            await pool.call_tool("search", {})
    assert {link.breaker.state for link in pool.links} == {"open"}


async def test_no_connected_server_means_all_servers_unavailable() -> None:
    pool, calls = pool_of({"a": lambda t: ok(), "b": lambda t: ok()})
    for link in pool.links:
        link.state = "down"
        link.last_error = "ConnectionRefusedError"
    with pytest.raises(AllServersUnavailable, match="a=down/closed"):
        await pool.call_tool("search", {})
    assert calls == []
    with pytest.raises(AllServersUnavailable):
        await pool.call_tool("unknown-tool", {})


def test_pool_needs_unique_named_servers() -> None:
    with pytest.raises(ValueError):
        McpPool([], CONFIG)
    with pytest.raises(ValueError):
        McpPool([ServerSpec("a", url="http://x"), ServerSpec("a", url="http://y")], CONFIG)
    with pytest.raises(ValueError):
        ServerSpec("a")


async def test_a_server_out_of_request_budget_is_passed_over() -> None:
    pool, calls = pool_of({"a": lambda t: ok(), "b": lambda t: ok()})
    for link in pool.links:
        link.budget = TokenBucket(rate=0.001, capacity=1)
    await pool.call_tool("search", {})
    await pool.call_tool("search", {})
    assert sorted(calls) == ["a", "b"]
    with pytest.raises(AllServersUnavailable):
        await pool.call_tool("search", {})
