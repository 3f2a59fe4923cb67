import asyncio

import pytest
from prometheus_client import REGISTRY

from consumers.crawl.cache import ResultsCache, normalise_query


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lookups(cache: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("shine_crawl_cache_lookups_total", {"cache": cache, "outcome": outcome})
    return value or 0.0


def test_keys_ignore_case_punctuation_and_word_order() -> None:
    assert normalise_query("Oily skin, PORES!") == normalise_query("pores oily  skin")
    assert normalise_query("serum -fragrance") != normalise_query("serum fragrance")


async def test_miss_then_fresh_then_stale_served_and_refreshed_once() -> None:
    clock = Clock()
    cache: ResultsCache[str] = ResultsCache("unit-ttl", ttl=60, max_age=600, clock=clock)
    loads: list[str] = []

    async def load() -> str:
        loads.append("x")
        return f"v{len(loads)}"

    before = {o: lookups("unit-ttl", o) for o in ("miss", "fresh", "stale")}
    assert (await cache.get("a b", load)).value == "v1"
    clock.now += 59
    hit = await cache.get("B A", load)
    assert (hit.value, hit.freshness) == ("v1", "fresh")
    clock.now += 2
    stale = await cache.get("a b", load)
    again = await cache.get("a b", load)  # a refresh is already running: no second one
    assert (stale.value, stale.freshness, again.freshness) == ("v1", "stale", "stale")
    await cache.drain()
    assert loads == ["x", "x"]
    fresh = await cache.get("a b", load)
    assert (fresh.value, fresh.freshness) == ("v2", "fresh")
    after = {o: lookups("unit-ttl", o) for o in ("miss", "fresh", "stale")}
    assert {o: after[o] - before[o] for o in after} == {"miss": 1, "fresh": 2, "stale": 2}


async def test_too_old_is_a_miss_but_still_a_fallback_and_failed_refresh_keeps_the_value() -> None:
    clock = Clock()
    cache: ResultsCache[int] = ResultsCache("unit-old", ttl=10, max_age=100, clock=clock)
    cache.put("q", 1)

    async def fail() -> int:
        raise RuntimeError("down")

    clock.now += 50
    assert (await cache.get("q", fail)).value == 1
    await cache.drain()
    clock.now += 100
    assert cache.peek("q") is None
    fallback = cache.fallback("q")
    assert fallback is not None and fallback.value == 1
    with pytest.raises(RuntimeError):
        await cache.get("q", fail)


async def test_lru_eviction_beyond_max_entries() -> None:
    cache: ResultsCache[int] = ResultsCache("unit-lru", ttl=10, max_age=100, max_entries=2, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)

    async def never() -> int:
        raise AssertionError("not loaded")

    await cache.get("a", never)  # touch a: b is now the least recently used
    cache.put("c", 3)
    assert cache.peek("b") is None and cache.peek("a") is not None and cache.peek("c") is not None
    await asyncio.sleep(0)
