"""What Stripe would have done: the objects stripe-mock (stateless) forgets, and the webhooks Stripe would send.

Pure: `Ledger.on_call` takes one API call that stripe-mock answered 2xx and returns the answer as Stripe would
give it (amounts, metadata and statuses of the objects made earlier) plus the events Stripe would send for it.
A card payment method succeeds unless its id says it declines (`pm_card_chargeDeclined`, `…Declined…`), as with
Stripe's test payment methods. Refunds succeed at once, up to what was received; subscriptions start active with
their first invoice paid.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

Obj = dict[str, Any]
PERIOD_SECONDS = 30 * 24 * 3600
API_VERSION = "2025-06-30.basil"


class Refusal(Exception):
    """A call Stripe itself would refuse (stripe-mock cannot know): HTTP status and Stripe's error object."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> Obj:
        """Stripe's error envelope."""
        return {"error": {"type": "invalid_request_error", "code": self.code, "message": self.message}}


def form(body: bytes) -> Obj:
    """A Stripe form body (`metadata[order_id]=…&items[0][price]=…`) as nested dicts (list indexes as keys)."""
    out: Obj = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        parts = name.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            node = child if isinstance(child, dict) else node
        node[parts[-1]] = value
    return out


def declines(payment_method: str) -> bool:
    """Whether a test payment method declines (Stripe's `pm_card_chargeDeclined…` family)."""
    return "declined" in payment_method.lower()


def _int(params: Obj, name: str, default: int = 0) -> int:
    try:
        return int(params.get(name, default))
    except (TypeError, ValueError):
        return default


def _metadata(params: Obj) -> dict[str, str]:
    found = params.get("metadata")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


