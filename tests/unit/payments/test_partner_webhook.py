"""Partner shipment webhooks: the signature the local partner makes is the one Shine verifies."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from events.orders import OrderDelivered, OrderShipped
from infra.partner.signing import signature_header
from producers.payments.outcomes import Ignored, Publish, Rejected
from producers.payments.partner_webhook import PartnerWebhookConfig, bridge_partner_webhook, event_id_for
from producers.payments.verification import Rejection

SECRET = "whsec_partner_test"
CONFIG = PartnerWebhookConfig("primary", (SECRET,))
ORDER = uuid.UUID("1c9d5e0a-6a38-4e4b-9b55-6a7f0c1d2e3f")


def _body(event_type: str = "order.shipped", event_id: str = "pevt_1", reference: str = str(ORDER)) -> bytes:
    order = {"id": "po_9", "reference": reference, "status": "shipped", "carrier": "dhl", "tracking_number": "T1"}
    created = int(time.time())
    return json.dumps({"id": event_id, "type": event_type, "created": created, "data": {"order": order}}).encode()


def _bridge(body: bytes, header: str | None, config: PartnerWebhookConfig = CONFIG) -> object:
    return bridge_partner_webhook(body, header, config)


@pytest.mark.parametrize(("event_type", "cls"), [("order.shipped", OrderShipped), ("order.delivered", OrderDelivered)])
def test_a_signed_shipment_becomes_an_orders_event(event_type: str, cls: type) -> None:
    body = _body(event_type)
    outcome = _bridge(body, signature_header(body, SECRET, int(time.time())))
    assert isinstance(outcome, Publish) and isinstance(outcome.event, cls)
    event = outcome.event
    assert event.subject == str(ORDER)
    assert event.event_id == event_id_for("primary", "pevt_1")
    assert (event.data.partner, event.data.partner_order_id, event.data.tracking_number) == ("primary", "po_9", "T1")


def test_redeliveries_dedupe_to_one_event_and_partners_do_not_collide() -> None:
    assert event_id_for("primary", "pevt_1") == event_id_for("primary", "pevt_1")
    assert event_id_for("primary", "pevt_1") != event_id_for("fallback", "pevt_1")


def test_forged_stale_and_missing_signatures_are_refused() -> None:
    body, now = _body(), int(time.time())
    forged = _bridge(body, signature_header(body, "whsec_other", now))
    stale = _bridge(body, signature_header(body, SECRET, now - 301))
    tampered = _bridge(body.replace(b"po_9", b"po_8"), signature_header(body, SECRET, now))
    missing = _bridge(body, None)
    garbled = _bridge(body, "t=soon,v1=")
    assert [o.reason for o in (forged, stale, tampered, missing, garbled) if isinstance(o, Rejected)] == [
        Rejection.BAD_SIGNATURE,
        Rejection.STALE_TIMESTAMP,
        Rejection.BAD_SIGNATURE,
        Rejection.MISSING_SIGNATURE,
        Rejection.BAD_SIGNATURE,
    ]


def test_a_rotated_secret_is_accepted_alongside_the_new_one() -> None:
    body = _body()
    rotating = PartnerWebhookConfig("primary", ("whsec_new", SECRET))
    assert isinstance(_bridge(body, signature_header(body, SECRET, int(time.time())), rotating), Publish)


def test_unknown_types_are_acknowledged_and_unreadable_bodies_refused() -> None:
    body = _body("order.returned")
    assert _bridge(body, signature_header(body, SECRET, int(time.time()))) == Ignored("pevt_1", "order.returned")
    not_ours = _body(reference="not-a-uuid")
    outcome = _bridge(not_ours, signature_header(not_ours, SECRET, int(time.time())))
    assert isinstance(outcome, Rejected) and outcome.reason is Rejection.MALFORMED_PAYLOAD


def test_a_partner_needs_a_secret() -> None:
    with pytest.raises(ValueError):
        PartnerWebhookConfig("primary", ())
