"""Signed Stripe webhooks, shuffled and repeated, through the bridge and the fold: the order ends right."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from consumers.fulfillment.domain.from_events import fact_from_event, order_of, payment_intent_of
from consumers.fulfillment.domain.order_state import OrderState, apply
from consumers.fulfillment.domain.order_status import order_status, payment_status, refunded_amount
from events.envelope import Event
from events.orders import ForwardedData, OrderForwarded, OrderItem, OrderPlaced, OrderPlacedData
from producers.payments.verification import WebhookSecrets
from producers.stripe_bridge import Publish, bridge
from tests.unit.payments.stripe_fixtures import SECRET, charge, payment_intent, refund, signed, stripe_event

ORDER = uuid.UUID("3d1f0c2b-8e7a-4b6c-9d5e-0f1a2b3c4d5e")
USER = uuid.uuid4()
CONFIG = WebhookSecrets((SECRET,))
T = 1_772_000_000


def _order_events() -> list[Event]:
    item = OrderItem(product_id=uuid.uuid4(), sku="SKU-1", quantity=1, unit_amount=4200, total_amount=4200)
    data = OrderPlacedData(
        order_id=ORDER,
        user_id=USER,
        order_number="SH-1",
        items=(item,),
        amount=4200,
        currency="eur",
        payment_intent_id="pi_W1",
    )
    placed = OrderPlaced(
        source="edge",
        subject=str(ORDER),
        correlation_id=str(ORDER),
        data=data,
        occurred_at=datetime.fromtimestamp(T, UTC),
    )
    forwarded = OrderForwarded(
        source="fulfillment",
        subject=str(ORDER),
        correlation_id=str(ORDER),
        data=ForwardedData(order_id=ORDER, partner="primary", partner_order_id="po_1", idempotency_key="k", attempts=1),
    )
    return [placed, forwarded]


def _webhooks() -> list[tuple[bytes, str]]:
    pi = "pi_W1"
    objects = [
        ("payment_intent.processing", payment_intent(pi, "processing", order_id=ORDER), 1),
        ("payment_intent.succeeded", payment_intent(pi, "succeeded", amount=4200, order_id=ORDER), 2),
        ("refund.created", refund("re_1", pi, 1200, "pending", ORDER), 50),
        ("refund.updated", refund("re_1", pi, 1200, "succeeded", ORDER), 51),
        ("charge.refunded", charge(pi, refunded=1200, refunds=(("re_1", 1200),)), 51),
        ("customer.created", {"id": "cus_1", "object": "customer"}, 3),
    ]
    return [signed(stripe_event(kind, obj, created=T + second)) for kind, obj, second in objects]


def _events_from_webhooks() -> list[Event]:
    found = []
    for body, header in _webhooks():
        outcome = bridge(body, header, CONFIG)
        if isinstance(outcome, Publish):
            found.append(outcome.event)
    return found


def test_shuffled_and_repeated_webhooks_end_partially_refunded_and_forwarded() -> None:
    events = _events_from_webhooks() + _order_events()
    assert len(events) == 7  # the unknown customer.created was acknowledged, not published
    rng = random.Random(7)
    outcomes = set()
    for _ in range(200):
        stream = events + [rng.choice(events) for _ in range(5)]
        rng.shuffle(stream)
        state = OrderState(ORDER)
        for event in stream:
            fact = fact_from_event(event)
            assert fact is not None
            state = apply(state, fact)
        outcomes.add((order_status(state), payment_status(state), refunded_amount(state), state.revision))
    assert outcomes == {("forwarded", "partially_refunded", 1200, 7)}


def test_payment_events_name_their_intent_and_order_events_their_order() -> None:
    events = _events_from_webhooks()
    assert {payment_intent_of(e) for e in events} == {"pi_W1"}
    assert {order_of(e) for e in events if e.type != "payment.refunded"} == {ORDER}
    assert all(order_of(e) == ORDER and payment_intent_of(e) is None for e in _order_events())
