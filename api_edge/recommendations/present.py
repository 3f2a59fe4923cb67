"""Projection rows → the API's product and recommendation shapes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping

from schemas.recommendations import ProductView, Recommendation

PRODUCT_FIELDS = (
    "name",
    "brand",
    "category",
    "subcategory",
    "price",
    "currency",
    "availability_status",
    "image_urls",
    "product_url",
    "rating",
    "review_count",
    "ingredients",
)


def product(row: RowMapping) -> ProductView:
    """One products row."""
    return ProductView(
        id=row["id"],
        name=row["name"],
        brand=row["brand"],
        category=row["category"],
        subcategory=row["subcategory"],
        description=row["description"],
        ingredients=list(row["ingredients"]),
        price=row["price"],
        currency=row["currency"],
        availability_status=row["availability_status"],
        stock_quantity=row["stock_quantity"],
        image_urls=list(row["image_urls"]),
        product_url=row["product_url"],
        rating=row["rating"],
        review_count=row["review_count"],
        origin=row["origin"],
        removed=row["removed_at"] is not None,
    )


def recommendation(row: RowMapping) -> Recommendation:
    """A product_recommendations row joined with its product."""
    summary: dict[str, Any] = {name: row[name] for name in PRODUCT_FIELDS}
    summary["price"] = str(row["price"]) if row["price"] is not None else None
    summary["rating"] = float(row["rating"]) if row["rating"] is not None else None
    return Recommendation(
        recommendation_id=row["id"],
        product_id=row["product_id"],
        rank=row["rank"],
        recommendation_score=float(row["recommendation_score"]),
        recommendation_reason=row["recommendation_reason"],
        recommendation_type=row["recommendation_type"],
        contributions=dict(row["contributions"]),
        matched_concerns=list(row["matched_concerns"]),
        routine_step=row["routine_step"],
        in_routine=row["in_routine"],
        variant=row["variant"],
        product=summary,
    )
