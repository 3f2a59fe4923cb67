"""Reading recommendations (owner-scoped), trending products, the catalog and the experiment's arms."""

from __future__ import annotations

import uuid
from itertools import repeat

from sqlalchemy.ext.asyncio import AsyncConnection

from api_edge.errors import ApiError
from api_edge.recommendations import present
from api_edge.recommendations.deps import RecommendationDeps
from api_edge.users.session_rules import Principal
from consumers.recommendation.catalog_cache import interaction
from consumers.recommendation.domain.ab import arm_stats
from consumers.recommendation.domain.popularity import TIME_PERIODS, trending
from events.envelope import utcnow
from schemas.recommendations import (
    ArmView,
    Experiments,
    ProductPage,
    ProductsQuery,
    ProductView,
    Recommendation,
    RecommendationsPage,
    RecommendationsQuery,
    TrendingAnswer,
    TrendingProduct,
    TrendingQuery,
    price_bounds,
)
from storage.catalog import queries as catalog
from storage.recommendations import queries as recs

NOT_FOUND = ApiError(
    404, "RECOMMENDATIONS_NOT_FOUND", "No recommendations exist for this analysis (yet), or it is not yours."
)
FIRST_ITEMS = 10


def _filters(query: RecommendationsQuery) -> recs.ItemFilter:
    low, high = price_bounds(query.price_range)
    return recs.ItemFilter(
        category=query.category,
        price_min=low,
        price_max=high,
        brands=query.brands(),
        availability=None if query.availability == "any" else query.availability,
        offset=(query.page - 1) * query.limit,
        limit=query.limit,
    )


async def for_analysis(
    deps: RecommendationDeps, who: Principal, analysis_id: uuid.UUID, query: RecommendationsQuery
) -> RecommendationsPage:
    """The caller's recommendations for one analysis (by analysis or upload id), filtered and paged; 404 otherwise."""
    wanted = _filters(query)
    async with deps.db.reading() as conn:
        found = await recs.set_of(conn, analysis_id, who.user_id)
        if found is None:
            raise NOT_FOUND
        rows, total = await recs.current_items(conn, found, wanted)
    applied = {k: v for k, v in query.model_dump(exclude={"page", "limit"}).items() if v is not None}
    return RecommendationsPage(
        analysis_id=found["analysis_id"],
        recommendations=[present.recommendation(r) for r in rows],
        total_count=total,
        filters_applied=applied | {"hidden_after_feedback": True},
        recommendation_score=float(found["recommendation_score"]),
        variant=found["variant"],
        concerns=list(found["concerns"]),
        page=query.page,
        has_more=wanted.offset + len(rows) < total,
        generated_at=found["generated_at"],
    )


async def first_items(conn: AsyncConnection, user_id: uuid.UUID, analysis_id: uuid.UUID) -> list[Recommendation]:
    """The top in-stock items of an analysis's current list (what the analysis result shows)."""
    found = await recs.set_of(conn, analysis_id, user_id)
    if found is None:
        return []
    rows, _ = await recs.current_items(conn, found, recs.ItemFilter(availability="in_stock", limit=FIRST_ITEMS))
    return [present.recommendation(r) for r in rows]


async def trending_products(deps: RecommendationDeps, query: TrendingQuery) -> TrendingAnswer:
    """Products by time-decayed engagement over the period (half-life: half the period)."""
    now = utcnow()
    async with deps.db.reading() as conn:
        rows = await recs.trend_events(conn, now - TIME_PERIODS[query.time_period], query.category)
        events = [interaction(r["user_id"], r["product_id"], r["feedback_type"], r["created_at"]) for r in rows]
        ranked = trending(events, now, query.time_period)[: query.limit]
        products = await catalog.by_ids(conn, [t.product_id for t in ranked])
    items = [
        TrendingProduct(product=present.product(products[t.product_id]), trend_score=t.score, events=t.events)
        for t in ranked
        if t.product_id in products
    ]
    return TrendingAnswer(
        trending_products=items,
        trend_score=round(sum(t.trend_score for t in items), 6),
        time_period=query.time_period,
        geographic_region=query.geographic_region or "all",
        last_updated=max((r["created_at"] for r in rows), default=now),
    )


async def products(deps: RecommendationDeps, query: ProductsQuery) -> ProductPage:
    """A page of the catalog."""
    low, high = price_bounds(query.price_range)
    wanted = catalog.ProductQuery(
        search=query.search,
        category=query.category,
        brand=query.brand,
        price_min=low,
        price_max=high,
        availability=None if query.availability == "any" else query.availability,
        offset=(query.page - 1) * query.limit,
        limit=query.limit,
    )
    async with deps.db.reading() as conn:
        rows, total = await catalog.search(conn, wanted)
    return ProductPage(
        products=[present.product(r) for r in rows],
        total_count=total,
        page=query.page,
        has_more=wanted.offset + len(rows) < total,
    )


async def product(deps: RecommendationDeps, product_id: uuid.UUID) -> ProductView:
    """One product; 404 when unknown."""
    async with deps.db.reading() as conn:
        row = await catalog.by_id(conn, product_id)
    if row is None:
        raise ApiError(404, "PRODUCT_NOT_FOUND", "No such product.")
    return present.product(row)


async def experiments(deps: RecommendationDeps) -> Experiments:
    """Items shown, feedback and purchases per recommender arm."""
    async with deps.db.reading() as conn:
        shown = await recs.exposure_by_variant(conn)
        given = await recs.feedback_by_variant(conn)
    pairs = [pair for variant, kind, count in given for pair in repeat((variant, kind), count)]
    arms = [
        ArmView(
            arm=a.arm,
            shown=a.shown,
            feedback=a.feedback,
            purchases=a.purchases,
            feedback_rate=round(a.feedback_rate, 6),
            purchase_rate=round(a.purchase_rate, 6),
        )
        for a in arm_stats(shown, pairs)
    ]
    return Experiments(
        experiment="recommender", assignment="sha256(recommender:user_id) over the arms' shares", arms=arms
    )
