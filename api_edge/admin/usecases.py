"""Operator use cases: find users, suspend them, change their role."""

from __future__ import annotations

import uuid

from api_edge.errors import ApiError
from api_edge.platform.database import Database
from api_edge.users.session_rules import Principal
from events.envelope import utcnow
from schemas.auth import RoleChanged, Suspended, UserPage, UserQuery, UserSummary
from storage.users import accounts, sessions

NO_USER = ApiError(404, "USER_NOT_FOUND", "No such user.")


async def find_users(db: Database, query: UserQuery) -> UserPage:
    """A page of users whose email contains `q`."""
    offset = (query.page - 1) * query.limit
    async with db.reading() as conn:
        rows, total = await accounts.list_users(conn, query.q, offset, query.limit)
    users = [
        UserSummary(
            user_id=r["id"],
            email=r["email"],
            name=r["name"],
            role=r["role"],
            subscription_tier=r["subscription_tier"],
            suspended=r["suspended_at"] is not None,
            created_at=r["created_at"],
            last_login_at=r["last_login_at"],
        )
        for r in rows
    ]
    return UserPage(users=users, total_count=total, page=query.page, has_more=offset + len(users) < total)


async def suspend(db: Database, who: Principal, user_id: uuid.UUID) -> Suspended:
    """Suspend a user and end every session of theirs; never oneself."""
    if user_id == who.user_id:
        raise ApiError(409, "CANNOT_SUSPEND_SELF", "Administrators cannot suspend themselves.")
    async with db.transaction() as conn:
        if not await accounts.set_suspended(conn, user_id, utcnow()):
            raise NO_USER
        ended = await sessions.end_all(conn, user_id, "suspended", utcnow())
    return Suspended(user_id=user_id, suspended=True, sessions_ended=ended)


async def change_role(db: Database, who: Principal, user_id: uuid.UUID, role: str) -> RoleChanged:
    """Give a user a role; an administrator cannot take away their own."""
    if user_id == who.user_id and role != "admin":
        raise ApiError(409, "CANNOT_DEMOTE_SELF", "Administrators cannot take away their own role.")
    async with db.transaction() as conn:
        if not await accounts.set_role(conn, user_id, role):
            raise NO_USER
    return RoleChanged(user_id=user_id, role=role)
