"""Users and bearer-token sessions: tokens are opaque CSPRNG strings stored only as sha256 hashes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from events.envelope import utcnow
from storage.tables import user_sessions, users

ROLES = ("user", "premium", "admin")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    email: str
    role: str


def new_token() -> str:
    """An opaque bearer token with 256 bits from the OS CSPRNG."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def ensure_user(conn: AsyncConnection, email: str, role: str | None = None) -> uuid.UUID:
    """The id of the user with that email, created as needed; the role changes only when one is given."""
    stmt = insert(users).values(
        google_id=f"operator:{email}", email=email, name=email.split("@", maxsplit=1)[0], role=role or "user"
    )
    changes = {"role": role, "updated_at": utcnow()} if role else {"updated_at": users.c.updated_at}
    stmt = stmt.on_conflict_do_update(index_elements=[users.c.email], set_=changes)
    return (await conn.execute(stmt.returning(users.c.id))).scalar_one()  # type: ignore[no-any-return]


async def open_session(
    conn: AsyncConnection, user_id: uuid.UUID, ttl: timedelta, *, ip: str | None = None, agent: str | None = None
) -> str:
    """Open a session and return its bearer token (the only time the token exists in clear)."""
    token = new_token()
    await conn.execute(
        user_sessions.insert().values(
            user_id=user_id,
            session_token=token_hash(token),
            expires_at=utcnow() + ttl,
            ip_address=ip,
            user_agent=agent,
        )
    )
    return token


async def authenticate(conn: AsyncConnection, token: str, now: datetime | None = None) -> Principal | None:
    """The principal behind a live token, or None (unknown, ended, expired or inactive user)."""
    now = now or utcnow()
    row = (
        await conn.execute(
            select(user_sessions.c.id, users.c.id.label("user_id"), users.c.email, users.c.role)
            .join(users, users.c.id == user_sessions.c.user_id)
            .where(
                and_(
                    user_sessions.c.session_token == token_hash(token),
                    user_sessions.c.is_active,
                    user_sessions.c.expires_at > now,
                    users.c.is_active,
                )
            )
        )
    ).first()
    if row is None:
        return None
    await conn.execute(update(user_sessions).where(user_sessions.c.id == row.id).values(last_accessed_at=now))
    return Principal(user_id=row.user_id, session_id=row.id, email=row.email, role=row.role)
