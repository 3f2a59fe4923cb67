"""Recommendation and product routes (PRD §9.3): a user's recommendations, feedback, trending, the catalog,
and the A/B experiment's arms for admins."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import admin, signed_in
from api_edge.inputs import parse_body, parse_query
from api_edge.platform.idempotency import key_of
from api_edge.recommendations import feedback, reads
from api_edge.recommendations.deps import RecommendationDeps
from api_edge.routing import IDEMPOTENCY_KEY, Context, Doc, JsonBody, Param, path_uuid
from api_edge.users.session_rules import Principal
from observability.logs import correlation_id
from schemas.recommendations import (
    MAX_LIMIT,
    PRICE_RANGE_PATTERN,
    Experiments,
    FeedbackAnswer,
    FeedbackBody,
    ProductPage,
    ProductsQuery,
    ProductView,
    RecommendationsPage,
    RecommendationsQuery,
    TrendingAnswer,
    TrendingQuery,
)


async def for_analysis(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """GET /recommendations/{analysis_id}?category&price_range&brand_preference&availability&page&limit."""
    query = parse_query(request, RecommendationsQuery)
    page = await reads.for_analysis(deps, who, request.path_params["analysis_id"], query)
    return JSONResponse(page.model_dump(mode="json"))


async def give_feedback(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """POST /recommendations/feedback: published as an event; the next list reflects it."""
    body = await parse_body(request, FeedbackBody)
    cid = correlation_id.get() or str(uuid.uuid4())
    answer = await feedback.give(deps, who, body, key_of(request), cid)
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


async def trending(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """GET /recommendations/trending?category&time_period&geographic_region&limit."""
    found = await reads.trending_products(deps, parse_query(request, TrendingQuery))
    return JSONResponse(found.model_dump(mode="json"))


async def products(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """GET /products?search&category&brand&price_range&availability&page&limit."""
    page = await reads.products(deps, parse_query(request, ProductsQuery))
    return JSONResponse(page.model_dump(mode="json"))


async def product(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """GET /products/{product_id}."""
    found = await reads.product(deps, request.path_params["product_id"])
    return JSONResponse(found.model_dump(mode="json"))


async def experiments(request: Request, who: Principal, deps: RecommendationDeps) -> Response:
    """GET /admin/recommendations/experiments: feedback and purchase rates per arm."""
    return JSONResponse((await reads.experiments(deps)).model_dump(mode="json"))


def _text(name: str, description: str = "", max_length: int = 100) -> Param:
    return Param(name, "query", {"type": "string", "minLength": 1, "maxLength": max_length}, description)


_PAGE = (
    Param("page", "query", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}),
    Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
)
_PRICE = Param(
    "price_range", "query", {"type": "string", "pattern": PRICE_RANGE_PATTERN, "maxLength": 40}, "MIN-MAX, MIN- or -MAX"
)
_AVAILABILITY = Param(
    "availability", "query", {"type": "string", "enum": ["in_stock", "out_of_stock", "backorder", "unknown", "any"]}
)

recommendation = Context(lambda edge: edge.recommendations)
ROUTES = (
    recommendation.route(
        "GET",
        "/recommendations/trending",
        signed_in(trending),
        Doc(
            "Trending products (time-decayed engagement)",
            {200: TrendingAnswer},
            (422,),
            params=(
                _text("category"),
                Param("time_period", "query", {"type": "string", "enum": ["day", "week", "month"], "default": "week"}),
                _text("geographic_region"),
                Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
            ),
        ),
    ),
    recommendation.route(
        "POST",
        "/recommendations/feedback",
        signed_in(give_feedback),
        Doc(
            "Feedback on one of your recommendations",
            {200: FeedbackAnswer},
            (400, 404, 409, 413, 422),
            params=(IDEMPOTENCY_KEY,),
            body=JsonBody(FeedbackBody),
        ),
    ),
    recommendation.route(
        "GET",
        "/recommendations/{analysis_id}",
        signed_in(for_analysis),
        Doc(
            "Your recommendations for an analysis (its analysis or upload id)",
            {200: RecommendationsPage},
            (404, 422),
            params=(
                path_uuid("analysis_id"),
                _text("category"),
                _PRICE,
                _text("brand_preference", "comma-separated brands", 500),
                _AVAILABILITY,
                *_PAGE,
            ),
        ),
    ),
    recommendation.route(
        "GET",
        "/products",
        signed_in(products),
        Doc(
            "Search the catalog",
            {200: ProductPage},
            (422,),
            params=(
                _text("search", max_length=200),
                _text("category"),
                _text("brand", max_length=255),
                _PRICE,
                _AVAILABILITY,
                *_PAGE,
            ),
        ),
    ),
    recommendation.route(
        "GET",
        "/products/{product_id}",
        signed_in(product),
        Doc("One product", {200: ProductView}, (404,), params=(path_uuid("product_id"),)),
    ),
    recommendation.route(
        "GET",
        "/admin/recommendations/experiments",
        admin(experiments),
        Doc("Feedback and purchase rates per recommender arm (admin)", {200: Experiments}),
    ),
)
