"""The nearest past analyses by cosine similarity of their feature vectors."""

from __future__ import annotations

import math
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from events.envelope import utcnow
from storage.analysis.queries import most_similar
from storage.analysis.tables import analysis_features

pytestmark = pytest.mark.integration


async def test_most_similar_orders_by_cosine_within_a_feature_version(engine: AsyncEngine) -> None:
    kind = f"test-{uuid.uuid4().hex[:8]}"
    vectors = {"me": [1.0, 0.0], "close": [0.8, 0.6], "far": [0.0, 1.0], "opposite": [-1.0, 0.0]}
    ids = {name: uuid.uuid4() for name in vectors}
    async with engine.begin() as conn:
        for name, vector in vectors.items():
            await conn.execute(
                analysis_features.insert().values(
                    id=uuid.uuid4(),
                    analysis_id=ids[name],
                    user_id=uuid.uuid4(),
                    feature_type=kind,
                    feature_vector=vector,
                    created_at=utcnow(),
                )
            )
        await conn.execute(
            analysis_features.insert().values(  # another feature version never compares
                id=uuid.uuid4(),
                analysis_id=uuid.uuid4(),
                user_id=uuid.uuid4(),
                feature_type=kind + "-v2",
                feature_vector=[1.0, 0.0],
                created_at=utcnow(),
            )
        )
        found = await most_similar(conn, ids["me"], limit=3)
    assert [r["analysis_id"] for r in found] == [ids["close"], ids["far"], ids["opposite"]]
    assert [round(r["similarity"], 6) for r in found] == [0.8, 0.0, -1.0]
    assert not any(math.isnan(r["similarity"]) for r in found)
