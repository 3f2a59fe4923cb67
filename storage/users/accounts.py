"""Users in SQL: operator-made and OIDC sign-ins (identified by the provider's `sub`, never by email), admin
actions. The rules (which roles exist, what a role grants) live in the edge: schemas/auth.py and
api_edge/users/session_rules.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Label, RowMapping, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from events.envelope import utcnow
from storage.users.tables import user_preferences, users


class EmailTaken(Exception):
    """Another account already uses this email address."""


@dataclass(frozen=True)
class SignIn:
    user_id: uuid.UUID
    created: bool
    suspended: bool


async def ensure_user(conn: AsyncConnection, email: str, role: str | None = None) -> uuid.UUID:
    """The id of the user with that email, created as needed; the role changes only when one is given."""
    stmt = insert(users).values(
        google_id=f"operator:{email}", email=email, name=email.split("@", maxsplit=1)[0], role=role or "user"
    )
    changes = {"role": role, "updated_at": utcnow()} if role else {"updated_at": users.c.updated_at}
    stmt = stmt.on_conflict_do_update(index_elements=[users.c.email], set_=changes)
    return (await conn.execute(stmt.returning(users.c.id))).scalar_one()  # type: ignore[no-any-return]


async def sign_in(conn: AsyncConnection, sub: str, email: str, name: str, picture: str | None) -> SignIn:
    """Create the user on first sign-in, else refresh their profile; the provider's `sub` is the identity."""
    now = utcnow()
    stmt = insert(users).values(google_id=sub, email=email, name=name, profile_picture_url=picture, last_login_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[users.c.google_id],
        set_={"email": email, "name": name, "profile_picture_url": picture, "last_login_at": now, "updated_at": now},
    )
    # xmax = 0 only on a freshly inserted row: tells "registered" from "signed in again" in one statement.
    created: Label[Any] = literal_column("(users.xmax = 0)").label("created")
    try:
        async with conn.begin_nested():  # another account holding this email trips the unique key: a 409, not a 500
            found = (await conn.execute(stmt.returning(users.c.id, users.c.suspended_at, created))).one()
    except IntegrityError:
        raise EmailTaken(email) from None
    return SignIn(found.id, bool(found.created), found.suspended_at is not None)


async def profile(conn: AsyncConnection, user_id: uuid.UUID) -> tuple[RowMapping, RowMapping | None]:
    """The user row and their preferences row (None until they set some)."""
    user = (await conn.execute(select(users).where(users.c.id == user_id))).mappings().one()
    prefs = (
        (await conn.execute(select(user_preferences).where(user_preferences.c.user_id == user_id))).mappings().first()
    )
    return user, prefs


async def save_preferences(conn: AsyncConnection, user_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Replace the user's preferences; returns their new revision (1 for the first save)."""
    stmt = insert(user_preferences).values(user_id=user_id, revision=1, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[user_preferences.c.user_id],
        set_={**values, "updated_at": utcnow(), "revision": user_preferences.c.revision + 1},
    )
    return int((await conn.execute(stmt.returning(user_preferences.c.revision))).scalar_one())


async def list_users(conn: AsyncConnection, q: str | None, offset: int, limit: int) -> tuple[Sequence[RowMapping], int]:
    """Users whose email contains `q` (case-insensitive), newest first, with the total count."""
    where = users.c.email.ilike(f"%{_escape_like(q)}%", escape="\\") if q else users.c.id.is_not(None)
    total = (await conn.execute(select(func.count()).select_from(users).where(where))).scalar_one()
    rows = (
        (
            await conn.execute(
                select(users).where(where).order_by(users.c.created_at.desc(), users.c.id).offset(offset).limit(limit)
            )
        )
        .mappings()
        .all()
    )
    return rows, int(total)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def set_suspended(conn: AsyncConnection, user_id: uuid.UUID, when: datetime | None) -> bool:
    """Suspend (or lift with None); False if there is no such user."""
    done = await conn.execute(update(users).where(users.c.id == user_id).values(suspended_at=when, updated_at=utcnow()))
    return bool(done.rowcount)


async def set_role(conn: AsyncConnection, user_id: uuid.UUID, role: str) -> bool:
    """Give a user a role; False if there is no such user."""
    done = await conn.execute(update(users).where(users.c.id == user_id).values(role=role, updated_at=utcnow()))
    return bool(done.rowcount)
