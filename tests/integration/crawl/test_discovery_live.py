"""Discoveries end to end through the pool and the real firecrawl-mcp: results, failover, degraded answers."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from consumers.crawl.config import ServerSpec
from consumers.crawl.discovery import NothingCached, run_discovery
from consumers.crawl.domain.models import Preferences
from consumers.crawl.errors import AllServersUnavailable
from consumers.crawl.mcp_pool import McpPool
from consumers.crawl.progress import Progress
from tests.integration.crawl.conftest import (
    POOL_CONFIG,
    Fake,
    HttpServers,
    ProgressLog,
    fresh_caches,
    oily_acne_request,
)

GLOWLAB = "https://glowlab.example/products/niacinamide-10-serum"


async def test_a_discovery_finds_scores_filters_and_dedupes(stdio_spec: ServerSpec, http_servers: HttpServers) -> None:
    request = oily_acne_request(quality_threshold=0.5, result_limit=20)
    log = ProgressLog()
    async with McpPool([stdio_spec, http_servers.start("http-1")], POOL_CONFIG) as pool:
        outcome = await run_discovery(request, pool, fresh_caches(), log)
    urls = [item.canonical_url for item in outcome.items]
    assert urls.count(GLOWLAB) == 1  # three URLs, one canonical
    assert "https://clearlab.example/products/bha-cleanser" in urls
    assert not any(site in url for url in urls for site in ("autoshine", "velvetnight"))
    dropped = dict(outcome.dropped)
    assert dropped.get("https://autoshine.example/ceramic-shine-serum") == "off_topic"
    glowlab = next(item for item in outcome.items if item.canonical_url == GLOWLAB)
    assert (glowlab.facts.brand, glowlab.facts.price, glowlab.facts.currency) == ("GlowLab", Decimal("18.50"), "EUR")
    assert glowlab.facts.ingredients[:2] == ("Aqua", "Niacinamide") and glowlab.facts.images
    assert glowlab.site.endswith(".example") and glowlab.fetched_at.tzinfo is not None
    assert {"oiliness", "pores"} <= set(glowlab.matched_concerns)
    cure = [item for item in outcome.items if "dermamiracle" in item.canonical_url]
    assert cure and cure[0].medical_claims  # flagged, with its quality halved
    assert all(item.quality_score >= 0.5 for item in outcome.items)
    scores = [(item.similarity_score, item.quality_score) for item in outcome.items]
    assert [s for s, _ in scores] == sorted((s for s, _ in scores), reverse=True)
    assert not outcome.degraded and not outcome.cached and outcome.errors == ()
    percentages = [update.percentage for update in log.updates]
    assert percentages == sorted(percentages) and percentages[-1] == 100
    assert log.stages() == ["generating_queries", "searching", "scraping", "processing", "completed"]
    assert log.updates[-1].results_found == len(outcome.items)


async def test_allergies_drop_products_that_contain_them(stdio_spec: ServerSpec) -> None:
    request = oily_acne_request(preferences=Preferences(allergies=("fragrance",)), quality_threshold=0.3)
    async with McpPool([stdio_spec], POOL_CONFIG) as pool:
        outcome = await run_discovery(request, pool, fresh_caches(), ProgressLog())
    assert dict(outcome.dropped).get("https://dermamiracle.example/acne-cure-cream") == "allergen"
    assert all("Parfum" not in item.facts.ingredients for item in outcome.items)


async def test_a_server_killed_mid_run_and_the_discovery_completes_through_another(
    stdio_spec: ServerSpec, http_servers: HttpServers, fake: Fake
) -> None:
    fake.fault("scrape", delay=0.3)  # slow pages keep calls in flight when the server dies
    killed = asyncio.Event()

    async def kill_when_scraping(update: Progress) -> None:
        if update.stage == "scraping" and not killed.is_set():
            http_servers.kill("http-1")
            killed.set()

    specs = [http_servers.start("http-1"), stdio_spec]
    async with McpPool(specs, POOL_CONFIG) as pool:
        assert await pool.wait_ready(30)
        outcome = await run_discovery(oily_acne_request(), pool, fresh_caches(), kill_when_scraping)
        status = pool.status()
    assert killed.is_set()
    assert status["http-1"]["state"] != "ready" and status["stdio-1"]["state"] == "ready"
    assert GLOWLAB in [item.canonical_url for item in outcome.items]
    assert not outcome.degraded  # every failed call was retried on the live server


async def test_with_every_server_down_calls_say_so_and_discovery_answers_from_cache(http_servers: HttpServers) -> None:
    caches = fresh_caches(ttl=0, max_age=0)  # every lookup loads: only the fallback can answer once servers die
    request = oily_acne_request()
    async with McpPool([http_servers.start("http-1"), http_servers.start("http-2")], POOL_CONFIG) as pool:
        assert await pool.wait_ready(30)
        live = await run_discovery(request, pool, caches, ProgressLog())
        http_servers.kill("http-1")
        http_servers.kill("http-2")
        with pytest.raises(AllServersUnavailable, match="all MCP servers unavailable"):
            for _ in range(POOL_CONFIG.max_attempts + 1):
                await pool.call_tool("firecrawl_search", {"query": "serum", "sources": ["web"]})
        log = ProgressLog()
        degraded = await run_discovery(request, pool, caches, log)
        assert degraded.degraded and degraded.cached
        assert [i.canonical_url for i in degraded.items] == [i.canonical_url for i in live.items]
        assert log.updates[-1].percentage == 100
        with pytest.raises(NothingCached):
            await run_discovery(request, pool, fresh_caches(), ProgressLog())
