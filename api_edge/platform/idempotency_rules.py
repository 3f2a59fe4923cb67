"""Idempotency-Key rules, free of I/O: what a repeat gets, and the ids a keyed request derives.

A creating POST with an Idempotency-Key is done once per (user, key): a repeat of the same request gets the
original answer, the same key on a different request is refused (422), a repeat while the first is still in
flight is refused (409). Keys expire after a TTL; an in-flight claim older than its lease is abandoned (the
process died) and may be taken over.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from enum import Enum

from storage.platform.idempotency import Record

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces (as Stripe and the IETF draft)
NAMESPACE = uuid.UUID("0b0f6b9e-4e2d-4f55-8d4e-6a1c9e2f7d31")


class Verdict(Enum):
    NEW = "new"  # no usable record: claim the key and do the work
    REPLAY = "replay"  # the same request was answered: give that answer again
    REUSED = "reused"  # the key was used for a different request: 422
    IN_FLIGHT = "in_flight"  # the same key is being worked on right now: 409


def valid_key(key: str) -> bool:
    """Whether an Idempotency-Key header value is acceptable."""
    return KEY_PATTERN.fullmatch(key) is not None


def fingerprint(operation: str, *parts: bytes) -> str:
    """A digest of everything that makes two requests the same request."""
    digest = hashlib.sha256(operation.encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def verdict(record: Record | None, print_: str, now: datetime, ttl: timedelta, lease: timedelta) -> Verdict:
    """What to do with a request carrying a key that has this record."""
    if record is None or record.created_at <= now - ttl:
        return Verdict.NEW
    if record.fingerprint != print_:
        return Verdict.REUSED
    if record.status_code is not None:
        return Verdict.REPLAY
    return Verdict.NEW if record.created_at <= now - lease else Verdict.IN_FLIGHT


def derived_id(user_id: uuid.UUID, key: str, what: str) -> uuid.UUID:
    """An id fixed by (user, key): a retry of a keyed request names the same resource and the same event."""
    return uuid.uuid5(NAMESPACE, f"{what}/{user_id}/{key}")
