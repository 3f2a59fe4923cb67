"""The MCP pool against the real firecrawl-mcp, over stdio and streamable HTTP, pointed at the fake."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from consumers.crawl import firecrawl_tools
from consumers.crawl.config import ServerSpec
from consumers.crawl.errors import AllServersUnavailable, McpUnavailable
from consumers.crawl.mcp_pool import McpPool
from tests.integration.crawl.conftest import POOL_CONFIG, Fake, HttpServers
from tests.support.polling import until


async def test_sessions_over_stdio_and_http_list_tools_and_share_the_load(
    stdio_spec: ServerSpec, http_servers: HttpServers
) -> None:
    specs = [stdio_spec, http_servers.start("http-1")]
    async with McpPool(specs, POOL_CONFIG) as pool:
        assert await pool.wait_ready(30)
        for link in pool.links:
            assert {"firecrawl_search", "firecrawl_scrape"} <= link.tools
        hits = [await firecrawl_tools.search(pool, "niacinamide serum oily skin", 5) for _ in range(6)]
        assert all(h and h[0].url.startswith("https://") for h in hits)
        page = await firecrawl_tools.scrape(pool, "https://purecalm.example/shop/centella-calming-cream")
        assert page.status_code == 200 and "@graph" in page.raw_html and page.markdown.startswith("# Centella")
        status = pool.status()
        assert {s["transport"] for s in status.values()} == {"stdio", "http"}
        assert all(s["calls"] >= 2 for s in status.values()), status


async def test_the_sdk_502_retries_then_the_pool_retries(stdio_spec: ServerSpec, fake: Fake) -> None:
    async with McpPool([stdio_spec], POOL_CONFIG) as pool:
        fake.fault("search", status=502, times=3)  # the SDK inside firecrawl-mcp retries 502 three times
        before = fake.requests().get("search", 0)
        hits = await firecrawl_tools.search(pool, "vitamin c", 3)
        assert hits and fake.requests()["search"] == before + 4  # 3 SDK tries, then one pool retry


async def test_a_dead_upstream_opens_the_breakers_and_reads_as_all_unavailable(
    stdio_spec: ServerSpec, fake: Fake
) -> None:
    async with McpPool([stdio_spec], POOL_CONFIG) as pool:
        fake.fault("scrape", status=503)
        with pytest.raises(McpUnavailable):
            await firecrawl_tools.scrape(pool, "https://hydra.example/hyaluronic-moisturizer")
        with pytest.raises(AllServersUnavailable, match="all MCP servers unavailable for firecrawl_scrape"):
            await firecrawl_tools.scrape(pool, "https://hydra.example/hyaluronic-moisturizer")
        assert pool.status()["stdio-1"]["breaker"] == "open"


async def test_health_checks_keep_a_session_and_a_restarted_server_is_reconnected(http_servers: HttpServers) -> None:
    async with McpPool([http_servers.start("http-1")], POOL_CONFIG) as pool:
        link = pool.links[0]
        await until(lambda: link.health_checks >= 1, what="a successful health check")
        assert link.connects == 1
        http_servers.kill("http-1")
        await until(lambda: link.state != "ready", what="the dead server noticed by the health check")
        with pytest.raises(McpUnavailable):
            await firecrawl_tools.search(pool, "serum", 3)
        http_servers.start("http-1")
        await until(lambda: link.state == "ready", what="the reconnection", timeout=30)
        assert link.connects == 2
        assert await firecrawl_tools.search(pool, "serum", 3)


async def test_a_slow_answer_times_out_and_is_retried(stdio_spec: ServerSpec, fake: Fake) -> None:
    config = replace(POOL_CONFIG, call_timeout=1.5)
    async with McpPool([stdio_spec], config) as pool:
        fake.fault("scrape", delay=4, times=1)  # only the first scrape is slow
        started = asyncio.get_running_loop().time()
        page = await firecrawl_tools.scrape(pool, "https://wideawake.example/eye-cream")
        assert page.title.startswith("Caffeine Eye Cream")
        assert 1.5 <= asyncio.get_running_loop().time() - started < 4
        assert pool.status()["stdio-1"]["state"] == "ready"  # a timeout keeps the session
