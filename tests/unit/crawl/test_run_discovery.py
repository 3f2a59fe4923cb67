"""run_discovery's orchestration with a scripted tool caller: stages, cache use, degradation, rate limits."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult, TextContent

from consumers.crawl.cache import ResultsCache
from consumers.crawl.config import DiscoveryConfig
from consumers.crawl.discovery import DiscoveryCaches, NothingCached, run_discovery
from consumers.crawl.domain.models import ScrapedPage, SearchHit
from consumers.crawl.errors import AllServersUnavailable, ToolFailed
from consumers.crawl.progress import Progress
from consumers.crawl.rate_limit import KeyedLimiter
from tests.unit.crawl._pages import jsonld_html, request

PRODUCT = jsonld_html(
    '{"@type":"Product","name":"Pore Serum","brand":"GL","image":"https://gl.example/a.jpg","description":"d",'
    '"offers":{"price":"18.5","priceCurrency":"EUR"},"ingredients":"Aqua, Niacinamide, Zinc PCA"}'
)
TEXT = "# Pore Serum\n\nNiacinamide serum for oily skin and pores, controls sebum and acne."
WEB = ["https://gl.example/p", "https://gl.example/p?utm_source=x", "https://two.example/q", "https://gl.example/other"]


class Caller:
    """Answers firecrawl_search with WEB and firecrawl_scrape with a product page; can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.down = False
        self.broken_pages: set[str] = set()

    async def call_tool(self, tool: str, arguments: dict[str, Any], timeout: float | None = None) -> CallToolResult:
        self.calls.append((tool, arguments))
        if self.down:
            raise AllServersUnavailable(tool)
        if tool == "firecrawl_search":
            web = [{"url": url, "title": "Serum", "description": "oily skin"} for url in WEB]
            return CallToolResult(content=[], structured_content={"success": True, "data": {"web": web}})
        url = arguments["url"]
        if url in self.broken_pages:
            raise ToolFailed(tool, "s", "URL is not valid")
        doc = {"markdown": TEXT, "rawHtml": PRODUCT, "metadata": {"url": url, "statusCode": 200, "title": "Serum"}}
        return CallToolResult(content=[TextContent(type="text", text="{}")], structured_content=doc)


def caches(ttl: float = 600, max_age: float = 86400) -> DiscoveryCaches:
    searches: ResultsCache[list[SearchHit]] = ResultsCache("unit-searches", ttl, max_age)
    return DiscoveryCaches(searches, ResultsCache[ScrapedPage]("unit-pages", ttl, max_age))


class Log:
    def __init__(self) -> None:
        self.updates: list[Progress] = []

    async def __call__(self, update: Progress) -> None:
        self.updates.append(update)


async def test_stages_in_order_one_scrape_per_url_and_dedupe() -> None:
    caller, log = Caller(), Log()
    req = request({"oiliness": 30.0, "acne": 40.0}, threshold=0.3)
    outcome = await run_discovery(req, caller, caches(), log, config=DiscoveryConfig(max_queries=2))
    searches = [a["query"] for t, a in caller.calls if t == "firecrawl_search"]
    scraped = [a["url"] for t, a in caller.calls if t == "firecrawl_scrape"]
    assert searches == list(outcome.queries) and len(searches) == 2
    assert sorted(scraped) == ["https://gl.example/other", "https://gl.example/p", "https://two.example/q"]
    assert {i.canonical_url for i in outcome.items} == set(scraped)
    assert all(
        a["formats"] == ["markdown", "rawHtml"] and a.get("sources") is None
        for t, a in caller.calls
        if t == "firecrawl_scrape"
    )
    stages = [u.stage for u in log.updates]
    assert stages[0] == "generating_queries" and stages[-1] == "completed"
    assert [u.percentage for u in log.updates] == sorted(u.percentage for u in log.updates)
    assert not outcome.degraded and not outcome.cached


async def test_a_second_run_is_served_from_cache_and_says_so() -> None:
    caller, shared = Caller(), caches()
    req = request({"oiliness": 30.0})
    await run_discovery(req, caller, shared, Log())
    calls = len(caller.calls)
    again = await run_discovery(req, caller, shared, Log())
    assert len(caller.calls) == calls and again.cached and not again.degraded


async def test_with_every_server_down_old_entries_answer_and_nothing_cached_raises() -> None:
    caller, shared = Caller(), caches(ttl=0, max_age=0)
    req = request({"oiliness": 30.0})
    live = await run_discovery(req, caller, shared, Log())
    caller.down = True
    degraded = await run_discovery(req, caller, shared, Log())
    assert degraded.degraded and degraded.cached and degraded.items == live.items
    assert any("all MCP servers unavailable" in e for e in degraded.errors)
    with pytest.raises(NothingCached):
        await run_discovery(req, caller, caches(), Log())


async def test_a_page_that_cannot_be_scraped_is_skipped_with_an_error() -> None:
    caller = Caller()
    caller.broken_pages = {"https://two.example/q"}
    outcome = await run_discovery(request({"oiliness": 30.0}, threshold=0.0), caller, caches(), Log())
    assert "https://two.example/q" not in {i.source_url for i in outcome.items}
    assert any("URL is not valid" in e for e in outcome.errors) and not outcome.degraded


async def test_the_per_site_budget_skips_pages_beyond_it() -> None:
    limiter = KeyedLimiter(rate=0.001, capacity=1)
    config = DiscoveryConfig(site_wait=0.0)
    outcome = await run_discovery(
        request({"oiliness": 30.0}, threshold=0.0), Caller(), caches(), Log(), config=config, site_limiter=limiter
    )
    assert sum("rate limited for gl.example" in e for e in outcome.errors) == 1
    assert {i.site for i in outcome.items} == {"gl.example", "two.example"}
