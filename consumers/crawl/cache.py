"""A results cache with freshness: entries are fresh for `ttl`, then served stale while a refresh runs.

Keys are normalised (lower case, punctuation dropped, words sorted) so equivalent queries share an entry.
Entries older than `max_age` are gone, except through `fallback`, which discovery uses when no MCP server
can answer and any cached result beats none. Hits, stale hits and misses are Prometheus counters.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from prometheus_client import Counter

T = TypeVar("T")
Freshness = Literal["fresh", "stale", "miss"]
log = logging.getLogger(__name__)

CACHE_LOOKUPS = Counter(
    "shine_crawl_cache_lookups_total", "Discovery cache lookups by cache and outcome", ["cache", "outcome"]
)


def normalise_query(text: str) -> str:
    """The cache key of a query: lower case, alphanumeric words (operators' minus kept), sorted, unique."""
    words = re.findall(r"-?[a-z0-9]+", text.lower())
    return " ".join(sorted(set(words)))


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A value from the cache (or the loader) and how fresh it was."""

    value: T
    freshness: Freshness
    stored_at: float


class ResultsCache(Generic[T]):
    """An in-process LRU of values by normalised key with ttl/max_age freshness and single-flight refresh."""

    def __init__(
        self,
        name: str,
        ttl: float,
        max_age: float,
        max_entries: int = 1000,
        clock: Callable[[], float] = time.monotonic,
        key: Callable[[str], str] = normalise_query,
    ) -> None:
        self.name, self.ttl, self.max_age, self.max_entries = name, ttl, max_age, max_entries
        self._clock, self._key = clock, key
        self._entries: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._refreshing: dict[str, asyncio.Task[None]] = {}

    def put(self, raw_key: str, value: T) -> None:
        """Store value under raw_key's normalised form, evicting the least recently used beyond max_entries."""
        key = self._key(raw_key)
        self._entries[key] = (self._clock(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def peek(self, raw_key: str) -> Cached[T] | None:
        """The entry for raw_key with its freshness (None if absent or older than max_age); no counting."""
        entry = self._entries.get(self._key(raw_key))
        if entry is None:
            return None
        age = self._clock() - entry[0]
        if age > self.max_age:
            return None
        return Cached(entry[1], "fresh" if age <= self.ttl else "stale", entry[0])

    def fallback(self, raw_key: str) -> Cached[T] | None:
        """Whatever is stored for raw_key, however old (for degraded answers when no server can load it)."""
        entry = self._entries.get(self._key(raw_key))
        return Cached(entry[1], "stale", entry[0]) if entry else None

    def values(self) -> list[T]:
        """Every stored value, however old, most recently used last (degraded answers from anything cached)."""
        return [value for _, value in self._entries.values()]

    async def get(self, raw_key: str, load: Callable[[], Awaitable[T]]) -> Cached[T]:
        """Fresh: the entry. Stale: the entry, and a background refresh. Miss: await load() and store it."""
        found = self.peek(raw_key)
        outcome: Freshness = found.freshness if found else "miss"
        CACHE_LOOKUPS.labels(cache=self.name, outcome=outcome).inc()
        if found is not None:
            self._entries.move_to_end(self._key(raw_key))
            if found.freshness == "stale":
                self._refresh(raw_key, load)
            return found
        value = await load()
        self.put(raw_key, value)
        return Cached(value, "miss", self._clock())

    def _refresh(self, raw_key: str, load: Callable[[], Awaitable[T]]) -> None:
        key = self._key(raw_key)
        if key in self._refreshing:
            return  # single flight: one refresh per key at a time

        async def refresh() -> None:
            try:
                self.put(raw_key, await load())
            except Exception as exc:  # the stale value stays; the next stale hit tries again
                log.info("refresh of %s entry %r failed: %s", self.name, key, exc)
            finally:
                self._refreshing.pop(key, None)

        self._refreshing[key] = asyncio.create_task(refresh(), name=f"cache-refresh:{self.name}")

    async def drain(self) -> None:
        """Wait for running refreshes (tests and shutdown)."""
        while self._refreshing:
            await asyncio.gather(*list(self._refreshing.values()), return_exceptions=True)
