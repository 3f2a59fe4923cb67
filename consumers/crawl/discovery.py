"""One discovery, start to finish: queries → search → scrape the best hits → extract, score, filter, dedupe.

`run_discovery` is what the crawl handler wraps: it reports progress at every stage through a callback and
returns the outcome. MCP outages never fail it while anything is cached: searches and pages that cannot be
fetched are answered from the cache (however old) and the outcome says `degraded`/`cached`. Only when no
server answers and nothing is cached does it raise NothingCached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from consumers.crawl import firecrawl_tools
from consumers.crawl.cache import ResultsCache
from consumers.crawl.config import DiscoveryConfig
from consumers.crawl.domain.concern_rules import ConcernSource, KnowledgeConcerns
from consumers.crawl.domain.models import DiscoveredItem, DiscoveryRequest, ScrapedPage, SearchHit, SearchQuery
from consumers.crawl.domain.processing import process
from consumers.crawl.domain.queries import generate_queries
from consumers.crawl.domain.selection import select_hits
from consumers.crawl.domain.urls import site_of
from consumers.crawl.errors import McpUnavailable, ToolFailed
from consumers.crawl.firecrawl_tools import MalformedResult, ToolCaller
from consumers.crawl.progress import Progress, ProgressCallback, percentage, remaining_seconds
from consumers.crawl.rate_limit import KeyedLimiter
from knowledge.base import load as knowledge_base

INITIAL_ESTIMATE = 20.0


class NothingCached(McpUnavailable):
    """No MCP server answered and the cache holds nothing for this discovery."""


@dataclass
class DiscoveryCaches:
    """The search-hit cache (by normalised query) and the page cache (by URL)."""

    searches: ResultsCache[list[SearchHit]]
    pages: ResultsCache[ScrapedPage]


@dataclass(frozen=True)
class DiscoveryOutcome:
    """What a discovery found, and how: degraded (some MCP calls failed), cached (some data from cache)."""

    items: tuple[DiscoveredItem, ...]
    queries: tuple[str, ...]
    degraded: bool
    cached: bool
    dropped: tuple[tuple[str, str], ...] = ()
    errors: tuple[str, ...] = ()


@dataclass
class _Run:
    request: DiscoveryRequest
    pool: ToolCaller
    caches: DiscoveryCaches
    report: ProgressCallback
    config: DiscoveryConfig
    limiter: KeyedLimiter
    started: float = field(default_factory=time.monotonic)
    degraded: bool = False
    cached: bool = False
    errors: list[str] = field(default_factory=list)

    async def progress(self, stage: str, done: int, total: int, results: int) -> None:
        percent = percentage(stage, done, total)
        left = remaining_seconds(time.monotonic() - self.started, percent, INITIAL_ESTIMATE)
        await self.report(Progress(stage, percent, results, left))

    async def search(self, query: SearchQuery) -> list[SearchHit]:
        async def load() -> list[SearchHit]:
            return await firecrawl_tools.search(self.pool, query.text, self.config.hits_per_query)

        try:
            found = await self.caches.searches.get(query.text, load)
        except McpUnavailable as exc:
            return self._fallback_hits(query, exc)
        except (ToolFailed, MalformedResult) as exc:
            self.errors.append(f"search {query.text!r}: {exc}")
            return []
        self.cached |= found.freshness != "miss"
        return found.value

    def _fallback_hits(self, query: SearchQuery, exc: McpUnavailable) -> list[SearchHit]:
        self.degraded = True
        self.errors.append(f"search {query.text!r}: {exc}")
        old = self.caches.searches.fallback(query.text)
        if old is None:
            return []
        self.cached = True
        return old.value

    async def scrape(self, url: str) -> ScrapedPage | None:
        async def load() -> ScrapedPage:
            return await firecrawl_tools.scrape(self.pool, url)

        cached = self.caches.pages.peek(url)
        if cached is None and not await self.limiter.acquire(site_of(url), self.config.site_wait):
            self.errors.append(f"scrape {url}: rate limited for {site_of(url)}")
            return None
        try:
            found = await self.caches.pages.get(url, load)
        except McpUnavailable as exc:
            self.degraded = True
            self.errors.append(f"scrape {url}: {exc}")
            old = self.caches.pages.fallback(url)
            self.cached |= old is not None
            return old.value if old else None
        except (ToolFailed, MalformedResult) as exc:
            self.errors.append(f"scrape {url}: {exc}")
            return None
        self.cached |= found.freshness != "miss"
        return found.value


async def _each_done(tasks: Sequence[asyncio.Task[None]], on_done: Callable[[int], Awaitable[None]]) -> None:
    """Await tasks as they finish, calling on_done with the count so far; cancel the rest if one fails."""
    try:
        for done, finished in enumerate(asyncio.as_completed(tasks), start=1):
            await finished
            await on_done(done)
    finally:
        for task in tasks:
            task.cancel()


async def run_discovery(
    request: DiscoveryRequest,
    pool: ToolCaller,
    caches: DiscoveryCaches,
    progress: ProgressCallback,
    *,
    config: DiscoveryConfig | None = None,
    concern_source: ConcernSource | None = None,
    site_limiter: KeyedLimiter | None = None,
) -> DiscoveryOutcome:
    """Run one discovery (module doc), reporting progress at every stage."""
    cfg = config or DiscoveryConfig()
    run = _Run(request, pool, caches, progress, cfg, site_limiter or KeyedLimiter(cfg.site_rate, cfg.site_burst))
    await run.progress("generating_queries", 0, 1, 0)
    concerns = (concern_source or KnowledgeConcerns()).concerns(request.analysis)
    kb = knowledge_base()  # read once per process (cached)
    queries = generate_queries(request, concerns, cfg.max_queries)
    await run.progress("generating_queries", 1, 1, 0)

    hits_by_query: list[list[SearchHit]] = [[] for _ in queries]

    async def search_one(index: int) -> None:
        hits_by_query[index] = await run.search(queries[index])

    async def searched(done: int) -> None:
        await run.progress("searching", done, len(queries), 0)

    await _each_done([asyncio.create_task(search_one(i)) for i in range(len(queries))], searched)
    hits = [hit for found in hits_by_query for hit in found]
    if not hits and run.degraded and not run.cached:
        raise NothingCached("no MCP server answered and nothing is cached: " + "; ".join(run.errors[:3]))

    urls = select_hits(hits, cfg.blocked_domains, cfg.max_scrapes).urls
    pages: dict[int, ScrapedPage] = {}
    gate = asyncio.Semaphore(cfg.scrape_concurrency)

    async def scrape_one(index: int) -> None:
        async with gate:
            page = await run.scrape(urls[index])
        if page is not None:
            pages[index] = page

    async def scraped(done: int) -> None:
        found = process([pages[i] for i in sorted(pages)], request, concerns, cfg.blocked_domains, kb)
        await run.progress("scraping", done, len(urls), len(found.items))

    await _each_done([asyncio.create_task(scrape_one(i)) for i in range(len(urls))], scraped)
    result = process([pages[i] for i in sorted(pages)], request, concerns, cfg.blocked_domains, kb)
    await run.progress("processing", 1, 1, len(result.items))
    await run.progress("completed", 1, 1, len(result.items))
    return DiscoveryOutcome(
        items=result.items,
        queries=tuple(q.text for q in queries),
        degraded=run.degraded,
        cached=run.cached,
        dropped=result.dropped,
        errors=tuple(run.errors),
    )
