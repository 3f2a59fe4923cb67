"""Builders of scraped pages and requests for the crawl unit tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from consumers.crawl.domain.models import AnalysisProfile, DiscoveryRequest, Preferences, ScrapedPage

FETCHED = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
HEALTHY = {name: 90.0 for name in ("redness", "oiliness", "pigmentation", "texture", "pores", "acne")}


def page(
    url: str = "https://shop.example/p/1",
    *,
    markdown: str = "",
    raw_html: str = "",
    title: str = "",
    status: int = 200,
    **metadata: Any,
) -> ScrapedPage:
    """A scraped page with the given text, HTML and metadata."""
    meta: dict[str, Any] = {"title": title, "statusCode": status, "url": url, **metadata}
    return ScrapedPage(url, url, status, title, markdown, raw_html, meta, FETCHED)


def jsonld_html(block: str) -> str:
    """A page whose head carries one ld+json block."""
    return f'<html><head><script type="application/ld+json">{block}</script></head><body></body></html>'


def request(
    scores: dict[str, float] | None = None,
    *,
    skin_type: str | None = "oily",
    conditions: tuple[str, ...] = (),
    allergies: tuple[str, ...] = (),
    brands: tuple[str, ...] = (),
    price_max: Decimal | None = None,
    currency: str | None = None,
    threshold: float = 0.5,
    limit: int = 10,
    keywords: tuple[str, ...] = (),
    product_types: tuple[str, ...] = (),
) -> DiscoveryRequest:
    """A discovery request for an analysis with the given scores (healthy elsewhere)."""
    profile = AnalysisProfile(uuid.UUID(int=1), skin_type, {**HEALTHY, **(scores or {})}, conditions)
    prefs = Preferences(allergies=allergies, preferred_brands=brands, price_max=price_max, currency=currency)
    return DiscoveryRequest(
        uuid.UUID(int=2),
        uuid.UUID(int=3),
        profile,
        prefs,
        result_limit=limit,
        quality_threshold=threshold,
        keywords=keywords,
        product_types=product_types,
    )
