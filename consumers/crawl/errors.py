"""Errors the MCP pool raises, and which failures are worth retrying."""

from __future__ import annotations

import re

import anyio
import httpx2
from mcp import MCPError
from mcp_types import CONNECTION_CLOSED, REQUEST_TIMEOUT

# Tool errors from firecrawl-mcp carry only the upstream message; these spell an outage, not a bad request.
_TRANSIENT_TEXT = re.compile(
    r"(status code|HTTP)\s*(5\d\d|429)|\b(502|503|504)\b|timed? ?out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN"
    r"|socket hang up|rate.?limit|too many requests|temporarily|unavailable|overloaded",
    re.IGNORECASE,
)


class McpUnavailable(Exception):
    """No MCP server could answer: the caller should degrade (serve cached results)."""


class AllServersUnavailable(McpUnavailable):
    """Every server offering a tool is down, disconnected or behind an open circuit breaker."""

    def __init__(self, tool: str, detail: str = "") -> None:
        super().__init__(f"all MCP servers unavailable for {tool}" + (f": {detail}" if detail else ""))
        self.tool = tool


class RetriesExhausted(McpUnavailable):
    """A call failed transiently on every attempt."""

    def __init__(self, tool: str, attempts: int, last: BaseException | str) -> None:
        super().__init__(f"{tool} failed after {attempts} attempts: {last}")
        self.tool = tool


class ToolFailed(Exception):
    """A server answered the call with a tool error that retrying will not fix (e.g. an unreachable page)."""

    def __init__(self, tool: str, server: str, message: str) -> None:
        super().__init__(f"{tool} on {server}: {message}")
        self.tool = tool
        self.server = server
        self.message = message


class TransientToolError(Exception):
    """A tool error whose message names an upstream outage (5xx, timeout, refused connection)."""


def transient_tool_text(text: str) -> bool:
    """Whether a tool error message describes a transient upstream failure."""
    return bool(_TRANSIENT_TEXT.search(text))


def is_transient(exc: BaseException) -> bool:
    """Whether a failed call may succeed if retried (on this or another server)."""
    if isinstance(exc, BaseExceptionGroup):
        return all(is_transient(inner) for inner in exc.exceptions)
    if isinstance(exc, MCPError):
        return exc.code in (CONNECTION_CLOSED, REQUEST_TIMEOUT) or transient_tool_text(exc.message)
    transient_types = (
        TransientToolError,
        TimeoutError,
        ConnectionError,
        OSError,
        EOFError,
        anyio.ClosedResourceError,
        anyio.BrokenResourceError,
        anyio.EndOfStream,
        httpx2.TransportError,
    )
    return isinstance(exc, transient_types)


def describe(exc: BaseException) -> str:
    """A one-line description of exc, looking inside exception groups for the real causes."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe(inner) for inner in exc.exceptions)
    return f"{type(exc).__name__}: {exc}"
