"""Waiting for observable results under a timeout (never sleep-as-synchronisation)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, timeout: float = 30, every: float = 0.1, what: str = "condition"
) -> T:
    """Poll `probe` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")


async def until(check: Callable[[], bool], *, timeout: float = 30, every: float = 0.1, what: str = "condition") -> None:
    """`eventually` for a plain (synchronous) check of in-process state."""

    async def probe() -> bool:
        return check()

    await eventually(probe, timeout=timeout, every=every, what=what)
