"""The database as the edge uses it: every transaction bounded in time, an outage answered 503, never 500."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from api_edge.errors import ApiError, Unavailable


def bounded_engine(url: str, *, pool_size: int, timeout: float) -> AsyncEngine:
    """An asyncpg engine whose pool wait, connect and statements each give up after `timeout` seconds."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=timeout,
        connect_args={
            "timeout": timeout,
            "command_timeout": timeout,
            "server_settings": {"statement_timeout": str(int(timeout * 1000))},
        },
    )


def is_outage(exc: BaseException) -> bool:
    """Whether an error means the database is unreachable or too slow (as opposed to a bad request or a bug)."""
    if isinstance(exc, DataError | IntegrityError | ProgrammingError):
        return False
    return isinstance(exc, DBAPIError | PoolTimeout | OSError | TimeoutError)


class Database:
    """Transactions and reads bounded by `timeout`; an outage becomes `Unavailable` (503 with Retry-After)."""

    def __init__(self, engine: AsyncEngine, timeout: float, retry_after: int) -> None:
        self.engine, self.timeout, self.retry_after = engine, timeout, retry_after

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A transaction committed on success, rolled back on any error or when the bound is reached."""
        async with self._guarded(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (and idempotent single writes such as the last-used time)."""
        async with self._guarded(), self.engine.connect() as conn:
            yield conn
            await conn.commit()

    @asynccontextmanager
    async def _guarded(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self.timeout):
                yield
        except DataError:
            # A value Postgres cannot store (inputs are checked before; this is the last line).
            raise ApiError(422, "INVALID_VALUE", "A value in the request cannot be stored.") from None
        except Exception as exc:
            if not is_outage(exc):
                raise
            raise Unavailable(
                "postgres",
                "DATABASE_UNAVAILABLE",
                "The database is unavailable; nothing was applied.",
                self.retry_after,
            ) from exc
