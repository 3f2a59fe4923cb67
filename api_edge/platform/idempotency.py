"""The Idempotency-Key mechanism for creating POSTs: one answer per (user, key), whatever the retries."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from starlette.requests import Request

from api_edge.errors import ApiError, Unavailable
from api_edge.platform.database import Database
from api_edge.platform.idempotency_rules import Verdict, valid_key, verdict
from events.envelope import utcnow
from storage.platform import idempotency as store

log = logging.getLogger(__name__)
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Answer:
    """A creating request's answer, as stored for replays."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def key_of(request: Request) -> str | None:
    """The request's Idempotency-Key (400 when malformed), None without one."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not valid_key(key):
        raise ApiError(
            400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1–255 printable ASCII characters, no spaces."
        )
    return key


class Idempotency:
    """Runs creating work at most once per (user, key); see idempotency_rules for the rules."""

    def __init__(self, db: Database, ttl: timedelta, lease: timedelta) -> None:
        self.db, self.ttl, self.lease = db, ttl, lease

    async def once(
        self, user_id: uuid.UUID, key: str | None, operation: str, print_: str, work: Callable[[], Awaitable[Answer]]
    ) -> Answer:
        """The work's answer, or the stored answer of the same earlier request."""
        if key is None:
            return await work()
        now = utcnow()
        async with self.db.transaction() as conn:
            await store.prune(conn, user_id, now - self.ttl)
            record = await store.find(conn, user_id, key)
            found = verdict(record, print_, now, self.ttl, self.lease)
            if found is Verdict.REPLAY and record is not None and record.status_code is not None:
                stored = record.response or {}
                headers = {**stored.get("headers", {}), "Idempotent-Replayed": "true"}
                return Answer(record.status_code, stored.get("body", {}), headers)
            if found is Verdict.REUSED:
                raise ApiError(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request.")
            replacing = record.created_at if record is not None else None
            if found is Verdict.IN_FLIGHT or not await store.claim(
                conn, user_id, key, operation, print_, now, replacing
            ):
                raise _in_flight()
        try:
            answer = await work()
        except Exception:
            await self._release(user_id, key)
            raise
        try:
            async with self.db.transaction() as conn:
                body = {"body": answer.body, "headers": answer.headers}
                await store.complete(conn, user_id, key, answer.status, body, utcnow())
        except Unavailable:
            # The work is done and answered; a retry after the lease redoes it with the same derived ids.
            log.warning("idempotency record not completed", extra={"operation": operation})
        return answer

    async def _release(self, user_id: uuid.UUID, key: str) -> None:
        # Best effort: if the database is down too, the claim lapses after its lease.
        with contextlib.suppress(Unavailable):
            async with self.db.transaction() as conn:
                await store.release(conn, user_id, key)


def _in_flight() -> ApiError:
    return ApiError(
        409,
        "IDEMPOTENCY_KEY_IN_FLIGHT",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )
