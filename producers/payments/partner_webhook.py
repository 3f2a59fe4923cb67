"""The dropship partners' shipment webhook: verify `Partner-Signature`, map to order.shipped / order.delivered.

Scheme (infra/partner/API.md): `Partner-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.raw body")>`, several
`v1` during a rotation. Each partner has its own secrets and its own route (`/webhooks/partners/{name}`), so the
partner's name comes from the URL, never from the body it signs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from events.envelope import NAMESPACE
from events.orders import TOPIC_NAME, OrderDelivered, OrderShipped, ShipmentData
from producers.payments.metrics import count
from producers.payments.outcomes import Ignored, Outcome, Publish, Rejected
from producers.payments.verification import Rejection

__all__ = ["HEADER", "TOPIC_NAME", "PartnerWebhookConfig", "bridge_partner_webhook", "event_id_for"]

HEADER = "Partner-Signature"
SOURCE = "partner-webhook"
EVENTS = {"order.shipped": OrderShipped, "order.delivered": OrderDelivered}


@dataclass(frozen=True)
class PartnerWebhookConfig:
    """One partner's name and the secrets its webhooks may be signed with."""

    partner: str
    secrets: tuple[str, ...]
    tolerance_seconds: int = 300

    def __post_init__(self) -> None:
        if not self.secrets or any(not s for s in self.secrets):
            raise ValueError(f"partner {self.partner}: at least one non-empty webhook secret is required")


def event_id_for(partner: str, partner_event_id: str) -> uuid.UUID:
    """Our event id for a partner's event: redeliveries of one event dedupe to one."""
    return uuid.uuid5(NAMESPACE, f"partner/{partner}/{partner_event_id}")


def _parse_header(header: str) -> tuple[int, list[str]]:
    pairs = [item.split("=", 1) for item in header.split(",") if "=" in item]
    stamps = [value for key, value in pairs if key.strip() == "t"]
    signatures = [value.strip() for key, value in pairs if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not signatures:
        raise ValueError("unreadable signature header")
    return int(stamps[0]), signatures


def _verify(payload: bytes, header: str | None, config: PartnerWebhookConfig, now: float) -> Rejected | None:
    if not header:
        return Rejected(Rejection.MISSING_SIGNATURE, f"no {HEADER} header")
    try:
        timestamp, signatures = _parse_header(header)
    except ValueError:
        return Rejected(Rejection.BAD_SIGNATURE, f"unreadable {HEADER} header")
    signed = str(timestamp).encode() + b"." + payload
    expected = [hmac.new(s.encode(), signed, hashlib.sha256).hexdigest() for s in config.secrets]
    if not any(hmac.compare_digest(e, given) for e in expected for given in signatures):
        return Rejected(Rejection.BAD_SIGNATURE, "no signature matches this partner's secrets")
    if abs(now - timestamp) > config.tolerance_seconds:
        return Rejected(Rejection.STALE_TIMESTAMP, "the signature's timestamp is outside the tolerance")
    return None


def _shipment(body: Mapping[str, Any], partner: str) -> ShipmentData:
    order = body["data"]["order"]
    return ShipmentData(
        order_id=uuid.UUID(str(order["reference"])),
        partner=partner,
        partner_order_id=str(order["id"]),
        partner_event_id=str(body["id"]),
        happened_at=datetime.fromtimestamp(int(body["created"]), UTC),
        carrier=order.get("carrier"),
        tracking_number=order.get("tracking_number"),
        tracking_url=order.get("tracking_url"),
    )


def bridge_partner_webhook(
    payload: bytes, header: str | None, config: PartnerWebhookConfig, now: float | None = None
) -> Outcome:
    """Verify a partner webhook and decide: publish an orders event, ignore the type, or refuse it (counted)."""
    return count(f"partner-{config.partner}", _decide(payload, header, config, now))


def _decide(payload: bytes, header: str | None, config: PartnerWebhookConfig, now: float | None) -> Outcome:
    refused = _verify(payload, header, config, time.time() if now is None else now)
    if refused is not None:
        return refused
    try:
        body = json.loads(payload)
        event_type, partner_event_id = str(body["type"]), str(body["id"])
        cls = EVENTS.get(event_type)
        if cls is None:
            return Ignored(partner_event_id, event_type)
        data = _shipment(body, config.partner)
    except (ValueError, KeyError, TypeError) as broken:
        return Rejected(Rejection.MALFORMED_PAYLOAD, f"unreadable partner event: {broken}")
    event = cls(
        event_id=event_id_for(config.partner, partner_event_id),
        occurred_at=data.happened_at,
        source=SOURCE,
        subject=str(data.order_id),
        correlation_id=str(data.order_id),
        data=data,
    )
    return Publish(event, partner_event_id, event_type)
