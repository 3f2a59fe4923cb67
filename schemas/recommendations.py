"""HTTP models of recommendations (PRD §9.3), feedback, trending, products and the A/B experiment."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_LIMIT = 100
Availability = Literal["in_stock", "out_of_stock", "backorder", "unknown", "any"]
_PRICE_RANGE = re.compile(r"^\s*(\d{1,8}(?:\.\d{1,2})?)?\s*-\s*(\d{1,8}(?:\.\d{1,2})?)?\s*$")
# The documented form: at least one bound (the parser above also accepts it; "-" alone is refused).
PRICE_RANGE_PATTERN = r"^\s*(\d{1,8}(\.\d{1,2})?\s*-\s*(\d{1,8}(\.\d{1,2})?)?|-\s*\d{1,8}(\.\d{1,2})?)\s*$"


def _whole(value: object) -> object:
    """A JSON number with no fraction (2.0) is an integer, as JSON Schema says; anything else is left to validate."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def price_bounds(text: str | None) -> tuple[Decimal | None, Decimal | None]:
    """`MIN-MAX` with either side optional ("10-40", "-25", "30-") → bounds; ValueError otherwise."""
    if text is None:
        return None, None
    found = _PRICE_RANGE.fullmatch(text)
    if found is None or not (found.group(1) or found.group(2)):
        raise ValueError("price_range must look like MIN-MAX, MIN- or -MAX (e.g. 10-40)")
    low, high = (Decimal(g) if g else None for g in found.groups())
    if low is not None and high is not None and low > high:
        return high, low  # "40-10" means the same range as "10-40"
    return low, high


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecommendationsQuery(_Query):
    """GET /recommendations/{analysis_id} filters and page."""

    category: str | None = Field(default=None, min_length=1, max_length=100)
    price_range: str | None = Field(default=None, max_length=40)
    brand_preference: str | None = Field(default=None, min_length=1, max_length=500, description="comma-separated")
    availability: Availability = "in_stock"
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=10, ge=1, le=MAX_LIMIT)

    @field_validator("price_range")
    @classmethod
    def _range(cls, value: str | None) -> str | None:
        price_bounds(value)
        return value

    def brands(self) -> tuple[str, ...]:
        """The brand names asked for."""
        return tuple(b.strip() for b in (self.brand_preference or "").split(",") if b.strip())


class ProductView(BaseModel):
    """A product as the API shows it (PRD §10.3 fields)."""

    id: uuid.UUID
    name: str
    brand: str | None
    category: str | None
    subcategory: str | None
    description: str | None = None
    ingredients: list[str]
    price: Decimal | None
    currency: str
    availability_status: str
    stock_quantity: int | None = None
    image_urls: list[str]
    product_url: str | None
    rating: Decimal | None
    review_count: int
    origin: str = "feed"
    removed: bool = False


class Recommendation(BaseModel):
    """One recommended product, its score, the contribution of each part and a plain-language reason."""

    recommendation_id: uuid.UUID
    product_id: uuid.UUID
    rank: int
    recommendation_score: float
    recommendation_reason: str
    recommendation_type: str
    contributions: dict[str, float]
    matched_concerns: list[str]
    routine_step: str | None
    in_routine: bool
    variant: str
    product: dict[str, Any]


class RecommendationsPage(BaseModel):
    """`GET /recommendations/{analysis_id}`."""

    analysis_id: uuid.UUID
    recommendations: list[Recommendation]
    total_count: int
    filters_applied: dict[str, Any]
    recommendation_score: float
    variant: str
    concerns: list[dict[str, Any]]
    page: int
    has_more: bool
    generated_at: datetime


class FeedbackBody(BaseModel):
    """`POST /recommendations/feedback`."""

    model_config = ConfigDict(extra="forbid")

    recommendation_id: uuid.UUID
    feedback_type: Literal["view", "like", "save", "purchase", "dislike", "not_interested"]
    rating: int | None = Field(default=None, ge=1, le=5)
    comments: str | None = Field(default=None, max_length=2000)

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: object) -> object:
        return _whole(value)


class FeedbackAnswer(BaseModel):
    success: bool
    feedback_id: uuid.UUID
    updated_preferences: dict[str, Any]
    message: str


class TrendingQuery(_Query):
    """GET /recommendations/trending."""

    category: str | None = Field(default=None, min_length=1, max_length=100)
    time_period: Literal["day", "week", "month"] = "week"
    geographic_region: str | None = Field(default=None, min_length=1, max_length=100)
    limit: int = Field(default=10, ge=1, le=MAX_LIMIT)


class TrendingProduct(BaseModel):
    product: ProductView
    trend_score: float
    events: int


class TrendingAnswer(BaseModel):
    """`GET /recommendations/trending`: time-decayed engagement (half-life = half the period)."""

    trending_products: list[TrendingProduct]
    trend_score: float
    time_period: str
    geographic_region: str
    last_updated: datetime


class ProductsQuery(_Query):
    """GET /products."""

    search: str | None = Field(default=None, min_length=1, max_length=200)
    category: str | None = Field(default=None, min_length=1, max_length=100)
    brand: str | None = Field(default=None, min_length=1, max_length=255)
    price_range: str | None = Field(default=None, max_length=40)
    availability: Availability = "any"
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)

    @field_validator("price_range")
    @classmethod
    def _range(cls, value: str | None) -> str | None:
        price_bounds(value)
        return value


class ProductPage(BaseModel):
    products: list[ProductView]
    total_count: int
    page: int
    has_more: bool


class ArmView(BaseModel):
    arm: str
    shown: int
    feedback: int
    purchases: int
    feedback_rate: float
    purchase_rate: float


class Experiments(BaseModel):
    """`GET /admin/recommendations/experiments`: exposure and outcomes per arm."""

    experiment: str
    assignment: str
    arms: list[ArmView]
