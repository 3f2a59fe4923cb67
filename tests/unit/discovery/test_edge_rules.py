"""The edge's pure discovery rules: the analysis snapshot, the estimate, URLs, request bounds and presentation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from pydantic import ValidationError
from sqlalchemy import RowMapping

from api_edge.discovery import present
from api_edge.discovery.deps import DiscoveryUrls
from api_edge.discovery.snapshot import snapshot
from api_edge.discovery.starts import DEFAULT_ESTIMATE, estimate
from events.discovery import DiscoveredContent
from schemas.discovery import DiscoverBody
from storage.discovery.folds import content_row

DISCOVERY = uuid.UUID(int=5)
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _row(values: dict[str, Any]) -> RowMapping:
    # A plain mapping is all the presenters read from a row.
    return cast(RowMapping, values)


def test_the_snapshot_keeps_measured_scores_and_present_findings_only() -> None:
    report = {
        "scores": {"redness": 62.0, "texture": 50.0, "acne": 40},
        "metrics": {"unmeasured_texture": 1.0},
        "skin_type": {"type": "oily", "probabilities": {"oily": 0.7, "normal": 0.3}},
        "conditions": [{"type": "acne", "severity": "moderate"}, {"type": "redness", "severity": "none"}],
    }
    found = snapshot(report)
    assert found.scores == {"redness": 62.0, "acne": 40.0}
    assert found.conditions == ("acne",) and found.skin_type == "oily"
    assert found.skin_type_probabilities == {"oily": 0.7, "normal": 0.3}
    assert snapshot({}).scores == {} and snapshot({}).skin_type is None


def test_the_estimate_is_the_median_of_recent_discoveries() -> None:
    assert estimate([]) == DEFAULT_ESTIMATE
    assert estimate([3.2, 40.0, 5.1]) == 6
    assert estimate([0.01]) == 1


def test_socket_urls_follow_the_public_scheme() -> None:
    assert DiscoveryUrls("https://shine.example").socket(DISCOVERY).startswith("wss://shine.example/mcp/")
    assert DiscoveryUrls("http://127.0.0.1:8000").socket(DISCOVERY).endswith(f"/{DISCOVERY}/ws")


@pytest.mark.parametrize(
    "body",
    [
        {"result_limit": 0},
        {"result_limit": 51},
        {"quality_threshold": 1.5},
        {"search_parameters": {"keywords": ["x"] * 11}},
        {"search_parameters": {"keywords": ["x" * 61]}},
        {"search_parameters": {"colour": "red"}},
    ],
)
def test_requests_out_of_bounds_are_refused(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DiscoverBody.model_validate({"analysis_id": str(DISCOVERY), **body})


def test_search_parameters_are_trimmed_for_the_event() -> None:
    body = DiscoverBody.model_validate(
        {"analysis_id": str(DISCOVERY), "search_parameters": {"keywords": [" serum ", " "]}}
    )
    assert body.search_parameters.cleaned() == {"keywords": ["serum"], "product_types": []}


def _session(**changes: Any) -> RowMapping:
    base = {
        "id": DISCOVERY,
        "analysis_id": uuid.UUID(int=6),
        "session_status": "completed",
        "current_stage": "completed",
        "progress_percentage": 100,
        "results_found": 2,
        "estimated_remaining_seconds": 0,
        "quality_score": Decimal("0.8000"),
        "degraded": False,
        "cached": False,
        "failure_reason": None,
        "failure_message": None,
        "queries": ["oily skin serum"],
        "created_at": NOW,
        "completed_at": NOW,
    }
    return _row({**base, **changes})


def _item(url: str, content_type: str, similarity: float, images: tuple[str, ...]) -> DiscoveredContent:
    return DiscoveredContent.model_validate(
        {
            "content_type": content_type,
            "source_url": url,
            "content_url": url,
            "site": "shop.example",
            "name": "Serum" if content_type == "product" else None,
            "price": "18.50",
            "currency": "EUR",
            "image_urls": images,
            "quality_score": 0.8,
            "similarity_score": similarity,
            "fetched_at": NOW,
        }
    )


def test_results_split_products_content_and_images_with_their_sources() -> None:
    rows = [
        _row(content_row(DISCOVERY, 1, _item("https://a.example/p", "product", 0.9, ("i1", "i2", "i3")), NOW)),
        _row(content_row(DISCOVERY, 2, _item("https://b.example/g", "article", 0.5, ("i1", "i4")), NOW)),
    ]
    view = present.results(_session(), rows)
    assert [p.price for p in view.related_products] == [Decimal("18.50")]
    assert view.related_products[0].product_id is not None and view.related_products[0].source.site == "shop.example"
    assert [c.content_type for c in view.related_content] == ["article"]
    assert [i.image_url for i in view.similar_images] == ["i1", "i2", "i4"]  # two per page, each once
    assert view.quality_score == 0.8 and view.message is None


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"degraded": True, "cached": True}, present.CACHE_MESSAGE),
        ({"degraded": True}, present.DEGRADED_MESSAGE),
        ({"cached": True}, present.CACHED_MESSAGE),
        ({"session_status": "failed", "failure_message": "no source"}, "no source"),
    ],
)
def test_the_message_says_how_results_were_obtained(changes: dict[str, Any], says: str) -> None:
    assert present.message(_session(**changes)) == says


def test_a_queued_discovery_estimates_its_whole_duration() -> None:
    queued = present.progress(_session(session_status="queued", current_stage="queued", progress_percentage=0), 17)
    assert queued.estimated_remaining_time == 17 and queued.discovery_status == "queued"
    assert present.progress(_session(), 17).estimated_remaining_time == 0
