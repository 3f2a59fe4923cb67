"""Pure mapping between discovery events and the domain: what a handler needs on each side of run_discovery.

Derived events get deterministic ids from the `discovery.requested` event (DESIGN §3), so reprocessing a
request re-emits the same progress, completion and product events, and downstream dedupe drops repeats.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from consumers.crawl.domain.models import AnalysisProfile, DiscoveredItem, DiscoveryRequest, Preferences
from events.analyses import SkinReport
from events.discovery import (
    DiscoveredContent,
    DiscoveryCompleted,
    DiscoveryCompletedData,
    DiscoveryFailed,
    DiscoveryFailedData,
    DiscoveryProgressed,
    DiscoveryProgressedData,
    DiscoveryRequested,
    ProductDiscovered,
    ProductDiscoveredData,
    Stage,
    web_product_id,
)
from events.envelope import derived_id

SOURCE = "shine.consumers.crawl"
CONSUMER = "crawl"


def profile_from_report(analysis_id: uuid.UUID, report: SkinReport) -> AnalysisProfile:
    """The analysis as discovery sees it: skin type, scores and the findings that are present."""
    present = tuple(c.type for c in report.conditions if c.severity != "none")
    skin = report.skin_type
    return AnalysisProfile(analysis_id, skin.type, report.scores.model_dump(), present, dict(skin.probabilities))


def _words(parameters: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = parameters.get(key)
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def request_from_event(event: DiscoveryRequested, analysis: AnalysisProfile, prefs: Preferences) -> DiscoveryRequest:
    """The domain request; `search_parameters` may carry `keywords` and `product_types` (strings or lists)."""
    data = event.data
    return DiscoveryRequest(
        discovery_id=data.discovery_id,
        user_id=data.user_id,
        analysis=analysis,
        preferences=prefs,
        result_limit=data.result_limit,
        quality_threshold=data.quality_threshold,
        keywords=_words(data.search_parameters, "keywords"),
        product_types=_words(data.search_parameters, "product_types"),
    )


def product_id(canonical_url: str) -> uuid.UUID:
    """A web product's id: the same page found by any discovery is the same product."""
    return web_product_id(canonical_url)


def content(item: DiscoveredItem) -> DiscoveredContent:
    """A kept item as a `discovered_content` payload."""
    facts = item.facts
    return DiscoveredContent(
        content_type=facts.content_type,
        source_url=item.source_url,
        content_url=item.canonical_url,
        site=item.site,
        title=item.title or None,
        name=facts.name,
        brand=facts.brand,
        description=facts.description,
        price=facts.price,
        currency=facts.currency,
        image_urls=facts.images,
        ingredients=facts.ingredients,
        matched_concerns=item.matched_concerns,
        medical_claims=item.medical_claims,
        quality_score=item.quality_score,
        similarity_score=item.similarity_score,
        fetched_at=item.fetched_at,
    )


def progressed_event(
    cause: DiscoveryRequested, stage: Stage, percentage: int, results: int, remaining: int, sequence: int
) -> DiscoveryProgressed:
    """The sequence-th progress update of a discovery."""
    data = DiscoveryProgressedData(
        discovery_id=cause.data.discovery_id,
        user_id=cause.data.user_id,
        stage=stage,
        percentage=percentage,
        results_found=results,
        estimated_remaining_seconds=remaining,
        sequence=sequence,
    )
    event_id = uuid.uuid5(derived_id(CONSUMER, cause.event_id), f"progress/{sequence}")
    return DiscoveryProgressed.caused_by(cause, event_id=event_id, source=SOURCE, subject=cause.subject, data=data)


def completed_event(
    cause: DiscoveryRequested,
    items: tuple[DiscoveredItem, ...],
    queries: tuple[str, ...],
    *,
    degraded: bool,
    cached: bool,
    sequence: int,
) -> DiscoveryCompleted:
    """The completion of a discovery; its quality score is the mean of the kept items' (0 with none)."""
    quality = sum(i.quality_score for i in items) / len(items) if items else 0.0
    data = DiscoveryCompletedData(
        discovery_id=cause.data.discovery_id,
        user_id=cause.data.user_id,
        analysis_id=cause.data.analysis_id,
        results_found=len(items),
        quality_score=round(quality, 4),
        items=tuple(content(i) for i in items),
        queries=queries,
        degraded=degraded,
        cached=cached,
        sequence=sequence,
    )
    event_id = derived_id(CONSUMER, cause.event_id)
    return DiscoveryCompleted.caused_by(cause, event_id=event_id, source=SOURCE, subject=cause.subject, data=data)


def failed_event(cause: DiscoveryRequested, reason: str, message: str, *, sequence: int) -> DiscoveryFailed:
    """A discovery that could not answer at all (reason as in DiscoveryFailedData)."""
    data = DiscoveryFailedData.model_validate(
        {
            "discovery_id": cause.data.discovery_id,
            "user_id": cause.data.user_id,
            "reason": reason,
            "message": message,
            "sequence": sequence,
        }
    )
    event_id = derived_id(CONSUMER, cause.event_id)
    return DiscoveryFailed.caused_by(cause, event_id=event_id, source=SOURCE, subject=cause.subject, data=data)


def product_events(cause: DiscoveryRequested, items: tuple[DiscoveredItem, ...]) -> list[ProductDiscovered]:
    """A product.discovered for every kept product page (articles and other pages are not products)."""
    events: list[ProductDiscovered] = []
    for item in items:
        facts = item.facts
        if facts.content_type != "product" or not facts.name:
            continue
        data = ProductDiscoveredData(
            product_id=product_id(item.canonical_url),
            discovery_id=cause.data.discovery_id,
            name=facts.name,
            brand=facts.brand,
            price=facts.price,
            currency=facts.currency,
            image_urls=facts.images,
            ingredients=facts.ingredients,
            source_url=item.source_url,
            canonical_url=item.canonical_url,
            site=item.site,
            fetched_at=item.fetched_at,
            quality_score=item.quality_score,
            similarity_score=item.similarity_score,
            medical_claims=item.medical_claims,
        )
        event_id = uuid.uuid5(derived_id(CONSUMER, cause.event_id), f"product/{item.canonical_url}")
        # It rides the catalog topic, keyed by product id (events/topics.py).
        subject = str(data.product_id)
        events.append(ProductDiscovered.caused_by(cause, event_id=event_id, source=SOURCE, subject=subject, data=data))
    return events
