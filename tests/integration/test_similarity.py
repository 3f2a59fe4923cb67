"""The owner's nearest past analyses by cosine similarity of their feature vectors."""

from __future__ import annotations

import math
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from events.envelope import utcnow
from storage.analysis.queries import most_similar
from storage.analysis.tables import analysis_features

pytestmark = pytest.mark.integration


async def _insert(
    engine: AsyncEngine, user: uuid.UUID, kind: str, vectors: dict[str, list[float]]
) -> dict[str, uuid.UUID]:
    ids = {name: uuid.uuid4() for name in vectors}
    async with engine.begin() as conn:
        for name, vector in vectors.items():
            await conn.execute(
                analysis_features.insert().values(
                    id=uuid.uuid4(),
                    analysis_id=ids[name],
                    user_id=user,
                    feature_type=kind,
                    feature_vector=vector,
                    created_at=utcnow(),
                )
            )
    return ids


async def test_most_similar_orders_by_cosine_within_the_owners_analyses_of_one_feature_version(
    engine: AsyncEngine,
) -> None:
    kind, me, stranger = f"test-{uuid.uuid4().hex[:8]}", uuid.uuid4(), uuid.uuid4()
    vectors = {"me": [1.0, 0.0], "close": [0.8, 0.6], "far": [0.0, 1.0], "opposite": [-1.0, 0.0]}
    ids = await _insert(engine, me, kind, vectors)
    theirs = await _insert(engine, stranger, kind, {"identical": [1.0, 0.0]})  # never shown to me
    async with engine.begin() as conn:
        await conn.execute(
            analysis_features.insert().values(  # another feature version never compares
                id=uuid.uuid4(),
                analysis_id=uuid.uuid4(),
                user_id=me,
                feature_type=kind + "-v2",
                feature_vector=[1.0, 0.0],
                created_at=utcnow(),
            )
        )
        found = await most_similar(conn, ids["me"], me, limit=3)
        # Asking about someone else's analysis finds nothing, even though the vectors match.
        assert await most_similar(conn, theirs["identical"], me) == []
        assert await most_similar(conn, ids["me"], stranger) == []
    assert [r["analysis_id"] for r in found] == [ids["close"], ids["far"], ids["opposite"]]
    assert [round(r["similarity"], 6) for r in found] == [0.8, 0.0, -1.0]
    assert not any(math.isnan(r["similarity"]) for r in found)
