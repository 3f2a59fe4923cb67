"""Crawl glue: discovery.requested → run_discovery over the process's MCP pool → progress, products, outcome.

The group writes no state of its own (the projector folds the discovery events). Every derived event has a
deterministic id, so a redelivered request re-emits the same events and the projector drops the repeats.
When no MCP server answers, the discovery is answered from the cache: the searches cached for its queries,
else every page this process has cached, re-scored for this analysis — and the outcome says `degraded` and
`cached`. With nothing cached at all it is an outage, not the request's fault: the request is held and
redelivered (Unavailable) until a server is back, and only after the deadline is it failed for good.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.crawl.config import DiscoveryConfig
from consumers.crawl.discovery import DiscoveryCaches, DiscoveryOutcome, NothingCached, run_discovery
from consumers.crawl.domain import event_mapping as mapping
from consumers.crawl.domain.concern_rules import KnowledgeConcerns
from consumers.crawl.domain.models import AnalysisProfile, DiscoveryRequest, Preferences
from consumers.crawl.domain.processing import process
from consumers.crawl.firecrawl_tools import ToolCaller
from consumers.crawl.progress import Progress
from consumers.crawl.rate_limit import KeyedLimiter
from consumers.runtime.failures import Unavailable
from events.discovery import DiscoveryRequested, Stage
from events.envelope import Event, utcnow
from events.topics import CATALOG, DISCOVERY
from knowledge.base import load as knowledge_base
from producers.publisher import EventPublisher
from storage.discovery.queries import outcome_known
from storage.users.read_model import profile_of

log = logging.getLogger(__name__)
# An outcome outranks every progress update, whatever attempt published them (a held request runs again).
OUTCOME_SEQUENCE = 1_000_000_000
CACHE_ONLY_MESSAGE = "No web source answered: these results come from earlier discoveries' cached pages."


@dataclass(frozen=True)
class CrawlSettings:
    """How long a request may wait through an outage before it fails, and the run's limits."""

    deadline: timedelta
    discovery: DiscoveryConfig


class CrawlHandlers:
    """Handlers of the `crawl` group over one long-lived MCP pool and cache per process."""

    def __init__(
        self,
        pool: ToolCaller,
        caches: DiscoveryCaches,
        engine: AsyncEngine,
        publisher: EventPublisher,
        settings: CrawlSettings,
    ) -> None:
        self.pool, self.caches, self.engine, self.publisher, self.settings = pool, caches, engine, publisher, settings
        cfg = settings.discovery
        self.site_limiter = KeyedLimiter(cfg.site_rate, cfg.site_burst)

    async def _publish(self, event: Event) -> None:
        await self.publisher.publish(DISCOVERY, event)

    async def _preferences(self, user_id: uuid.UUID) -> Preferences:
        async with self.engine.connect() as conn:
            profile = await profile_of(conn, user_id)
        if profile is None:
            return Preferences()
        return Preferences(
            allergies=tuple(profile["allergies"] or ()),
            preferred_brands=tuple(profile["preferred_brands"] or ()),
            price_min=profile["price_range_min"],
            price_max=profile["price_range_max"],
        )

    async def on_discovery_requested(self, event: DiscoveryRequested) -> None:
        """Run the discovery, publishing progress at each stage, the products found and the outcome."""
        d = event.data
        async with self.engine.connect() as conn:
            if await outcome_known(conn, d.discovery_id):
                return  # redelivered after its outcome was folded: nothing left to do
        updates = itertools.count(1)  # each progress update's sequence (the session's revision)
        if d.analysis is None:
            message = "The discovery names no analysis that could be read."
            await self._publish(mapping.failed_event(event, "analysis_not_found", message, sequence=OUTCOME_SEQUENCE))
            return
        a = d.analysis
        profile = AnalysisProfile(
            d.analysis_id, a.skin_type, dict(a.scores), tuple(a.conditions), dict(a.skin_type_probabilities)
        )
        request = mapping.request_from_event(event, profile, await self._preferences(d.user_id))

        async def report(update: Progress) -> None:
            stage = cast(Stage, update.stage)  # progress.BANDS names a subset of the event's stages
            await self._publish(
                mapping.progressed_event(
                    event,
                    stage,
                    update.percentage,
                    update.results_found,
                    update.estimated_remaining_seconds,
                    next(updates),
                )
            )

        try:
            outcome = await run_discovery(
                request,
                self.pool,
                self.caches,
                report,
                config=self.settings.discovery,
                site_limiter=self.site_limiter,
            )
        except NothingCached as exc:
            fallback = self._from_any_cached_page(request)
            if fallback is None:
                await self._outage(event, str(exc))
                return
            outcome = fallback
        await self._finish(event, outcome)

    def _from_any_cached_page(self, request: DiscoveryRequest) -> DiscoveryOutcome | None:
        """Every page this process has cached, judged and scored for this request (None when there are none)."""
        pages = self.caches.pages.values()
        if not pages:
            return None
        concerns = KnowledgeConcerns().concerns(request.analysis)
        found = process(pages, request, concerns, self.settings.discovery.blocked_domains, knowledge_base())
        return DiscoveryOutcome(
            found.items, (), degraded=True, cached=True, dropped=found.dropped, errors=(CACHE_ONLY_MESSAGE,)
        )

    async def _outage(self, event: DiscoveryRequested, detail: str) -> None:
        if utcnow() - event.occurred_at < self.settings.deadline:
            raise Unavailable("firecrawl-mcp", detail)  # held and redelivered while the outage lasts
        minutes = round(self.settings.deadline.total_seconds() / 60)
        message = f"No web source answered for {minutes} minutes and nothing was cached; please try again later."
        failed = mapping.failed_event(event, "all_servers_unavailable", message, sequence=OUTCOME_SEQUENCE)
        await self._publish(failed)

    async def _finish(self, event: DiscoveryRequested, outcome: DiscoveryOutcome) -> None:
        for product in mapping.product_events(event, outcome.items):
            await self.publisher.publish(CATALOG, product)
        completed = mapping.completed_event(
            event,
            outcome.items,
            outcome.queries,
            degraded=outcome.degraded,
            cached=outcome.cached,
            sequence=OUTCOME_SEQUENCE,
        )
        await self._publish(completed)
        if outcome.errors:
            log.info("discovery %s finished with %d source errors", event.data.discovery_id, len(outcome.errors))
