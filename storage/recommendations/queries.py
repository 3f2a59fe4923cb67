"""Reads of the recommendation projections: a user's set and its current items (joined with the catalog),
feedback histories, experiment exposure and outcomes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.catalog.tables import products
from storage.orders.tables import order_items, orders
from storage.recommendations.tables import product_recommendations, recommendation_feedback, recommendation_sets

DISMISSIVE = ("dislike", "not_interested")
s, r, f, p = recommendation_sets.c, product_recommendations.c, recommendation_feedback.c, products.c
o, i = orders.c, order_items.c


@dataclass(frozen=True)
class ItemFilter:
    """GET /recommendations/{id} filters; `hide_dismissed` drops products the user disliked since."""

    category: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    brands: tuple[str, ...] = ()
    availability: str | None = None
    offset: int = 0
    limit: int = 10
    routine_only: bool = False


async def set_of(conn: AsyncConnection, analysis_or_upload: uuid.UUID, user_id: uuid.UUID) -> RowMapping | None:
    """The owner's recommendation set for an analysis (by analysis id or upload id); None for anyone else."""
    stmt = select(recommendation_sets).where(
        or_(s.analysis_id == analysis_or_upload, s.upload_id == analysis_or_upload), s.user_id == user_id
    )
    return (await conn.execute(stmt)).mappings().first()


def _dismissed(user_id: uuid.UUID) -> ColumnElement[bool]:
    hidden = select(f.product_id).where(f.user_id == user_id, f.feedback_type.in_(DISMISSIVE))
    return r.product_id.not_in(hidden.scalar_subquery())


def _item_conditions(found: RowMapping, q: ItemFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        r.analysis_id == found["analysis_id"],
        r.revision == found["revision"],
        _dismissed(found["user_id"]),
    ]
    if q.category:
        where.append(or_(p.category == q.category, p.subcategory == q.category))
    if q.price_min is not None:
        where.append(p.price >= q.price_min)
    if q.price_max is not None:
        where.append(p.price <= q.price_max)
    if q.brands:
        where.append(func.lower(p.brand).in_([b.lower() for b in q.brands]))
    if q.availability:
        where.append(p.availability_status == q.availability)
    if q.routine_only:
        where.append(r.in_routine.is_(True))
    return where


async def current_items(conn: AsyncConnection, found: RowMapping, q: ItemFilter) -> tuple[list[RowMapping], int]:
    """The set's current items with their products, best first, filtered and paged; and how many match."""
    joined = product_recommendations.join(products, p.id == r.product_id)
    where = and_(*_item_conditions(found, q))
    total = (await conn.execute(select(func.count()).select_from(joined).where(where))).scalar_one()
    columns: list[Any] = [
        product_recommendations,
        p.name,
        p.brand,
        p.category,
        p.subcategory,
        p.price,
        p.currency,
        p.availability_status,
        p.image_urls,
        p.product_url,
        p.rating,
        p.review_count,
        p.ingredients,
    ]
    stmt = select(*columns).select_from(joined).where(where).order_by(r.rank, r.id).offset(q.offset).limit(q.limit)
    return list((await conn.execute(stmt)).mappings().all()), int(total)


async def recommendation_of(
    conn: AsyncConnection, recommendation_id: uuid.UUID, user_id: uuid.UUID
) -> RowMapping | None:
    """One of the owner's recommendations (current or earlier); None for anyone else's."""
    stmt = select(product_recommendations).where(r.id == recommendation_id, r.user_id == user_id)
    return (await conn.execute(stmt)).mappings().first()


async def history_of(conn: AsyncConnection, user_id: uuid.UUID) -> list[RowMapping]:
    """The user's feedback, oldest first: feedback id, product, type, time."""
    stmt = (
        select(f.id, f.product_id, f.feedback_type, f.created_at)
        .where(f.user_id == user_id, f.product_id.is_not(None))
        .order_by(f.created_at, f.id)
    )
    return list((await conn.execute(stmt)).mappings().all())


async def interactions(conn: AsyncConnection, since: datetime | None = None, limit: int = 200_000) -> list[RowMapping]:
    """Everyone's feedback (user, product, type, time), newest `limit`, for the collaborative and trend parts."""
    stmt = select(f.user_id, f.product_id, f.feedback_type, f.created_at).where(f.product_id.is_not(None))
    if since is not None:
        stmt = stmt.where(f.created_at >= since)
    stmt = stmt.order_by(f.created_at.desc(), f.id).limit(limit)
    return list((await conn.execute(stmt)).mappings().all())


async def feedback_version(conn: AsyncConnection) -> tuple[int, datetime | None]:
    """(count, newest time) of all feedback: changes whenever feedback arrives."""
    count, newest = (await conn.execute(select(func.count(), func.max(f.created_at)))).one()
    return int(count), newest


async def trend_events(conn: AsyncConnection, since: datetime, category: str | None) -> list[RowMapping]:
    """Feedback since a time, and every item of an order paid since then (a `purchase`, from the orders
    projection), on products still listed (optionally of one category)."""
    listed = [p.removed_at.is_(None), p.origin == "feed"]
    if category:
        listed.append(or_(p.category == category, p.subcategory == category))
    feedback = (
        select(f.user_id, f.product_id, f.feedback_type, f.created_at)
        .select_from(recommendation_feedback.join(products, p.id == f.product_id))
        .where(f.created_at >= since, *listed)
    )
    bought = (
        select(o.user_id, i.product_id, literal("purchase").label("feedback_type"), o.paid_at.label("created_at"))
        .select_from(order_items.join(orders, o.id == i.order_id).join(products, p.id == i.product_id))
        .where(o.paid_at >= since, *listed)
    )
    return list((await conn.execute(union_all(feedback, bought))).mappings().all())


async def exposure_by_variant(conn: AsyncConnection) -> list[tuple[str, int]]:
    """(variant, items currently shown) over every set."""
    joined = recommendation_sets.join(
        product_recommendations, and_(r.analysis_id == s.analysis_id, r.revision == s.revision)
    )
    stmt = select(s.variant, func.count()).select_from(joined).group_by(s.variant)
    return [(str(v), int(n)) for v, n in (await conn.execute(stmt)).all()]


async def feedback_by_variant(conn: AsyncConnection) -> list[tuple[str, str, int]]:
    """(variant, feedback type, count) of the feedback given on each assigned arm."""
    stmt = select(f.variant, f.feedback_type, func.count()).where(f.variant.is_not(None))
    stmt = stmt.group_by(f.variant, f.feedback_type)
    return [(str(v), str(t), int(n)) for v, t, n in (await conn.execute(stmt)).all()]
