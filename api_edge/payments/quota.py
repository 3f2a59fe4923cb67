"""The free tier at upload time: admit a free user's analysis under this month's limit, or refuse with 402."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from api_edge.errors import ApiError, Unavailable
from api_edge.platform.database import Database
from api_edge.users.session_rules import Principal
from storage.orders import quota

UNLIMITED_ROLES = frozenset({"premium", "admin"})


@dataclass(frozen=True)
class Admitted:
    """A counted analysis (None month: not counted, the caller is unlimited)."""

    user_id: uuid.UUID
    month: date | None


async def admit(db: Database, who: Principal, limit: int | None, now: datetime | None = None) -> Admitted:
    """Count the upload against the caller's month, or raise 402 SCAN_LIMIT_REACHED with the reset time."""
    if limit is None or who.role in UNLIMITED_ROLES:
        return Admitted(who.user_id, None)
    now = now or datetime.now(UTC)
    async with db.transaction() as conn:
        admitted, used = await quota.admit(conn, who.user_id, limit, now)
    if not admitted:
        resets = quota.next_reset(now)
        raise ApiError(
            402,
            "SCAN_LIMIT_REACHED",
            f"Free accounts get {limit} analyses a month; premium is unlimited.",
            {"limit": limit, "used": used, "resets_at": resets.isoformat()},
        )
    return Admitted(who.user_id, quota.month_of(now))


async def release(db: Database, admitted: Admitted) -> None:
    """Give a counted analysis back (its upload was refused after all); best effort."""
    if admitted.month is None:
        return
    with contextlib.suppress(Unavailable):
        async with db.transaction() as conn:
            await quota.release(conn, admitted.user_id, admitted.month)
