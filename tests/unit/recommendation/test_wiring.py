"""The recommendation group's pure glue: inputs read from the analysis and the users read model, the event."""

from __future__ import annotations

import uuid
from decimal import Decimal

from consumers.recommendation.domain.index import build_index
from consumers.recommendation.domain.recommend import Request, recommend
from consumers.recommendation.handlers import measured, preferences
from consumers.recommendation.outcome import generated_event
from events.envelope import derived_id
from events.uploads import UploadAccepted, UploadAcceptedData
from knowledge.base import load
from schemas.recommendations import price_bounds
from tests.unit.recommendation.catalog import CATALOG

KB = load()
INDEX = build_index(CATALOG, KB)
USER, ANALYSIS, UPLOAD = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


def test_unmeasured_scores_evidence_no_concern() -> None:
    scores = {"acne": 30.0, "texture": 50.0, "pores": 50.0}
    assert measured(scores, {"unmeasured_texture": 1.0, "unmeasured_pores": 1.0}) == {"acne": 30.0}
    assert measured(scores, {}) == scores


def test_preferences_come_from_the_users_read_model_row() -> None:
    row = {
        "skin_type": "oily",
        "allergies": ["fragrance"],
        "preferred_brands": ["Ostra"],
        "price_range_min": None,
        "price_range_max": Decimal("25.00"),
    }
    prefs = preferences(row)  # type: ignore[arg-type]  # a RowMapping behaves as this mapping
    assert prefs.allergies == ("fragrance",) and prefs.preferred_brands == ("Ostra",)
    assert prefs.price_max == 25.0 and prefs.price_min is None and prefs.skin_type == "oily"
    assert preferences(None).allergies == ()


def test_the_event_carries_items_routine_inputs_and_revision() -> None:
    request = Request(ANALYSIS, str(USER), {"acne": 30.0}, {"oily": 0.6}, limit=3)
    result = recommend(INDEX, KB, request, model=None, popularity=INDEX.prior)
    cause = UploadAccepted(
        source="test",
        subject=str(UPLOAD),
        correlation_id="c-1",
        data=UploadAcceptedData(
            upload_id=UPLOAD,
            user_id=USER,
            blob_sha256="0" * 64,
            mime_type="image/jpeg",
            file_size=1,
            width=64,
            height=64,
        ),
    )
    event = generated_event(
        cause,
        event_id=derived_id("recommendation", cause.event_id),
        user_id=USER,
        analysis_id=ANALYSIS,
        upload_id=UPLOAD,
        scores={"acne": 30.0},
        skin_type_probabilities={"oily": 0.6},
        result=result,
        knowledge_version=KB.version,
        revision=7,
    )
    d = event.data
    assert event.subject == str(USER) and event.correlation_id == "c-1" and event.causation_id == str(cause.event_id)
    assert d.revision == 7 and d.upload_id == UPLOAD and d.scores == {"acne": 30.0} and d.total_count > 3
    assert set(d.routine) <= {i.recommendation_id for i in d.items} and len(d.items) >= 3
    assert all(i.reason and 0 <= i.score <= 1 for i in d.items)


def test_price_ranges() -> None:
    assert price_bounds("10-40") == (Decimal(10), Decimal(40))
    assert price_bounds("-25") == (None, Decimal(25)) and price_bounds("30-") == (Decimal(30), None)
    assert price_bounds("40-10") == (Decimal(10), Decimal(40))
    for bad in ("-", "ten-20", "1e3-5"):
        try:
            price_bounds(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
