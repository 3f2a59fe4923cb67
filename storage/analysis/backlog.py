"""The measurements back-pressure uses, read from the uploads/analysis projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.analysis.tables import image_analyses, image_uploads

UNFINISHED = ("pending", "processing")
# An upload stuck longer than this is not waiting in the queue any more (its events are being redriven).
STALE_AFTER = timedelta(hours=6)
SAMPLE = 50


@dataclass(frozen=True)
class Backlog:
    """Uploads accepted and not finished, and how fast analyses have been finishing lately."""

    waiting: int
    service_seconds: float | None  # recent mean time from analysis start to its outcome
    finished_recently: int  # outcomes within the last `window_seconds`
    window_seconds: float


async def measure(conn: AsyncConnection, now: datetime, window: timedelta) -> Backlog:
    """Unfinished uploads, the mean service time of the latest outcomes, and outcomes within `window`."""
    u, a = image_uploads.c, image_analyses.c
    waiting = (
        await conn.execute(
            select(func.count()).where(u.upload_status.in_(UNFINISHED), u.created_at > now - STALE_AFTER)
        )
    ).scalar_one()
    latest = (
        select((func.extract("epoch", a.completed_at) - func.extract("epoch", a.created_at)).label("took"))
        .where(a.completed_at.is_not(None), a.completed_at > now - STALE_AFTER)
        .order_by(a.completed_at.desc())
        .limit(SAMPLE)
        .subquery()
    )
    service = (await conn.execute(select(func.avg(latest.c.took)))).scalar_one()
    finished = (await conn.execute(select(func.count()).where(a.completed_at > now - window))).scalar_one()
    return Backlog(int(waiting), float(service) if service is not None else None, int(finished), window.total_seconds())
