"""The `crawl` consumer group: runs each requested discovery over the process's pool of Firecrawl MCP servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from consumers.runtime.group import ConsumerGroup, GroupContext, Handlers, Polling
from events.discovery import DiscoveryRequested


@asynccontextmanager
async def open_crawl(context: GroupContext) -> AsyncIterator[Handlers]:
    """The MCP pool (opened once per process, not per message), the caches and a small database engine."""
    from consumers.crawl.cache import ResultsCache
    from consumers.crawl.config import DiscoveryConfig, PoolConfig
    from consumers.crawl.discovery import DiscoveryCaches
    from consumers.crawl.domain.models import ScrapedPage, SearchHit
    from consumers.crawl.handlers import CrawlHandlers, CrawlSettings
    from consumers.crawl.mcp_pool import McpPool
    from infra import firecrawl_mcp
    from shine.discovery_peers import target
    from shine.discovery_settings import crawl_servers
    from storage.engine import create_engine

    s = context.settings
    specs = firecrawl_mcp.server_specs(crawl_servers(s), target(s))
    if any(spec.stdio is not None for spec in specs):
        firecrawl_mcp.ensure_installed()  # stdio servers are launched from the npm package (once per machine)
    ttl, max_age = s.crawl_cache_ttl_seconds, s.crawl_cache_max_age_seconds
    searches: ResultsCache[list[SearchHit]] = ResultsCache("searches", ttl, max_age)
    pages: ResultsCache[ScrapedPage] = ResultsCache("pages", ttl, max_age)
    config = CrawlSettings(
        timedelta(seconds=s.discovery_deadline_seconds),
        DiscoveryConfig(blocked_domains=frozenset(d.lower() for d in s.crawl_blocked_domains)),
    )
    engine = create_engine(s.db_url, pool_size=2)
    try:
        async with McpPool(specs, PoolConfig(call_timeout=s.crawl_call_timeout_seconds)) as pool:
            handlers = CrawlHandlers(pool, DiscoveryCaches(searches, pages), engine, context.publisher, config)
            yield {DiscoveryRequested: handlers.on_discovery_requested}  # type: ignore[dict-item]
    finally:
        await engine.dispose()


# A discovery takes seconds to a minute: one record per poll keeps the poll interval far from its limit.
CRAWL = ConsumerGroup("crawl", (DiscoveryRequested,), open_crawl, polling=Polling(max_poll_records=1))
