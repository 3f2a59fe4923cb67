"""Discovery projection rows as the API shows them (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import RowMapping

from schemas.discovery import (
    Attribution,
    DiscoveryProgress,
    DiscoveryResults,
    RelatedContent,
    RelatedProduct,
    SimilarImage,
    Status,
)

IMAGES_PER_ITEM = 2
MAX_IMAGES = 50
CACHE_MESSAGE = "Every web source was unavailable: these results come from the cache."
DEGRADED_MESSAGE = "Some web sources failed: results may be incomplete."
CACHED_MESSAGE = "Some results come from the cache (fetched earlier)."


def progress(session: RowMapping, queued_estimate: int) -> DiscoveryProgress:
    """The progress view; a queued discovery's estimate is the whole expected duration."""
    queued = session["session_status"] == "queued"
    return DiscoveryProgress(
        discovery_id=session["id"],
        discovery_status=cast(Status, session["session_status"]),
        progress_percentage=session["progress_percentage"],
        current_stage=session["current_stage"],
        results_found=session["results_found"],
        estimated_remaining_time=queued_estimate if queued else session["estimated_remaining_seconds"],
        degraded=session["degraded"],
        from_cache=session["cached"],
    )


def message(session: RowMapping) -> str | None:
    """What the user should know about how the results were obtained."""
    if session["session_status"] == "failed":
        return cast(str | None, session["failure_message"])
    if session["degraded"] and session["cached"]:
        return CACHE_MESSAGE
    if session["degraded"]:
        return DEGRADED_MESSAGE
    return CACHED_MESSAGE if session["cached"] else None


def _source(row: RowMapping) -> Attribution:
    meta = row["metadata"]
    return Attribution(
        source_url=row["source_url"], site=meta["site"], fetched_at=datetime.fromisoformat(meta["fetched_at"])
    )


def _product(row: RowMapping) -> RelatedProduct:
    meta = row["metadata"]
    return RelatedProduct(
        product_id=uuid.UUID(meta["product_id"]) if meta.get("product_id") else None,
        name=meta.get("name") or row["title"],
        brand=meta.get("brand"),
        price=Decimal(meta["price"]) if meta.get("price") is not None else None,
        currency=meta.get("currency"),
        image_urls=list(row["image_urls"]),
        ingredients=list(meta.get("ingredients") or ()),
        matched_concerns=list(meta.get("matched_concerns") or ()),
        medical_claims=list(meta.get("medical_claims") or ()),
        quality_score=float(row["quality_score"]),
        similarity_score=float(row["similarity_score"]),
        source=_source(row),
    )


def _content(row: RowMapping) -> RelatedContent:
    meta = row["metadata"]
    return RelatedContent(
        content_type=row["content_type"],
        title=row["title"],
        description=row["description"],
        url=row["content_url"] or row["source_url"],
        matched_concerns=list(meta.get("matched_concerns") or ()),
        quality_score=float(row["quality_score"]),
        similarity_score=float(row["similarity_score"]),
        source=_source(row),
    )


def _images(rows: Sequence[RowMapping]) -> list[SimilarImage]:
    """The kept pages' images, most similar page first, a few per page, each once."""
    seen: set[str] = set()
    images: list[SimilarImage] = []
    for row in sorted(rows, key=lambda r: (-float(r["similarity_score"]), r["rank"])):
        for url in list(row["image_urls"])[:IMAGES_PER_ITEM]:
            if url in seen or len(images) >= MAX_IMAGES:
                continue
            seen.add(url)
            images.append(
                SimilarImage(
                    image_url=url,
                    title=row["title"],
                    similarity_score=float(row["similarity_score"]),
                    source=_source(row),
                )
            )
    return images


def results(session: RowMapping, rows: Sequence[RowMapping]) -> DiscoveryResults:
    """The results view: products, other content and images, with how they were obtained."""
    quality = session["quality_score"]
    return DiscoveryResults(
        discovery_id=session["id"],
        analysis_id=session["analysis_id"],
        discovery_status=cast(Status, session["session_status"]),
        quality_score=float(quality) if quality is not None else None,
        results_found=session["results_found"],
        similar_images=_images(rows),
        related_products=[_product(r) for r in rows if r["content_type"] == "product"],
        related_content=[_content(r) for r in rows if r["content_type"] != "product"],
        degraded=session["degraded"],
        from_cache=session["cached"],
        message=message(session),
        failure_reason=session["failure_reason"],
        queries=list(session["queries"]),
        created_at=session["created_at"],
        completed_at=session["completed_at"],
    )
