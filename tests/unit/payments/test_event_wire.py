"""Payments and orders events survive the wire format, keep their key, and have unique types."""

from __future__ import annotations

import json
import time
import uuid

from events.codec import EventRegistry, decode, encode
from events.orders import ORDER_EVENTS
from events.payments import PAYMENT_EVENTS
from infra.partner.signing import signature_header
from producers.payments.partner_webhook import PartnerWebhookConfig, bridge_partner_webhook
from producers.payments.verification import WebhookSecrets
from producers.stripe_bridge import Publish, bridge
from tests.unit.payments.stripe_fixtures import (
    SECRET,
    charge,
    invoice,
    payment_intent,
    refund,
    signed,
    stripe_event,
    subscription,
)

REGISTRY = EventRegistry.of([*PAYMENT_EVENTS, *ORDER_EVENTS])


def test_every_type_is_registered_once_and_documented() -> None:
    types = [e.TYPE for e in (*PAYMENT_EVENTS, *ORDER_EVENTS)]
    assert len(types) == len(set(types)) == len(REGISTRY.classes)
    assert all(e.__doc__ for e in (*PAYMENT_EVENTS, *ORDER_EVENTS))


def test_bridged_stripe_events_round_trip_with_their_key() -> None:
    user = uuid.uuid4()
    sources = [
        stripe_event("payment_intent.succeeded", payment_intent("pi_1", "succeeded")),
        stripe_event("charge.refunded", charge("pi_1", refunded=100, refunds=(("re_1", 100),))),
        stripe_event("refund.updated", refund("re_1", "pi_1", 100, "succeeded")),
        stripe_event("customer.subscription.updated", subscription("sub_1", "active", user)),
        stripe_event("invoice.paid", invoice("in_1", "sub_1", user, paid=999)),
    ]
    for source in sources:
        outcome = bridge(*signed(source), WebhookSecrets((SECRET,)))
        assert isinstance(outcome, Publish)
        key, value, headers = encode(outcome.event)
        assert key == outcome.event.subject.encode()
        assert decode(value, REGISTRY) == outcome.event
        assert ("ce_id", str(outcome.event.event_id).encode()) in headers


def test_a_partner_shipment_round_trips() -> None:

    order = uuid.uuid4()
    body = json.dumps(
        {
            "id": "pevt_1",
            "type": "order.shipped",
            "created": int(time.time()),
            "data": {"order": {"id": "po_1", "reference": str(order)}},
        }
    ).encode()
    outcome = bridge_partner_webhook(
        body, signature_header(body, "s", int(time.time())), PartnerWebhookConfig("p", ("s",))
    )
    assert isinstance(outcome, Publish)
    _, value, _ = encode(outcome.event)
    assert decode(value, REGISTRY) == outcome.event
