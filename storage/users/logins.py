"""Login transactions: one per sign-in attempt, single use, expiring within minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.users.tables import login_transactions


async def create(
    conn: AsyncConnection,
    *,
    state_hash: str,
    client_state: str,
    client_type: str,
    redirect_uri: str,
    code_verifier: str,
    nonce: str,
    now: datetime,
    ttl: timedelta,
) -> None:
    """Record a sign-in in progress (and forget ones that expired a day ago)."""
    await conn.execute(delete(login_transactions).where(login_transactions.c.expires_at < now - timedelta(days=1)))
    await conn.execute(
        login_transactions.insert().values(
            state_hash=state_hash,
            client_state=client_state,
            client_type=client_type,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
            nonce=nonce,
            created_at=now,
            expires_at=now + ttl,
        )
    )


async def claim(conn: AsyncConnection, state_hash: str, now: datetime) -> Row[tuple[object, ...]] | None:
    """Use up the transaction for this state: None if unknown, already used or expired."""
    t = login_transactions.c
    return (
        await conn.execute(
            update(login_transactions)
            .where(t.state_hash == state_hash, t.used_at.is_(None), t.expires_at > now)
            .values(used_at=now)
            .returning(t.client_type, t.redirect_uri, t.code_verifier, t.nonce, t.client_state)
        )
    ).first()
