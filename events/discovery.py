"""Discovery context: a user asked for related products and content from an analysis; how it went; what it found.

Topic `shine.discovery.v1`, keyed by discovery id (every event's subject), so one discovery's events stay in order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from events.envelope import NAMESPACE, Event, Payload

WEB_PRODUCT_NAMESPACE = uuid.uuid5(NAMESPACE, "product/web")


def web_product_id(canonical_url: str) -> uuid.UUID:
    """A web product's id: the same page found by any discovery is the same product."""
    return uuid.uuid5(WEB_PRODUCT_NAMESPACE, canonical_url)


Stage = Literal["queued", "generating_queries", "searching", "scraping", "processing", "completed", "failed"]
ContentType = Literal["product", "article", "page"]


class AnalysisSnapshot(Payload):
    """What discovery needs of the analysis, read by the edge from the owner's analysis at request time."""

    skin_type: str | None = None
    scores: dict[str, float] = Field(default_factory=dict)  # measured scores only (0–100, higher is healthier)
    conditions: tuple[str, ...] = ()  # findings present (severity above none)
    skin_type_probabilities: dict[str, float] = Field(default_factory=dict)


class DiscoveryRequestedData(Payload):
    discovery_id: uuid.UUID
    user_id: uuid.UUID
    analysis_id: uuid.UUID
    search_parameters: dict[str, Any] = Field(default_factory=dict)
    result_limit: int = Field(default=10, ge=1, le=50)
    quality_threshold: float = Field(default=0.5, ge=0, le=1)
    # Absent only from requests that name no readable analysis: the crawl consumer then fails the discovery.
    analysis: AnalysisSnapshot | None = None


class DiscoveryProgressedData(Payload):
    discovery_id: uuid.UUID
    user_id: uuid.UUID
    stage: Stage
    percentage: int = Field(ge=0, le=100)
    results_found: int = Field(ge=0)
    estimated_remaining_seconds: int = Field(ge=0)
    # Increases with every update of one discovery: projections apply only newer ones.
    sequence: int = Field(ge=0)


class DiscoveredContent(Payload):
    """One kept result, shaped like a `discovered_content` row (PRD §10.5)."""

    content_type: ContentType
    source_url: str
    content_url: str
    site: str
    title: str | None = None
    name: str | None = None
    brand: str | None = None
    description: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    image_urls: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()
    matched_concerns: tuple[str, ...] = ()
    medical_claims: tuple[str, ...] = ()
    quality_score: float = Field(ge=0, le=1)
    similarity_score: float = Field(ge=0, le=1)
    fetched_at: datetime


class DiscoveryCompletedData(Payload):
    discovery_id: uuid.UUID
    user_id: uuid.UUID
    analysis_id: uuid.UUID
    results_found: int = Field(ge=0)
    quality_score: float = Field(ge=0, le=1)
    items: tuple[DiscoveredContent, ...] = ()
    queries: tuple[str, ...] = ()
    # degraded: some or all MCP calls failed; cached: some results came from the cache instead of the web.
    degraded: bool = False
    cached: bool = False
    sequence: int = Field(ge=0)


class DiscoveryFailedData(Payload):
    discovery_id: uuid.UUID
    user_id: uuid.UUID
    reason: Literal["all_servers_unavailable", "analysis_not_found", "analysis_not_completed", "internal_error"]
    message: str
    degraded: bool = True
    cached: bool = False
    sequence: int = Field(ge=0)


class ProductDiscoveredData(Payload):
    """A product seen on the web; shown as related, never sold unless a partner stocks it."""

    product_id: uuid.UUID
    discovery_id: uuid.UUID
    name: str
    brand: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    image_urls: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()
    source: Literal["web"] = "web"
    availability: Literal["unknown"] = "unknown"
    source_url: str
    canonical_url: str
    site: str
    fetched_at: datetime
    quality_score: float = Field(ge=0, le=1)
    similarity_score: float = Field(ge=0, le=1)
    medical_claims: tuple[str, ...] = ()


class DiscoveryRequested(Event):
    """A user asked to discover related products and content for one of their analyses."""

    TYPE = "discovery.requested"
    data: DiscoveryRequestedData


class DiscoveryProgressed(Event):
    """A discovery reached a stage; carries the percentage, results so far and an estimate of the time left."""

    TYPE = "discovery.progressed"
    data: DiscoveryProgressedData


class DiscoveryCompleted(Event):
    """A discovery finished, possibly degraded (some sources failed) or from cache (every server down)."""

    TYPE = "discovery.completed"
    data: DiscoveryCompletedData


class DiscoveryFailed(Event):
    """A discovery could not produce any answer, not even from cache."""

    TYPE = "discovery.failed"
    data: DiscoveryFailedData


class ProductDiscovered(Event):
    """A discovery found a product page on the web (source web, availability unknown)."""

    TYPE = "product.discovered"
    data: ProductDiscoveredData
