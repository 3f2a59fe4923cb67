"""The payments peers for a test stack (stripe-mock and two partner services) and Stripe webhooks signed like
Stripe signs them; the stack's edge gets their URLs and secrets through settings."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import stripe

from infra.partner.process import PartnerProcess, ensure_partner, stop_partner
from infra.stripe_mock import StripeMock, ensure_stripe_mock, stop_stripe_mock, tools_dir
from tests.support.services import ROOT, free_port

STRIPE_SECRET = "whsec_e2e_current"
PARTNER_SECRETS = {"primary": "whsec_e2e_partner_primary", "fallback": "whsec_e2e_partner_fallback"}


@dataclass(frozen=True)
class PaymentPeers:
    """Running peers and the settings that point a stack at them."""

    stripe: StripeMock
    partners: dict[str, PartnerProcess]
    edge_port: int
    settings: dict[str, object] = field(default_factory=dict)


def start_payment_peers(var_dir: Path) -> PaymentPeers:
    """stripe-mock (built into the project's var/tools if missing) and the primary and fallback partners."""
    edge_port = free_port()
    mock = ensure_stripe_mock(var_dir, free_port(), tools=tools_dir(ROOT / "var"), timeout=60)
    partners = {}
    for name, secret in PARTNER_SECRETS.items():
        hook = f"http://127.0.0.1:{edge_port}/webhooks/partners/{name}"
        partners[name] = ensure_partner(var_dir, name, free_port(), hook, secret)
    settings: dict[str, object] = {
        "stripe_api_base": mock.url,
        "stripe_webhook_secrets": (STRIPE_SECRET,),
        "partner_primary_url": partners["primary"].url,
        "partner_fallback_url": partners["fallback"].url,
        "partner_webhook_secrets": tuple(f"{n}:{s}" for n, s in PARTNER_SECRETS.items()),
        "partner_timeout_seconds": 2.0,
        "partner_circuit_reset_seconds": 2.0,
        # Other suites upload freely; the free tier is tested on an edge of its own.
        "free_analyses_per_month": 100_000,
    }
    return PaymentPeers(mock, partners, edge_port, settings)


def stop_payment_peers(var_dir: Path, peers: PaymentPeers) -> None:
    """Stop what start_payment_peers started."""
    for name in peers.partners:
        stop_partner(var_dir, name)
    stop_stripe_mock(var_dir)


def stripe_event(event_type: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
    """A Stripe event envelope around obj."""
    return {
        "id": f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2025-06-30.basil",
        "created": created or int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def intent(pi_id: str, status: str, amount: int, order_id: str, user_id: str, currency: str = "usd") -> dict[str, Any]:
    """A PaymentIntent as Stripe sends it in a webhook."""
    return {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency,
        "status": status,
        "metadata": {"order_id": order_id, "user_id": user_id},
        "latest_charge": f"ch_{pi_id[3:]}",
    }


def refund(refund_id: str, pi_id: str, amount: int, status: str, order_id: str) -> dict[str, Any]:
    """A Refund as Stripe sends it."""
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "currency": "usd",
        "charge": f"ch_{pi_id[3:]}",
        "payment_intent": pi_id,
        "status": status,
        "metadata": {"order_id": order_id},
    }


def signed(event: dict[str, Any], secret: str = STRIPE_SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    """The raw body and its Stripe-Signature header."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp or int(time.time()))
    return body.encode(), header


def stripe_headers(header: str) -> dict[str, str]:
    """Request headers of a Stripe webhook delivery."""
    return {"Stripe-Signature": header, "Content-Type": "application/json"}


__all__ = ["PaymentPeers", "intent", "refund", "signed", "start_payment_peers", "stop_payment_peers"]
