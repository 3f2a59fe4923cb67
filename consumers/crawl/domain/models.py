"""The values discovery works on: what it knows of the user, search hits, scraped pages, extracted products."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

ContentType = Literal["product", "article", "page"]


@dataclass(frozen=True)
class AnalysisProfile:
    """The parts of a skin analysis discovery uses: skin type, the ten 0–100 scores (higher is healthier), findings."""

    analysis_id: uuid.UUID
    skin_type: str | None
    scores: Mapping[str, float]
    conditions: tuple[str, ...] = ()
    skin_type_probabilities: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Preferences:
    """The user's allergies, preferred brands and budget (a price range in `currency`)."""

    allergies: tuple[str, ...] = ()
    preferred_brands: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class DiscoveryRequest:
    """One discovery: for whom, from which analysis, how many results and how good they must be."""

    discovery_id: uuid.UUID
    user_id: uuid.UUID
    analysis: AnalysisProfile
    preferences: Preferences = field(default_factory=Preferences)
    result_limit: int = 10
    quality_threshold: float = 0.5
    keywords: tuple[str, ...] = ()
    product_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concern:
    """A skin concern found in the analysis, with how strongly it shows (0–1) and its search words."""

    name: str
    weight: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class SearchQuery:
    """A search-engine query and the concern it targets (None for a general query)."""

    text: str
    concern: str | None


@dataclass(frozen=True)
class SearchHit:
    """One web result of one query."""

    url: str
    title: str
    description: str
    position: int
    query: str


@dataclass(frozen=True)
class ScrapedPage:
    """A page as Firecrawl returned it, with when we fetched it."""

    requested_url: str
    url: str
    status_code: int
    title: str
    markdown: str
    raw_html: str
    metadata: Mapping[str, Any]
    fetched_at: datetime


@dataclass(frozen=True)
class ProductFacts:
    """What a page says about the product it shows (or the article it is)."""

    content_type: ContentType
    name: str | None
    brand: str | None
    price: Decimal | None
    currency: str | None
    images: tuple[str, ...]
    ingredients: tuple[str, ...]
    description: str | None
    structured: bool


@dataclass(frozen=True)
class Verdict:
    """The content filter's decision: a reason to drop the page, and medical claims to flag."""

    reason: str | None
    medical_claims: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class DiscoveredItem:
    """A kept result: facts, attribution (source URL, site, time fetched), scores and flags."""

    facts: ProductFacts
    source_url: str
    canonical_url: str
    site: str
    fetched_at: datetime
    quality_score: float
    similarity_score: float
    matched_concerns: tuple[str, ...]
    medical_claims: tuple[str, ...]
    title: str