@dataclass
class Ledger:
    """Intents, refunds and subscriptions by id, as the calls through the proxy made them."""

    intents: dict[str, Obj] = field(default_factory=dict)
    refunds: dict[str, list[Obj]] = field(default_factory=dict)  # payment intent id → its refunds
    subscriptions: dict[str, Obj] = field(default_factory=dict)
    plan_amount: int = 999  # what a subscription's invoice charges (stripe-mock knows no real prices)

    def on_call(
        self, method: str, path: str, params: Obj, answer: Obj, now: int | None = None
    ) -> tuple[Obj, list[Obj]]:
        """The answer as Stripe would give it and the events Stripe would send (raises Refusal)."""
        now = now or int(time.time())
        parts = [p for p in path.split("/") if p][1:]  # without the "v1"
        match (method, parts):
            case ("POST", ["payment_intents"]):
                return self._intent_created(params, answer, now), []
            case ("POST", ["payment_intents", pi, "confirm"]):
                return self._confirmed(pi, str(params.get("payment_method", "")), answer, now)
            case ("GET", ["payment_intents", pi]):
                return {**answer, **self.intents.get(pi, {})}, []
            case ("POST", ["payment_intents", pi, "cancel"]):
                return self._canceled(pi, answer, now)
            case ("POST", ["refunds"]):
                return self._refunded(params, answer, now)
            case ("POST", ["subscriptions"]):
                return self._subscribed(params, answer, now)
            case ("POST", ["subscriptions", sub]):
                return self._subscription_updated(sub, params, answer, now)
            case ("DELETE", ["subscriptions", sub]):
                return self._subscription_deleted(sub, answer, now)
        return answer, []

    def _intent_created(self, params: Obj, answer: Obj, now: int) -> Obj:
        intent = {
            **answer,
            "amount": _int(params, "amount", answer.get("amount", 0)),
            "amount_received": 0,
            "currency": str(params.get("currency", answer.get("currency", "usd"))).lower(),
            "metadata": _metadata(params),
            "status": "requires_payment_method",
            "latest_charge": None,
            "last_payment_error": None,
            "created": now,
        }
        self.intents[str(answer["id"])] = intent
        return intent

    def _confirmed(self, pi: str, payment_method: str, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        intent = self.intents.get(pi)
        if intent is None or not payment_method:
            return answer, []
        if intent["status"] == "succeeded":
            raise Refusal(400, "payment_intent_unexpected_state", "This PaymentIntent has already succeeded.")
        if declines(payment_method):
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
            }
            intent["status"] = "requires_payment_method"
            return dict(intent), [event("payment_intent.payment_failed", intent, now)]
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=f"ch_{pi.removeprefix('pi_')}",
            payment_method=payment_method,
            last_payment_error=None,
        )
        return dict(intent), [event("payment_intent.succeeded", intent, now)]

    def _canceled(self, pi: str, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        intent = self.intents.get(pi)
        if intent is None:
            return answer, []
        if intent["status"] in ("succeeded", "canceled"):
            raise Refusal(400, "payment_intent_unexpected_state", f"This PaymentIntent's status is {intent['status']}.")
        intent.update(status="canceled", canceled_at=now, cancellation_reason="requested_by_customer")
        return dict(intent), [event("payment_intent.canceled", intent, now)]

    def _refunded(self, params: Obj, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        pi = str(params.get("payment_intent", ""))
        intent = self.intents.get(pi)
        if intent is None:
            return answer, []
        if intent["status"] != "succeeded":
            raise Refusal(400, "charge_not_succeeded", "This PaymentIntent has no successful charge to refund.")
        done = self.refunds.setdefault(pi, [])
        left = intent["amount_received"] - sum(r["amount"] for r in done)
        amount = _int(params, "amount", left)
        if amount <= 0 or amount > left:
            code = "charge_already_refunded" if left == 0 else "amount_too_large"
            raise Refusal(400, code, f"Refund amount ({amount}) is greater than the unrefunded amount ({left}).")
        refund = {
            **answer,
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": pi,
            "charge": intent["latest_charge"],
            "status": "succeeded",
            "metadata": _metadata(params),
            "created": now,
        }
        done.append(refund)
        charge = {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount_received"],
            "amount_refunded": intent["amount_received"] - left + amount,
            "currency": intent["currency"],
            "payment_intent": pi,
            "metadata": intent["metadata"],
            "refunded": left == amount,
            "refunds": {"object": "list", "data": list(done)},
        }
        return refund, [event("refund.created", refund, now), event("charge.refunded", charge, now)]

    def _subscribed(self, params: Obj, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        items = params.get("items")
        first: object = next(iter(items.values()), {}) if isinstance(items, dict) else {}
        price = str(first.get("price", "")) if isinstance(first, dict) else ""
        sub = {
            **answer,
            "customer": str(params.get("customer", answer.get("customer", ""))),
            "metadata": _metadata(params),
            "status": "active",
            "cancel_at_period_end": False,
            "canceled_at": None,
            "items": {"object": "list", "data": [{"price": {"id": price}, "current_period_end": now + PERIOD_SECONDS}]},
            "current_period_end": now + PERIOD_SECONDS,
        }
        self.subscriptions[str(answer["id"])] = sub
        invoice = {
            "id": f"in_{secrets.token_hex(8)}",
            "object": "invoice",
            "customer": sub["customer"],
            "amount_due": self.plan_amount,
            "amount_paid": self.plan_amount,
            "currency": "usd",
            "status": "paid",
            "billing_reason": "subscription_create",
            "period_end": now,
            "parent": {"subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]}},
        }
        return dict(sub), [event("customer.subscription.created", sub, now), event("invoice.paid", invoice, now)]

    def _subscription_updated(self, sub_id: str, params: Obj, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        sub = self.subscriptions.get(sub_id)
        if sub is None or "cancel_at_period_end" not in params:
            return answer, []
        sub["cancel_at_period_end"] = str(params["cancel_at_period_end"]).lower() == "true"
        return dict(sub), [event("customer.subscription.updated", sub, now)]

    def _subscription_deleted(self, sub_id: str, answer: Obj, now: int) -> tuple[Obj, list[Obj]]:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            return answer, []
        sub.update(status="canceled", canceled_at=now)
        return dict(sub), [event("customer.subscription.deleted", sub, now)]


def event(event_type: str, obj: Obj, now: int) -> Obj:
    """A Stripe event envelope around a snapshot of obj."""
    return {
        "id": f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": API_VERSION,
        "created": now,
        "livemode": False,
        "type": event_type,
        "data": {"object": dict(obj)},
    }
