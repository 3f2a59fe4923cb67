"""Verify a Stripe webhook's raw body against its `Stripe-Signature` header, accepting several secrets.

During a secret rotation Stripe signs with every live secret (one `v1=` per secret), and we may hold the new
secret before or after Stripe switches: each configured secret is tried in turn. A failure names its cause so
the edge can log and count it; all of them answer 400 and publish nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import stripe

DEFAULT_TOLERANCE_SECONDS = 300


class Rejection(StrEnum):
    """Why a webhook was refused (the edge's error code, lower-cased)."""

    MISSING_SIGNATURE = "missing_signature"
    BAD_SIGNATURE = "bad_signature"
    STALE_TIMESTAMP = "stale_timestamp"
    MALFORMED_PAYLOAD = "malformed_payload"


class WebhookRejected(Exception):
    """The webhook cannot be trusted or read; nothing may be published."""

    def __init__(self, reason: Rejection, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class WebhookSecrets:
    """The signing secrets in force (newest first) and the accepted clock skew."""

    secrets: tuple[str, ...]
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS

    def __post_init__(self) -> None:
        if not self.secrets or any(not s.strip() for s in self.secrets):
            raise ValueError("at least one non-empty Stripe webhook signing secret is required")
        if self.tolerance_seconds <= 0:
            raise ValueError("the signature tolerance must be positive: 0 would accept replays forever")


def _signature_matches(payload: bytes, header: str, secret: str) -> bool:
    """Whether header carries a valid v1 signature of payload under secret, whatever its age."""
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=None)
    except (stripe.SignatureVerificationError, ValueError):
        return False
    return True


def _try_secret(payload: bytes, header: str, secret: str, tolerance: int) -> Rejection | None:
    """None when payload verifies under secret, else why not."""
    try:
        # The signature and its age only: the body is parsed once, by _as_event (stripe.Webhook.construct_event
        # would also build a StripeObject we never use, most of the bridge's time).
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError:
        # The library checks the signature before the age: a matching signature means it failed on age alone.
        return Rejection.STALE_TIMESTAMP if _signature_matches(payload, header, secret) else Rejection.BAD_SIGNATURE
    except ValueError:  # undecodable bytes
        return Rejection.MALFORMED_PAYLOAD
    return None


def _as_event(payload: bytes) -> dict[str, Any]:
    """The verified body as a plain dict, checked to be a Stripe event."""
    try:
        body = json.loads(payload)
    except ValueError:  # undecodable bytes or JSON
        raise WebhookRejected(Rejection.MALFORMED_PAYLOAD, _MESSAGES[Rejection.MALFORMED_PAYLOAD]) from None
    if not isinstance(body, dict) or body.get("object") != "event":
        raise WebhookRejected(Rejection.MALFORMED_PAYLOAD, "the body is not a Stripe event object")
    for field in ("id", "type", "created"):
        if field not in body:
            raise WebhookRejected(Rejection.MALFORMED_PAYLOAD, f"the event has no {field!r}")
    data = body.get("data")
    if not isinstance(data, Mapping) or not isinstance(data.get("object"), Mapping):
        raise WebhookRejected(Rejection.MALFORMED_PAYLOAD, "the event has no data.object")
    return body


def verify_webhook(payload: bytes, header: str | None, config: WebhookSecrets) -> dict[str, Any]:
    """The Stripe event in payload if header proves it fresh and signed by one of our secrets; else WebhookRejected."""
    if not header:
        raise WebhookRejected(Rejection.MISSING_SIGNATURE, "no Stripe-Signature header")
    outcomes: list[Rejection] = []
    for secret in config.secrets:
        outcome = _try_secret(payload, header, secret, config.tolerance_seconds)
        if outcome is None:
            return _as_event(payload)
        outcomes.append(outcome)
    # Precedence: a payload that is not even text/JSON says so; a genuine but old signature is a replay.
    for reason in (Rejection.MALFORMED_PAYLOAD, Rejection.STALE_TIMESTAMP):
        if reason in outcomes:
            raise WebhookRejected(reason, _MESSAGES[reason])
    raise WebhookRejected(Rejection.BAD_SIGNATURE, _MESSAGES[Rejection.BAD_SIGNATURE])


_MESSAGES: Mapping[Rejection, str] = {
    Rejection.MALFORMED_PAYLOAD: "the webhook body is not a readable Stripe event",
    Rejection.STALE_TIMESTAMP: "the signature is valid but older than the tolerance: a replay or a stuck retry",
    Rejection.BAD_SIGNATURE: "no signature matches any of our webhook secrets",
}


def parse_secrets(raw: str | Sequence[str]) -> tuple[str, ...]:
    """Secrets from a comma-separated setting (or a list), blanks dropped, order kept."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return tuple(s.strip() for s in items if s.strip())
