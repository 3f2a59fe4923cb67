"""Idempotency-Key rules: replay, reuse, in flight, expiry, abandoned claims, derived ids."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api_edge.platform.idempotency_rules import Verdict, derived_id, fingerprint, valid_key, verdict
from storage.platform.idempotency import Record

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
TTL, LEASE = timedelta(days=1), timedelta(seconds=30)


def _record(age: timedelta, status: int | None = 202, print_: str = "p") -> Record:
    return Record(print_, status, {"body": {}} if status else None, NOW - age)


def test_verdicts() -> None:
    assert verdict(None, "p", NOW, TTL, LEASE) is Verdict.NEW
    assert verdict(_record(timedelta(hours=1)), "p", NOW, TTL, LEASE) is Verdict.REPLAY
    assert verdict(_record(timedelta(hours=1)), "other", NOW, TTL, LEASE) is Verdict.REUSED
    assert verdict(_record(timedelta(seconds=5), None), "p", NOW, TTL, LEASE) is Verdict.IN_FLIGHT
    assert verdict(_record(timedelta(seconds=31), None), "p", NOW, TTL, LEASE) is Verdict.NEW  # abandoned
    assert verdict(_record(timedelta(days=1)), "other", NOW, TTL, LEASE) is Verdict.NEW  # expired


def test_fingerprints_separate_their_parts() -> None:
    assert fingerprint("op", b"ab", b"c") != fingerprint("op", b"a", b"bc")
    assert fingerprint("op", b"x") != fingerprint("other", b"x")
    assert fingerprint("op", b"x") == fingerprint("op", b"x")


def test_keys_and_derived_ids() -> None:
    assert valid_key("0f9e-upload:1") and valid_key("x" * 255)
    assert not valid_key("") and not valid_key("a b") and not valid_key("x" * 256) and not valid_key("é")
    user, other = uuid.uuid4(), uuid.uuid4()
    assert derived_id(user, "k", "upload") == derived_id(user, "k", "upload")
    assert derived_id(user, "k", "upload") != derived_id(other, "k", "upload")
    assert derived_id(user, "k", "upload") != derived_id(user, "k", "upload.accepted")
