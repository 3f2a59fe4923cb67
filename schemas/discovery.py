"""HTTP models of discovery (PRD §9.5): start a discovery, follow its progress, read what it found."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Word = Annotated[str, Field(max_length=60)]
Status = Literal["queued", "active", "completed", "failed"]


class SearchParameters(BaseModel):
    """What to steer the search with, besides the analysis: extra keywords and product types (e.g. serum)."""

    model_config = ConfigDict(extra="forbid")

    keywords: list[Word] = Field(default_factory=list, max_length=10)
    product_types: list[Word] = Field(default_factory=list, max_length=10)

    def cleaned(self) -> dict[str, list[str]]:
        """The parameters as the event carries them: words trimmed, empty ones dropped."""
        return {
            "keywords": [w.strip() for w in self.keywords if w.strip()],
            "product_types": [w.strip() for w in self.product_types if w.strip()],
        }


class DiscoverBody(BaseModel):
    """`POST /mcp/discover-similar`."""

    model_config = ConfigDict(extra="forbid")

    analysis_id: uuid.UUID = Field(description="your analysis (its analysis id or upload id)")
    search_parameters: SearchParameters = Field(default_factory=SearchParameters)
    result_limit: int = Field(default=10, ge=1, le=50)
    quality_threshold: float = Field(default=0.5, ge=0, le=1)


class DiscoveryAccepted(BaseModel):
    discovery_id: uuid.UUID
    status: Status
    estimated_completion_time: int = Field(description="seconds")
    progress_url: str
    results_url: str
    ticket_url: str = Field(description="POST here for a single-use ticket to the progress WebSocket")


class DiscoveryProgress(BaseModel):
    discovery_id: uuid.UUID
    discovery_status: Status
    progress_percentage: int
    current_stage: str
    results_found: int
    estimated_remaining_time: int = Field(description="seconds")
    degraded: bool
    from_cache: bool


class ProgressTicket(BaseModel):
    ticket: str
    expires_in: int = Field(description="seconds; the ticket opens one WebSocket once")
    websocket_url: str


class Attribution(BaseModel):
    source_url: str
    site: str
    fetched_at: datetime


class RelatedProduct(BaseModel):
    product_id: uuid.UUID | None
    name: str | None
    brand: str | None
    price: Decimal | None
    currency: str | None
    image_urls: list[str]
    ingredients: list[str]
    matched_concerns: list[str]
    medical_claims: list[str] = Field(description="claims flagged by the content filter (not endorsed)")
    quality_score: float
    similarity_score: float
    availability: Literal["unknown"] = "unknown"
    source: Attribution


class RelatedContent(BaseModel):
    content_type: str
    title: str | None
    description: str | None
    url: str
    matched_concerns: list[str]
    quality_score: float
    similarity_score: float
    source: Attribution


class SimilarImage(BaseModel):
    image_url: str
    title: str | None
    similarity_score: float
    source: Attribution


class DiscoveryResults(BaseModel):
    discovery_id: uuid.UUID
    analysis_id: uuid.UUID
    discovery_status: Status
    quality_score: float | None
    results_found: int
    similar_images: list[SimilarImage]
    related_products: list[RelatedProduct]
    related_content: list[RelatedContent]
    degraded: bool = Field(description="some web sources failed")
    from_cache: bool = Field(description="some or all results came from the cache")
    message: str | None
    failure_reason: str | None
    queries: list[str]
    created_at: datetime
    completed_at: datetime | None
