"""Token buckets: a request rate per MCP server and per target site, with an injectable clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` tokens per second; one request takes one token."""

    rate: float
    capacity: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = -1.0
    updated: float = -1.0

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.capacity < 1:
            raise ValueError("a token bucket needs rate > 0 and capacity >= 1")
        if self.tokens < 0:
            self.tokens = self.capacity
        if self.updated < 0:
            self.updated = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def try_take(self, amount: float = 1.0) -> bool:
        """Take amount tokens if there are that many; False (and nothing taken) otherwise."""
        self._refill()
        if self.tokens >= amount:
            self.tokens -= amount
            return True
        return False

    def wait_time(self, amount: float = 1.0) -> float:
        """Seconds until amount tokens will be available (0 if they are now)."""
        self._refill()
        return max(0.0, (amount - self.tokens) / self.rate)


@dataclass
class KeyedLimiter:
    """One token bucket per key (a server name or a site's host), created on first use."""

    rate: float
    capacity: float
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, TokenBucket] = field(default_factory=dict)

    def bucket(self, key: str) -> TokenBucket:
        """The bucket for key."""
        if key not in self.buckets:
            self.buckets[key] = TokenBucket(self.rate, self.capacity, self.clock)
        return self.buckets[key]

    def try_take(self, key: str) -> bool:
        """Take a token for key if one is available."""
        return self.bucket(key).try_take()

    def wait_time(self, key: str) -> float:
        """Seconds until key has a token."""
        return self.bucket(key).wait_time()

    async def acquire(self, key: str, max_wait: float) -> bool:
        """Wait (at most max_wait seconds) for a token for key; False if none came in time."""
        deadline = time.monotonic() + max_wait
        while not self.try_take(key):
            pause = self.wait_time(key)
            if time.monotonic() + pause > deadline:
                return False
            await asyncio.sleep(pause)
        return True
