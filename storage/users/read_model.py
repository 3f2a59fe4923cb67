"""The users read model (`user_profiles`), folded from shine.users.v1 so other contexts never read edge tables.

Registration creates the row; sign-ins count and move `last_signed_in_at` forward only; preferences replace
the preference columns when their revision is not older than the row's (storage/revisions.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import RowMapping, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from events.users import PreferencesUpdated, UserRegistered, UserSignedIn
from storage.projection import Projection
from storage.revisions import upsert_newer
from storage.users.tables import user_profiles

_EMPTY: dict[str, Any] = {"sign_ins": 0, "skin_concerns": [], "allergies": [], "preferred_brands": []}


async def _ensure(conn: AsyncConnection, user_id: uuid.UUID) -> None:
    # Any of the user's events may be folded first (redelivery, replay): the row appears with the first.
    stmt = insert(user_profiles).values(user_id=user_id, revision=-1, **_EMPTY)
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=[user_profiles.c.user_id]))


async def user_registered(conn: AsyncConnection, event: UserRegistered) -> None:
    """A new user: who vouched for them and when."""
    await _ensure(conn, event.data.user_id)
    await conn.execute(
        user_profiles.update()
        .where(user_profiles.c.user_id == event.data.user_id)
        .values(provider=event.data.provider, registered_at=event.occurred_at)
    )


async def user_signed_in(conn: AsyncConnection, event: UserSignedIn) -> None:
    """One more sign-in; the latest time wins whatever the order of arrival."""
    await _ensure(conn, event.data.user_id)
    c = user_profiles.c
    await conn.execute(
        user_profiles.update()
        .where(c.user_id == event.data.user_id)
        .values(
            sign_ins=c.sign_ins + 1,
            last_signed_in_at=func.greatest(func.coalesce(c.last_signed_in_at, event.occurred_at), event.occurred_at),
        )
    )


async def preferences_updated(conn: AsyncConnection, event: PreferencesUpdated) -> None:
    """The user's preferences, unless a newer revision is already folded."""
    p = event.data.preferences
    row = {
        "user_id": event.data.user_id,
        "skin_type": p.skin_type,
        "skin_concerns": list(p.skin_concerns),
        "allergies": list(p.allergies),
        "preferred_brands": list(p.preferred_brands),
        "price_range_min": p.price_range_min,
        "price_range_max": p.price_range_max,
        "privacy_level": p.privacy_level,
    }
    await upsert_newer(conn, user_profiles, ["user_id"], row, revision=event.data.revision, on_insert={"sign_ins": 0})


async def profile_of(conn: AsyncConnection, user_id: uuid.UUID) -> RowMapping | None:
    """A user's read model row (None until the first users event is folded)."""
    return (await conn.execute(select(user_profiles).where(user_profiles.c.user_id == user_id))).mappings().first()


USERS = Projection(
    "users",
    (user_profiles,),
    {UserRegistered: user_registered, UserSignedIn: user_signed_in, PreferencesUpdated: preferences_updated},
)
