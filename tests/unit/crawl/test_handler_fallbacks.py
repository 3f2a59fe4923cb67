"""The crawl handler's answers when no MCP server answers: any cached page, else held, else failed past the deadline."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.crawl.cache import ResultsCache
from consumers.crawl.config import DiscoveryConfig
from consumers.crawl.discovery import DiscoveryCaches
from consumers.crawl.domain.models import ScrapedPage, SearchHit
from consumers.crawl.firecrawl_tools import ToolCaller
from consumers.crawl.handlers import OUTCOME_SEQUENCE, CrawlHandlers, CrawlSettings
from consumers.runtime.failures import Unavailable
from events.discovery import DiscoveryFailed, DiscoveryRequested, DiscoveryRequestedData
from events.envelope import Event, utcnow
from events.topics import Topic
from producers.publisher import EventPublisher
from tests.unit.crawl._pages import jsonld_html, page, request

PRODUCT = jsonld_html(
    '{"@type":"Product","name":"Pore Serum","brand":"GL","image":"https://gl.example/a.jpg","description":"d",'
    '"offers":{"price":"18.5","priceCurrency":"EUR"},"ingredients":"Aqua, Niacinamide, Zinc PCA"}'
)
TEXT = "# Pore Serum\n\nNiacinamide serum for oily skin and pores, controls sebum. Suitable for all skin types."


class Published:
    """Collects what the handler publishes (the broker is not what these rules are about)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def publish(self, topic: Topic, event: Event) -> None:
        self.events.append(event)


def _handlers(published: Published, deadline: float = 600) -> CrawlHandlers:
    tag = uuid.uuid4().hex[:8]
    searches: ResultsCache[list[SearchHit]] = ResultsCache(f"s-{tag}", 60, 60)
    pages: ResultsCache[ScrapedPage] = ResultsCache(f"p-{tag}", 60, 60)
    settings = CrawlSettings(timedelta(seconds=deadline), DiscoveryConfig())
    # Neither the pool nor the database is reached by these paths.
    return CrawlHandlers(
        cast(ToolCaller, None),
        DiscoveryCaches(searches, pages),
        cast(AsyncEngine, None),
        cast(EventPublisher, published),
        settings,
    )


def _requested(age: timedelta) -> DiscoveryRequested:
    data = DiscoveryRequestedData(discovery_id=uuid.uuid4(), user_id=uuid.uuid4(), analysis_id=uuid.uuid4())
    when: Any = utcnow() - age
    return DiscoveryRequested(
        source="t", subject=str(data.discovery_id), correlation_id="c", occurred_at=when, data=data
    )


def test_with_nothing_cached_there_is_no_cache_answer() -> None:
    assert _handlers(Published())._from_any_cached_page(request({"pores": 40.0})) is None


def test_pages_cached_by_earlier_discoveries_answer_degraded_and_cached() -> None:
    handlers = _handlers(Published())
    handlers.caches.pages.put("https://gl.example/p", page("https://gl.example/p", markdown=TEXT, raw_html=PRODUCT))
    outcome = handlers._from_any_cached_page(request({"pores": 40.0, "oiliness": 40.0}, threshold=0.1))
    assert outcome is not None and outcome.degraded and outcome.cached
    assert [item.canonical_url for item in outcome.items] == ["https://gl.example/p"]


async def test_an_outage_holds_a_young_request_and_fails_one_past_the_deadline() -> None:
    published = Published()
    handlers = _handlers(published, deadline=60)
    with pytest.raises(Unavailable):
        await handlers._outage(_requested(timedelta(seconds=5)), "all down")
    assert published.events == []
    await handlers._outage(_requested(timedelta(seconds=61)), "all down")
    failed = published.events[0]
    assert isinstance(failed, DiscoveryFailed) and failed.data.reason == "all_servers_unavailable"
    assert failed.data.sequence == OUTCOME_SEQUENCE  # outranks every progress update of any attempt
